package dev.spinet.udp;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Ipv4Output;
import dev.spinet.iface.TransportLayer;
import dev.spinet.stats.Counters;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import dev.spinet.wire.WireError;

/**
 * UDP (RFC 768) over an {@link Ipv4Output}: a fixed table of {@link StackConfig#udpSockets}
 * endpoints, each bound to one local port with a {@link UdpHandler}.
 *
 * <h2>Receive</h2>
 * The interface hands over each validated IPv4 datagram with protocol 17. The UDP length field
 * must be 8..IPv4 payload length (bytes after it are ignored, RFC 768 "Length"); a non-zero
 * checksum must verify over the pseudo-header (RFC 1122 4.1.3.4: "If a UDP datagram is received
 * with a checksum that is non-zero and invalid, UDP MUST silently discard the datagram"); a zero
 * checksum means the sender computed none and is accepted. The datagram goes to the endpoint
 * bound to its destination port; a broadcast only to an endpoint opened with
 * {@code acceptBroadcast} (a DHCP client or server, not an echo service). No ICMP port
 * unreachable is sent for a port nobody listens on: {@link UdpCounter#RX_DROP_NO_LISTENER} counts
 * it instead (RFC 1122 4.1.3.1 says SHOULD; left out to keep the layer silent to scans).
 *
 * <h2>Send</h2>
 * Zero-copy: build the data straight into {@link #payloadBuffer()} at {@link #payloadOffset()}
 * and call {@link #sendPayload}, or let {@link #send} copy it there. The header and checksum are
 * written in place (a computed 0 goes out as 0xFFFF, RFC 768), then the interface adds IPv4 and
 * Ethernet. Sending to 255.255.255.255 broadcasts on the link. {@link #send} also takes data
 * longer than one frame carries (up to {@link #maxDatagramLength()}): the interface sends it in
 * RFC 791 fragments, which the receiver reassembles.
 *
 * <h2>Services with timers</h2>
 * {@link #addService} registers a {@link DutyCycle} (a DHCP client) that runs in this layer's
 * {@link #poll}, so polling the interface alone drives everything, and its deadline is part of
 * the interface's {@code nextDeadline}.
 *
 * <p>Nothing here allocates after construction and start-up registration.
 */
public final class UdpLayer implements TransportLayer {

    /** A value no handle takes (handles are 0..capacity-1), for callers that need to store "no endpoint". */
    public static final int NO_HANDLE = -1;

    private final Ipv4Output output;
    private final Counters<UdpCounter> counters = new Counters<>(UdpCounter.class);
    private final UdpDatagram datagram = new UdpDatagram();
    /** The header of a datagram sent in fragments, built apart from its data. */
    private final byte[] largeHeader = new byte[UdpDatagram.HEADER_LENGTH];

    private final int[] localPorts;
    private final boolean[] acceptsBroadcast;
    private final UdpHandler[] handlers;
    private DutyCycle[] services = new DutyCycle[0];

    /** A layer with {@code config.udpSockets} endpoints sending through {@code output}. */
    public UdpLayer(StackConfig config, Ipv4Output output) {
        this(config.udpSockets, output);
    }

    /** A layer with {@code endpoints} endpoints sending through {@code output}. */
    public UdpLayer(int endpoints, Ipv4Output output) {
        if (endpoints < 0) {
            throw new IllegalArgumentException("endpoints must be >= 0, was " + endpoints);
        }
        if (output == null) {
            throw new IllegalArgumentException("UdpLayer needs the interface it sends through (an Ipv4Output)");
        }
        this.output = output;
        this.localPorts = new int[endpoints];
        this.acceptsBroadcast = new boolean[endpoints];
        this.handlers = new UdpHandler[endpoints];
    }

    @Override
    public int protocol() {
        return Ipv4Packet.PROTOCOL_UDP;
    }

    // ---- endpoints ----

