package dev.spinet;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Interface;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;

/**
 * A whole Spinet stack on one FrameDevice: the {@link Interface} (ARP, IPv4, ICMP) with the
 * {@link TcpLayer} registered as its TCP transport. Everything is allocated here, from one
 * {@link StackConfig}; after construction the duty cycle allocates nothing.
 *
 * <p>One thread owns a stack: it calls {@link #poll(long)} with the time it read once, then idles
 * until {@link #nextDeadline(long)} or until the device has a frame.
 */
public final class Stack implements DutyCycle {

    private final Interface iface;
    private final TcpLayer tcp;

    public Stack(StackConfig config, FrameDevice device) {
        this(config, device, TransitionObserver.NONE);
    }

    /** @param observer told about every TCP state transition (for traces, labs and tests) */
    public Stack(StackConfig config, FrameDevice device, TransitionObserver observer) {
        this.iface = new Interface(config, device);
        this.tcp = new TcpLayer(config, iface, observer);
        iface.addTransport(tcp);
    }

    public Interface iface() {
        return iface;
    }

    public TcpLayer tcp() {
        return tcp;
    }

    @Override
    public int poll(long nowNanos) {
        return iface.poll(nowNanos);
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return iface.nextDeadline(nowNanos);
    }
}
