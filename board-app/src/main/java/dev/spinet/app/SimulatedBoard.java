package dev.spinet.app;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.Interface;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.wire.Ipv4Packet;

/** A board of the demo and the labs: a name, an address, and a whole stack on a virtual wire port. */
public final class SimulatedBoard {

    private final String name;
    private final int address;
    private final Stack stack;

    public SimulatedBoard(String name, VirtualWire wire, long mac, StackConfig config, TransitionObserver observer) {
        this.name = name;
        this.address = config.ipAddress;
        this.stack = new Stack(config, wire.connect(name, mac), observer);
    }

    public String name() {
        return name;
    }

    public int address() {
        return address;
    }

    public String addressText() {
        return Ipv4Packet.formatAddress(address);
    }

    public Stack stack() {
        return stack;
    }

    public Interface iface() {
        return stack.iface();
    }

    public TcpLayer tcp() {
        return stack.tcp();
    }
}