    /**
     * Binds a free endpoint to {@code localPort}.
     *
     * @param acceptBroadcast whether datagrams sent to a broadcast address reach {@code handler}
     * @return the endpoint's handle, for {@link #send} and {@link #close}
     * @throws IllegalArgumentException if the port is outside 1..65535 or the handler is null
     * @throws IllegalStateException if the port is already bound or every endpoint is in use
     */
    public int open(int localPort, boolean acceptBroadcast, UdpHandler handler) {
        if (localPort < 1 || localPort > 0xFFFF) {
            throw new IllegalArgumentException("UDP port must be 1..65535, was " + localPort);
        }
        if (handler == null) {
            throw new IllegalArgumentException("a UDP endpoint needs a handler for what it receives");
        }
        if (find(localPort) >= 0) {
            throw new IllegalStateException("UDP port " + localPort + " is already bound; close it first or pick another port");
        }
        for (int handle = 0; handle < handlers.length; handle++) {
            if (handlers[handle] == null) {
                localPorts[handle] = localPort;
                acceptsBroadcast[handle] = acceptBroadcast;
                handlers[handle] = handler;
                return handle;
            }
        }
        throw new IllegalStateException("all " + handlers.length + " UDP endpoints are in use; raise StackConfig.udpSockets");
    }

    /** Releases an endpoint; its port can be bound again. */
    public void close(int handle) {
        checkOpen(handle);
        handlers[handle] = null;
        localPorts[handle] = 0;
        acceptsBroadcast[handle] = false;
    }

    /** The port an endpoint is bound to. */
    public int localPort(int handle) {
        checkOpen(handle);
        return localPorts[handle];
    }

    /** Whether an endpoint is bound to {@code localPort}. */
    public boolean isBound(int localPort) {
        return find(localPort) >= 0;
    }

    /** The first port of the dynamic range (RFC 6335 6: 49152..65535). */
    public static final int DYNAMIC_PORTS_FIRST = 49152;
    private static final int DYNAMIC_PORTS = 65536 - DYNAMIC_PORTS_FIRST;

    /**
     * A port for a socket that did not ask for one: RFC 6056 3.3.1 algorithm 1, a random start in
     * the dynamic range and the first port from there that is not bound. RFC 5452 9.2 wants the
     * source port of each DNS query unpredictable; {@code random} must be, too.
     *
     * @return the port, or 0 when every dynamic port is bound
     */
    public int freeDynamicPort(int random) {
        int start = Integer.remainderUnsigned(random, DYNAMIC_PORTS);
        for (int i = 0; i < DYNAMIC_PORTS; i++) {
            int port = DYNAMIC_PORTS_FIRST + (start + i) % DYNAMIC_PORTS;
            if (find(port) < 0) {
                return port;
            }
        }
        return 0;
    }

    /** Endpoints not bound to a port (what {@link #open} can still take). */
    public int freeEndpoints() {
        int free = 0;
        for (int handle = 0; handle < handlers.length; handle++) {
            if (handlers[handle] == null) {
                free++;
            }
        }
        return free;
    }

    /** How many endpoints this layer has (bound or not). */
    public int capacity() {
        return handlers.length;
    }

    /** Registers a timer-driven service run in {@link #poll}. Start-up only (allocates). */
    public void addService(DutyCycle service) {
        if (service == null) {
            throw new IllegalArgumentException("service must not be null");
        }
        DutyCycle[] grown = java.util.Arrays.copyOf(services, services.length + 1);
        grown[services.length] = service;
        services = grown;
    }

    private int find(int localPort) {
        for (int handle = 0; handle < handlers.length; handle++) {
            if (handlers[handle] != null && localPorts[handle] == localPort) {
                return handle;
            }
        }
        return -1;
    }

    private void checkOpen(int handle) {
        if (handle < 0 || handle >= handlers.length || handlers[handle] == null) {
            throw new IllegalStateException("UDP handle " + handle + " is not open; use the handle open() returned");
        }
    }

    // ---- receive ----

