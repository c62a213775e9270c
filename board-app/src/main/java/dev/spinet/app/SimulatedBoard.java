package dev.spinet.app;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.Interface;
import dev.spinet.wire.Ipv4Packet;

/** A board of the demo and the labs: a name, an address, and an interface on a virtual wire port. */
public final class SimulatedBoard {

    private final String name;
    private final int address;
    private final Interface iface;

    public SimulatedBoard(String name, VirtualWire wire, long mac, StackConfig config) {
        this.name = name;
        this.address = config.ipAddress;
        this.iface = new Interface(config, wire.connect(name, mac));
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

    public Interface iface() {
        return iface;
    }
}
