package dev.spinet;

import dev.spinet.config.StackConfig;
import dev.spinet.dns.DnsClient;
import dev.spinet.dns.Resolver;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Interface;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.udp.UdpLayer;
import dev.spinet.udp.UdpSockets;

/**
 * A whole Spinet stack on one FrameDevice: the {@link Interface} (ARP, IPv4 with reassembly,
 * ICMP) with the {@link TcpLayer} and the {@link UdpLayer} (when {@code udpSockets > 0}, e.g.
 * for the DHCP client) registered as its transports, and on the UDP layer the application
 * sockets ({@link UdpSockets}, when {@code udpAppSockets > 0}) and the DNS resolver's engine
 * ({@link DnsClient}, when {@code dnsQueries > 0}). Everything is allocated here, from one
 * {@link StackConfig}; after construction the duty cycle allocates nothing.
 *
 * <p>One thread owns a stack: it calls {@link #poll(long)} with the time it read once, then idles
 * until {@link #nextDeadline(long)} or until the device has a frame.
 */
public final class Stack implements DutyCycle {

    private final Interface iface;
    private final TcpLayer tcp;
    private final UdpLayer udp;
    private final UdpSockets udpSockets;
    private final DnsClient dns;
    private final Resolver resolver;

    public Stack(StackConfig config, FrameDevice device) {
        this(config, device, TransitionObserver.NONE);
    }

    /** @param observer told about every TCP state transition (for traces, labs and tests) */
    public Stack(StackConfig config, FrameDevice device, TransitionObserver observer) {
        this.iface = new Interface(config, device);
        this.tcp = new TcpLayer(config, iface, observer);
        iface.addTransport(tcp);
        if (config.udpSockets > 0) {
            this.udp = new UdpLayer(config, iface);
            iface.addTransport(udp);
        } else {
            this.udp = null;
        }
        this.udpSockets = udp != null && config.udpAppSockets > 0 ? new UdpSockets(config, udp, config.tcpSecret) : null;
        this.dns = udp != null && config.dnsQueries > 0 ? new DnsClient(config, udp, tcp, config.tcpSecret) : null;
        this.resolver = dns != null ? new Resolver(dns) : null;
    }

    public Interface iface() {
        return iface;
    }

    public TcpLayer tcp() {
        return tcp;
    }

    /**
     * The UDP layer.
     *
     * @throws IllegalStateException if the configuration has no UDP sockets
     */
    public UdpLayer udp() {
        if (udp == null) {
            throw new IllegalStateException("this stack has no UDP layer: configure udpSockets > 0 (StackConfig.Builder.udpSockets)");
        }
        return udp;
    }

    /**
     * The application UDP sockets (open them on application threads).
     *
     * @throws IllegalStateException if the configuration has none
     */
    public UdpSockets udpSockets() {
        if (udpSockets == null) {
            throw new IllegalStateException("this stack has no application UDP sockets: configure udpSockets > 0 and "
                    + "udpAppSockets > 0 (StackConfig.Builder.udpAppSockets)");
        }
        return udpSockets;
    }

    /**
     * The resolver's stack-side engine (servers are configured here).
     *
     * @throws IllegalStateException if the configuration has no resolver
     */
    public DnsClient dns() {
        if (dns == null) {
            throw new IllegalStateException("this stack has no DNS resolver: configure udpSockets > 0 and dnsQueries > 0 "
                    + "(StackConfig.Builder.dnsQueries)");
        }
        return dns;
    }

    /**
     * Name resolution for application threads.
     *
     * @throws IllegalStateException if the configuration has no resolver
     */
    public Resolver resolver() {
        dns();
        return resolver;
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