    @Override
    public void receive(int source, int destination, boolean broadcast, byte[] buffer, int offset, int length, long nowNanos) {
        counters.increment(UdpCounter.RX_DATAGRAMS);
        if (datagram.wrap(buffer, offset, length) != WireError.OK) {
            counters.increment(UdpCounter.RX_DROP_BAD_LENGTH);
            return;
        }
        if (!output.transportChecksumVerified() && !datagram.checksumValid(source, destination)) {
            counters.increment(UdpCounter.RX_DROP_BAD_CHECKSUM);
            return;
        }
        int handle = find(datagram.destinationPort());
        if (handle < 0) {
            counters.increment(UdpCounter.RX_DROP_NO_LISTENER);
            return;
        }
        if (broadcast && !acceptsBroadcast[handle]) {
            counters.increment(UdpCounter.RX_DROP_BROADCAST_NOT_ACCEPTED);
            return;
        }
        counters.increment(UdpCounter.RX_DELIVERED);
        try {
            handlers[handle].onDatagram(source, datagram.sourcePort(), destination, buffer, datagram.payloadOffset(),
                    datagram.payloadLength(), nowNanos);
        } catch (RuntimeException bug) {
            // One faulty application must not take the interface down; the count shows it.
            counters.increment(UdpCounter.RX_HANDLER_ERRORS);
        }
    }

    // ---- ICMP errors ----

    /**
     * RFC 1122 4.1.3.3: "UDP MUST pass to the application layer all ICMP error messages that it
     * receives from the IP layer." The quote starts with the UDP header we sent: its source port
     * names the endpoint, its destination port and the quoted address the peer. A quote that
     * cannot be ours, or names a port nobody holds, is counted and dropped.
     */
    @Override
    public void receiveIcmpError(int type, int code, int restOfHeader, int quotedDestination, int quotedTotalLength,
                                 byte[] buffer, int offset, int length, long nowNanos) {
        int sourcePort = ((buffer[offset] & 0xFF) << 8) | (buffer[offset + 1] & 0xFF);
        int destinationPort = ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
        int udpLength = ((buffer[offset + 4] & 0xFF) << 8) | (buffer[offset + 5] & 0xFF);
        if (sourcePort == 0 || destinationPort == 0 || udpLength < UdpDatagram.HEADER_LENGTH) {
            counters.increment(UdpCounter.ICMP_DROP_BAD_QUOTE);
            return;
        }
        int handle = find(sourcePort);
        if (handle < 0) {
            counters.increment(UdpCounter.ICMP_DROP_NO_ENDPOINT);
            return;
        }
        counters.increment(UdpCounter.ICMP_ERRORS_DELIVERED);
        int quoted = Math.min(length, udpLength) - UdpDatagram.HEADER_LENGTH;
        try {
            handlers[handle].onIcmpError(type, code, quotedDestination, destinationPort, buffer, offset + UdpDatagram.HEADER_LENGTH,
                    Math.max(0, quoted), nowNanos);
        } catch (RuntimeException bug) {
            counters.increment(UdpCounter.RX_HANDLER_ERRORS);
        }
    }

    // ---- send ----

    /** Where {@link #sendPayload} expects the data: the interface's transmit frame. */
    public byte[] payloadBuffer() {
        return output.transmitBuffer();
    }

    /** Index of the first data byte in {@link #payloadBuffer()}. */
    public int payloadOffset() {
        return output.transportOffset() + UdpDatagram.HEADER_LENGTH;
    }

    /** The most data one datagram can carry without fragmentation ({@link #sendPayload}'s limit). */
    public int maxPayloadLength() {
        return Math.min(output.maxTransportLength(), UdpDatagram.MAX_LENGTH) - UdpDatagram.HEADER_LENGTH;
    }

    /** The most data {@link #send} takes: a datagram of 65535 bytes, sent in IPv4 fragments when it does not fit a frame. */
    public int maxDatagramLength() {
        return StackConfig.MAX_UDP_DATA;
    }

    /**
     * Copies {@code data[offset, offset + length)} into the transmit frame and sends it from the
     * endpoint's port.
     *
     * @return whether the datagram left or waits for ARP; false if the interface dropped it
     *     (counted in {@link UdpCounter#TX_DROPPED} and the interface's counters)
     * @throws IllegalStateException if the handle is not open
     * @throws IllegalArgumentException if the port or length is out of range
     */
    public boolean send(int handle, int destinationIp, int destinationPort, byte[] data, int offset, int length, long nowNanos) {
        if (length <= maxPayloadLength()) {
            checkPayload(length);
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            System.arraycopy(data, offset, output.transmitBuffer(), payloadOffset(), length);
            return sendPayload(handle, destinationIp, destinationPort, length, nowNanos);
        }
        checkOpen(handle);
        checkDestinationPort(destinationPort);
        if (length > maxDatagramLength()) {
            throw new IllegalArgumentException("UDP data must be 0.." + maxDatagramLength() + " bytes, was " + length);
        }
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        // Too long for one frame: the header goes apart, its checksum over pseudo-header, header
        // and data (RFC 768), and the interface sends header and data in fragments (RFC 791).
        int udpLength = UdpDatagram.HEADER_LENGTH + length;
        UdpDatagram.writeHeader(largeHeader, 0, localPorts[handle], destinationPort, length);
        long sum = Checksum.pseudoHeaderSum(output.localAddress(), destinationIp, Ipv4Packet.PROTOCOL_UDP, udpLength)
                + Checksum.sum(largeHeader, 0, UdpDatagram.HEADER_LENGTH) + Checksum.sum(data, offset, length);
        int checksum = Checksum.finish(sum);
        if (checksum == 0) {
            checksum = 0xFFFF;
        }
        largeHeader[UdpDatagram.CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
        largeHeader[UdpDatagram.CHECKSUM_OFFSET + 1] = (byte) checksum;
        if (output.sendLarge(destinationIp, Ipv4Packet.PROTOCOL_UDP, largeHeader, UdpDatagram.HEADER_LENGTH, data, offset, length,
                nowNanos)) {
            counters.increment(UdpCounter.TX_DATAGRAMS);
            return true;
        }
        counters.increment(UdpCounter.TX_DROPPED);
        return false;
    }

    /**
     * Sends the {@code length} data bytes already built at {@link #payloadOffset()} in
     * {@link #payloadBuffer()}.
     *
     * @return as {@link #send}
     */
    public boolean sendPayload(int handle, int destinationIp, int destinationPort, int length, long nowNanos) {
        checkOpen(handle);
        checkPayload(length);
        checkDestinationPort(destinationPort);
        byte[] frame = output.transmitBuffer();
        int udp = output.transportOffset();
        int udpLength = UdpDatagram.HEADER_LENGTH + length;
        UdpDatagram.writeHeader(frame, udp, localPorts[handle], destinationPort, length);
        if (output.transportChecksumOnTransmit()) {
            UdpDatagram.writePartialChecksum(frame, udp, udpLength, output.localAddress(), destinationIp);
        } else {
            UdpDatagram.writeChecksum(frame, udp, udpLength, output.localAddress(), destinationIp);
        }
        if (output.send(destinationIp, Ipv4Packet.PROTOCOL_UDP, udpLength, nowNanos)) {
            counters.increment(UdpCounter.TX_DATAGRAMS);
            return true;
        }
        counters.increment(UdpCounter.TX_DROPPED);
        return false;
    }

    private static void checkDestinationPort(int destinationPort) {
        if (destinationPort < 1 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("destination port must be 1..65535, was " + destinationPort);
        }
    }

    private void checkPayload(int length) {
        if (length < 0 || length > maxPayloadLength()) {
            throw new IllegalArgumentException("UDP data must be 0.." + maxPayloadLength() + " bytes for this MTU, was " + length);
        }
    }

    // ---- duty cycle ----

    @Override
    public int poll(long nowNanos) {
        int work = 0;
        DutyCycle[] all = services;
        for (int i = 0; i < all.length; i++) {
            work += all[i].poll(nowNanos);
        }
        return work;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        long deadline = nowNanos + Long.MAX_VALUE / 4;
        DutyCycle[] all = services;
        for (int i = 0; i < all.length; i++) {
            long next = all[i].nextDeadline(nowNanos);
            if (next - deadline < 0) {
                deadline = next;
            }
        }
        return deadline;
    }

    public Counters<UdpCounter> counters() {
        return counters;
    }
}
