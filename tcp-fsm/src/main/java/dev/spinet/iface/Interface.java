package dev.spinet.iface;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.stats.Counters;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.WireError;

/**
 * One Ethernet interface running IPv4: link-layer filtering, ARP (RFC 826) with a fixed neighbor
 * cache and a small queue of frames waiting on resolution, IPv4 input validation (RFC 791,
 * RFC 1122 3.2.1), ICMP echo (RFC 792), and dispatch to the registered transport layers.
 *
 * <h2>Duty cycle</h2>
 * One thread calls {@link #poll(long)} with the time it read once for this cycle:
 * <ol>
 *   <li>drain up to {@link #RX_BUDGET} received frames (or {@link #receiveBudget}): Ethernet, then ARP or IPv4, then ICMP or
 *       a transport's {@code receive};</li>
 *   <li>ARP timers: resend requests for unresolved neighbors, give up after the configured
 *       attempts and drop the frames that waited;</li>
 *   <li>each transport's {@code poll} (its timers and pending output).</li>
 * </ol>
 * {@link #nextDeadline(long)} tells the caller when the next timer is due so it can idle until
 * then or until the device signals a frame.
 *
 * <p>Nothing here allocates after construction, and nothing thrown in the input path escapes
 * {@code poll}: malformed input is a counter in {@link IfaceCounter}.
 */
public final class Interface implements Ipv4Output, DutyCycle {

    /** Frames drained per poll, so that one cycle's work stays bounded and timers still run. */
    public static final int RX_BUDGET = 64;
    /** Received frames a cycle takes at most ({@link #receiveBudget}). */
    private int receiveBudget = RX_BUDGET;

    private static final int BROADCAST_ADDRESS = 0xFFFF_FFFF;
    private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;
    private static final int L3 = EthernetFrame.HEADER_LENGTH;
    private static final int L4 = L3 + IP_HEADER;
    private static final long ONE_SECOND = 1_000_000_000L;
    /** {@code nextHop}'s "no route" (0.0.0.0 is never a next hop). */
    private static final int NO_ROUTE = 0;
    /** RFC 792: an error quotes "the internet header + 64 bits of original data datagram". */
    private static final int QUOTED_TRANSPORT_OCTETS = 8;
    /** IPv4 protocol number of TCP (RFC 9293). */
    private static final int TCP_PROTOCOL = 6;
    /** Echo data we send starts with the send time (8 bytes), as ping(8) does. */
    private static final int ECHO_TIMESTAMP_BYTES = 8;

    private final StackConfig config;
    private final FrameDevice device;
    /** The checksum work the device does (read once: a device's capabilities never change). */
    private final DeviceCapabilities capabilities;
    /** Whether the datagram being handed to a transport now had its checksum checked by the device. */
    private boolean deliveringVerified;
    /** The device verified the transport checksum of the frame being handled ({@code FrameDevice.receivedTransportChecksumVerified}). */
    private boolean receivedVerified;
    private final long mac;
    // Not final: DHCP (or the CLI) reconfigures the address at run time.
    private int address;
    private int netmask;
    private int directedBroadcast;
    private int gateway;
    private final Counters<IfaceCounter> counters = new Counters<>(IfaceCounter.class);
    private final NeighborCache neighbors;
    private final PendingFrames pending;
    private final boolean[] evicted = new boolean[1];
    private final Ipv4Reassembly reassembly;
    private final Ipv4Reassembly.TimeoutListener timeExceeded = this::sendReassemblyTimeExceeded;
    /** An ICMP header built for a reply whose data stays where it is (a reassembled echo request). */
    private final byte[] icmpHeader = new byte[IcmpPacket.HEADER_LENGTH];

    private final byte[] rxFrame;
    /** Transports build here (see {@link Ipv4Output}). */
    private final byte[] txFrame;
    /** ARP and ICMP replies are built here, so they never clobber a transport's frame. */
    private final byte[] controlFrame;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();

    private final TransportLayer[] transportByProtocol = new TransportLayer[256];
    private TransportLayer[] transports = new TransportLayer[0];
    private EchoReplyListener echoReplyListener;

    private int nextIdentification;
    private long echoTokens;
    private long echoTokensRefilledAt;
    private Throwable lastInternalError;

    public Interface(StackConfig config, FrameDevice device) {
        this.config = config;
        this.device = device;
        this.mac = device.macAddress();
        this.capabilities = device.capabilities();
        configureAddress(config.ipAddress, config.prefixLength, config.gateway);
        int frameBytes = Math.max(config.frameBufferBytes, device.maxFrameLength());
        this.rxFrame = new byte[frameBytes];
        this.txFrame = new byte[frameBytes];
        this.controlFrame = new byte[frameBytes];
        this.neighbors = new NeighborCache(config.arpCacheEntries, config.arpEntryLifetimeNanos);
        this.pending = new PendingFrames(config.arpPendingFrames, frameBytes);
        this.echoTokens = config.icmpEchoRepliesPerSecond;
        this.reassembly = new Ipv4Reassembly(config.ipReassemblySlots, config.ipReassemblyBytes,
                config.ipReassemblyTimeoutNanos, counters);
    }

    /**
     * Registers a transport for its protocol number. Start-up only.
     *
     * @throws IllegalStateException if that protocol already has a transport
     */
    public void addTransport(TransportLayer layer) {
        int protocol = layer.protocol();
        if (protocol == Ipv4Packet.PROTOCOL_ICMP || transportByProtocol[protocol] != null) {
            throw new IllegalStateException("IP protocol " + protocol + " is already handled by this interface; register one transport per protocol");
        }
        transportByProtocol[protocol] = layer;
        TransportLayer[] grown = java.util.Arrays.copyOf(transports, transports.length + 1);
        grown[transports.length] = layer;
        transports = grown;
    }

    /**
     * Sets this interface's address, prefix and default gateway (0 = none). Address 0.0.0.0 means
     * "not configured yet" (RFC 2131 client before its lease): then every IPv4 datagram that
     * reaches our MAC or the broadcast MAC is accepted, so that a DHCP offer unicast to the
     * address being offered gets through. Stack thread only; does not allocate.
     */
    public void configureAddress(int newAddress, int prefixLength, int newGateway) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, was " + prefixLength);
        }
        int oldAddress = this.address;
        this.address = newAddress;
        this.netmask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        this.directedBroadcast = prefixLength >= 31 ? BROADCAST_ADDRESS : (newAddress | ~netmask);
        this.gateway = newGateway;
        if (controlFrame != null && newAddress != 0 && newAddress != oldAddress) {
            // RFC 5227 2.3 ARP Announcement: neighbors that cached a failed or stale entry for
            // this address (a DHCP server's ping probe, the previous holder) learn our MAC now.
            // Not at construction (controlFrame still null): the device may not be started yet.
            sendArp(ArpPacket.OP_REQUEST, MacAddress.BROADCAST, 0L, newAddress);
            counters.increment(IfaceCounter.ARP_TX_ANNOUNCEMENTS);
        }
    }

    /** This interface's network mask. */
    public int netmask() {
        return netmask;
    }

    /** The default gateway, 0 if none. */
    public int gateway() {
        return gateway;
    }

    /** Receives echo replies to {@link #ping} requests. Start-up only. */
    public void setEchoReplyListener(EchoReplyListener listener) {
        this.echoReplyListener = listener;
    }

    // ---- duty cycle ----

    /**
     * How many received frames the following cycles take at most ({@link #RX_BUDGET} unless set;
     * at least one). The rest wait in the device for the next cycle. A thread that runs cycles
     * between pieces of its own work sets one frame, so that it sees after each frame whether its
     * own condition now holds (the sockets' leaders, docs/applications.md "Threads"). Call it from
     * the thread that runs the cycles, under the same exclusion.
     */
    public void receiveBudget(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a cycle takes at least one frame, was " + frames);
        }
        receiveBudget = frames;
    }

    /**
     * Runs one duty cycle at {@code nowNanos}. Never throws.
     *
     * @return the work done: frames handled plus timer and transport work; 0 means idle
     */
    @Override
    public int poll(long nowNanos) {
        int work = 0;
        int budget = receiveBudget;
        for (int i = 0; i < budget; i++) {
            int length = device.receive(rxFrame, 0, rxFrame.length);
            if (length == FrameDevice.NO_FRAME) {
                break;
            }
            work++;
            if (length == FrameDevice.FRAME_TOO_LONG) {
                counters.increment(IfaceCounter.RX_FRAME_TOO_LONG);
                continue;
            }
            // Asked before the frame is handled: handling it may transmit, and a device answers for the last receive only.
            receivedVerified = device.receivedTransportChecksumVerified();
            try {
                handleFrame(length, nowNanos);
            } catch (RuntimeException bug) {
                // A defect in the input path must not take the stack down: drop the frame,
                // count it, keep the exception for diagnosis.
                internalError(bug);
            }
            receivedVerified = false;
        }
        try {
            work += arpTimers(nowNanos);
            work += reassembly.expire(nowNanos, timeExceeded);
            TransportLayer[] layers = transports;
            for (int i = 0; i < layers.length; i++) {
                work += layers[i].poll(nowNanos);
            }
        } catch (RuntimeException bug) {
            internalError(bug);
        }
        return work;
    }

    /** When {@link #poll} next has timer work, or {@code now + Long.MAX_VALUE / 4} if none. */
    @Override
    public long nextDeadline(long nowNanos) {
        long deadline = nowNanos + Long.MAX_VALUE / 4;
        for (int i = 0; i < neighbors.capacity(); i++) {
            if (neighbors.isIncomplete(i) && neighbors.nextRequestAt(i) - deadline < 0) {
                deadline = neighbors.nextRequestAt(i);
            }
        }
        long reassemblyDeadline = reassembly.nextDeadline(nowNanos);
        if (reassemblyDeadline - deadline < 0) {
            deadline = reassemblyDeadline;
        }
        TransportLayer[] layers = transports;
        for (int i = 0; i < layers.length; i++) {
            long next = layers[i].nextDeadline(nowNanos);
            if (next - deadline < 0) {
                deadline = next;
            }
        }
        return deadline;
    }

    private void internalError(RuntimeException bug) {
        counters.increment(IfaceCounter.INTERNAL_ERRORS);
        lastInternalError = bug;
    }

    // ---- link layer ----

    private void handleFrame(int length, long nowNanos) {
        counters.increment(IfaceCounter.RX_FRAMES);
        counters.add(IfaceCounter.RX_BYTES, length);
        if (ethernet.wrap(rxFrame, 0, length) != WireError.OK) {
            counters.increment(IfaceCounter.RX_RUNT);
            return;
        }
        long destination = ethernet.destination();
        if (destination != mac && destination != MacAddress.BROADCAST) {
            counters.increment(IfaceCounter.RX_NOT_FOR_US);
            return;
        }
        int type = ethernet.etherType();
        if (type == EthernetFrame.TYPE_ARP) {
            arpInput(nowNanos);
        } else if (type == EthernetFrame.TYPE_IPV4) {
            ipv4Input(destination == MacAddress.BROADCAST, nowNanos);
        } else {
            counters.increment(IfaceCounter.RX_UNKNOWN_ETHERTYPE);
        }
    }

    // ---- ARP (RFC 826) ----

    private void arpInput(long nowNanos) {
        WireError error = arp.wrap(rxFrame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (error != WireError.OK) {
            counters.increment(error == WireError.TRUNCATED ? IfaceCounter.ARP_RX_TRUNCATED : IfaceCounter.ARP_RX_BAD_FORMAT);
            return;
        }
        int operation = arp.operation();
        if (operation != ArpPacket.OP_REQUEST && operation != ArpPacket.OP_REPLY) {
            counters.increment(IfaceCounter.ARP_RX_BAD_OPERATION);
            return;
        }
        counters.increment(operation == ArpPacket.OP_REQUEST ? IfaceCounter.ARP_RX_REQUESTS : IfaceCounter.ARP_RX_REPLIES);
        long senderMac = arp.senderMac();
        int senderIp = arp.senderIp();
        if (MacAddress.isMulticast(senderMac) || senderMac == 0 || !isUsableUnicastSource(senderIp) && senderIp != 0) {
            counters.increment(IfaceCounter.ARP_RX_BOGUS_SENDER);
            return;
        }
        if (senderIp == address && address != 0) {
            // Someone else uses our address (RFC 5227 2.4): keep ours, never cache theirs.
            counters.increment(IfaceCounter.ARP_ADDRESS_CONFLICT);
            return;
        }
        // RFC 826 "Packet Reception": merge the sender into an existing entry first...
        boolean merged = senderIp != 0 && neighbors.refresh(senderIp, senderMac, nowNanos);
        int target = arp.targetIp();
        if (target == address) {
            // ...and add it if the packet is for us ("If Merge_flag is false, add the triplet").
            // Replies nobody asked for are not added: that is a cheap defence against poisoning.
            if (!merged && senderIp != 0 && operation == ArpPacket.OP_REQUEST) {
                neighbors.learn(senderIp, senderMac, nowNanos, evicted);
                if (evicted[0]) {
                    counters.increment(IfaceCounter.ARP_CACHE_EVICTIONS);
                }
            }
            if (operation == ArpPacket.OP_REQUEST) {
                sendArp(ArpPacket.OP_REPLY, senderMac, senderMac, senderIp);
                counters.increment(IfaceCounter.ARP_TX_REPLIES);
            }
        }
        if (senderIp != 0 && neighbors.lookup(senderIp, nowNanos) >= 0) {
            flushPending(senderIp, senderMac);
        }
    }

    private void sendArp(int operation, long ethernetDestination, long targetMac, int targetIp) {
        EthernetFrame.writeHeader(controlFrame, 0, ethernetDestination, mac, EthernetFrame.TYPE_ARP);
        ArpPacket.write(controlFrame, L3, operation, mac, address, targetMac, targetIp);
        transmit(controlFrame, 0, L3 + ArpPacket.LENGTH);
    }

    private int arpTimers(long nowNanos) {
        int work = 0;
        for (int i = 0; i < neighbors.capacity(); i++) {
            if (!neighbors.isIncomplete(i) || neighbors.nextRequestAt(i) - nowNanos > 0) {
                continue;
            }
            work++;
            int target = neighbors.address(i);
            if (neighbors.requestsSent(i) >= config.arpRequestAttempts) {
                // RFC 1122 2.3.2.1: give up; whoever waited learns it from its own timers.
                counters.increment(IfaceCounter.ARP_RESOLUTION_FAILED);
                counters.add(IfaceCounter.ARP_PENDING_DROPPED, pending.dropAllFor(target));
                neighbors.free(i);
            } else {
                sendArp(ArpPacket.OP_REQUEST, MacAddress.BROADCAST, 0L, target);
                counters.increment(IfaceCounter.ARP_TX_REQUESTS);
                neighbors.requestSent(i, nowNanos, config.arpRequestIntervalNanos);
            }
        }
        return work;
    }

    private void flushPending(int nextHop, long nextHopMac) {
        for (int slot = pending.oldestFor(nextHop); slot >= 0; slot = pending.oldestFor(nextHop)) {
            byte[] frame = pending.frame(slot);
            MacAddress.write(nextHopMac, frame, EthernetFrame.DESTINATION_OFFSET);
            transmit(frame, 0, pending.length(slot));
            pending.release(slot);
            counters.increment(IfaceCounter.ARP_PENDING_SENT);
        }
    }

    // ---- IPv4 input ----

    private void ipv4Input(boolean linkBroadcast, long nowNanos) {
        WireError error = ip.wrap(rxFrame, ethernet.payloadOffset(), ethernet.payloadLength(),
                !capabilities.ipv4HeaderChecksumVerifiedOnReceive());
        if (error != WireError.OK) {
            counters.increment(ipErrorCounter(error));
            return;
        }
        counters.increment(IfaceCounter.IP_RX_PACKETS);
        int destination = ip.destination();
        boolean broadcast = destination == BROADCAST_ADDRESS || destination == directedBroadcast;
        if (destination != address && !broadcast && address != 0) {
            counters.increment(IfaceCounter.IP_RX_NOT_FOR_US);
            return;
        }
        int source = ip.source();
        // RFC 1122 3.2.1.3: a datagram whose source is broadcast, multicast, loopback (or ours)
        // MUST be silently discarded. Source 0.0.0.0 only makes sense to a broadcast.
        if (!isUsableUnicastSource(source) && !(source == 0 && broadcast) || source == address) {
            counters.increment(IfaceCounter.IP_RX_BAD_SOURCE);
            return;
        }
        if (ip.optionsLength() > 0) {
            counters.increment(IfaceCounter.IP_RX_WITH_OPTIONS);
        }
        int protocol = ip.protocol();
        TransportLayer layer = transportByProtocol[protocol];
        if (ip.isFragment()) {
            counters.increment(IfaceCounter.IP_RX_FRAGMENTS);
            if (layer == null && protocol != Ipv4Packet.PROTOCOL_ICMP) {
                // No ICMP protocol unreachable for a fragment: it would need the first fragment's header.
                counters.increment(IfaceCounter.IP_RX_UNKNOWN_PROTOCOL);
                return;
            }
            int slot = reassembly.accept(ip, nowNanos);
            if (slot != Ipv4Reassembly.PENDING) {
                deliverReassembled(slot, layer, broadcast, nowNanos);
            }
            return;
        }
        if (protocol == Ipv4Packet.PROTOCOL_ICMP) {
            icmpInput(rxFrame, ip.payloadOffset(), ip.payloadLength(), source, broadcast, false, nowNanos);
            return;
        }
        if (layer == null) {
            counters.increment(IfaceCounter.IP_RX_UNKNOWN_PROTOCOL);
            if (!broadcast && !linkBroadcast) {
                sendProtocolUnreachable(nowNanos);
            }
            return;
        }
        deliveringVerified = capabilities.transportChecksumVerifiedOnReceive() || receivedVerified;
        try {
            layer.receive(source, destination, broadcast, rxFrame, ip.payloadOffset(), ip.payloadLength(), nowNanos);
        } finally {
            deliveringVerified = false;
        }
    }

    /** Hands a datagram rebuilt from its fragments to ICMP or its transport, then frees its slot. */
    private void deliverReassembled(int slot, TransportLayer layer, boolean broadcast, long nowNanos) {
        try {
            byte[] datagram = reassembly.data(slot);
            int length = reassembly.length(slot);
            if (layer == null) {
                icmpInput(datagram, 0, length, reassembly.source(slot), broadcast, true, nowNanos);
            } else {
                layer.receive(reassembly.source(slot), reassembly.destination(slot), broadcast, datagram, 0, length, nowNanos);
            }
        } finally {
            reassembly.release(slot);
        }
    }

    /**
     * RFC 792 / RFC 1122 3.2.2.4: time exceeded, code 1 "fragment reassembly time exceeded", with
     * the first fragment's header and 8 bytes of its data. Never about a datagram sent to a
     * broadcast address (RFC 1122 3.2.2).
     */
    private void sendReassemblyTimeExceeded(byte[] header, int headerLength, byte[] payload, int destination, long nowNanos) {
        if (destination == BROADCAST_ADDRESS || destination == directedBroadcast) {
            return;
        }
        int quoted = headerLength + 8;
        int icmpLength = IcmpPacket.HEADER_LENGTH + quoted;
        java.util.Arrays.fill(controlFrame, L4, L4 + IcmpPacket.HEADER_LENGTH, (byte) 0);
        controlFrame[L4] = (byte) IcmpPacket.TYPE_TIME_EXCEEDED;
        controlFrame[L4 + 1] = 1;
        System.arraycopy(header, 0, controlFrame, L4 + IcmpPacket.HEADER_LENGTH, headerLength);
        System.arraycopy(payload, 0, controlFrame, L4 + IcmpPacket.HEADER_LENGTH + headerLength, 8);
        IcmpPacket.writeChecksum(controlFrame, L4, icmpLength);
        int source = (header[Ipv4Packet.SOURCE_OFFSET] & 0xFF) << 24 | (header[Ipv4Packet.SOURCE_OFFSET + 1] & 0xFF) << 16
                | (header[Ipv4Packet.SOURCE_OFFSET + 2] & 0xFF) << 8 | (header[Ipv4Packet.SOURCE_OFFSET + 3] & 0xFF);
        if (sendDatagram(controlFrame, source, Ipv4Packet.PROTOCOL_ICMP, icmpLength, false, nowNanos)) {
            counters.increment(IfaceCounter.ICMP_TX_TIME_EXCEEDED);
        }
    }

    private boolean isUsableUnicastSource(int source) {
        int firstOctet = source >>> 24;
        return source != 0 && source != BROADCAST_ADDRESS && firstOctet != 127 && firstOctet < 224
                && source != directedBroadcast;
    }

    private static IfaceCounter ipErrorCounter(WireError error) {
        return switch (error) {
            case BAD_VERSION -> IfaceCounter.IP_RX_BAD_VERSION;
            case BAD_HEADER_LENGTH -> IfaceCounter.IP_RX_BAD_HEADER_LENGTH;
            case BAD_TOTAL_LENGTH -> IfaceCounter.IP_RX_BAD_TOTAL_LENGTH;
            case BAD_CHECKSUM -> IfaceCounter.IP_RX_BAD_CHECKSUM;
            default -> IfaceCounter.IP_RX_TRUNCATED;
        };
    }

    // ---- ICMP (RFC 792) ----

    /**
     * @param buffer holds the ICMP message at {@code offset}: the receive frame, or a reassembly
     *     slot ({@code reassembled}) whose echo request is answered in fragments
     */
    private void icmpInput(byte[] buffer, int offset, int length, int source, boolean broadcast, boolean reassembled,
                           long nowNanos) {
        WireError error = icmp.wrap(buffer, offset, length);
        if (error != WireError.OK) {
            counters.increment(error == WireError.BAD_CHECKSUM ? IfaceCounter.ICMP_RX_BAD_CHECKSUM : IfaceCounter.ICMP_RX_TRUNCATED);
            return;
        }
        int type = icmp.type();
        if (type == IcmpPacket.TYPE_ECHO_REQUEST) {
            counters.increment(IfaceCounter.ICMP_RX_ECHO_REQUESTS);
            if (broadcast) {
                counters.increment(IfaceCounter.ICMP_RX_ECHO_BROADCAST_IGNORED);
            } else if (!takeEchoToken(nowNanos)) {
                counters.increment(IfaceCounter.ICMP_ECHO_RATE_LIMITED);
            } else if (reassembled) {
                sendFragmentedEchoReply(buffer, offset, length, source, nowNanos);
            } else {
                sendEchoReply();
            }
        } else if (type == IcmpPacket.TYPE_ECHO_REPLY) {
            counters.increment(IfaceCounter.ICMP_RX_ECHO_REPLIES);
            EchoReplyListener listener = echoReplyListener;
            int dataLength = icmp.payloadLength();
            if (listener != null && dataLength >= ECHO_TIMESTAMP_BYTES) {
                long sentAt = readLong(buffer, icmp.payloadOffset());
                listener.onEchoReply(source, icmp.identifier(), icmp.sequence(), dataLength, nowNanos - sentAt);
            }
        } else if (type == IcmpPacket.TYPE_DEST_UNREACHABLE || type == IcmpPacket.TYPE_SOURCE_QUENCH
                || type == IcmpPacket.TYPE_TIME_EXCEEDED || type == IcmpPacket.TYPE_PARAMETER_PROBLEM) {
            icmpErrorInput(buffer, broadcast, nowNanos);
        } else {
            counters.increment(IfaceCounter.ICMP_RX_OTHER);
        }
    }

    /**
     * RFC 1122 3.2.2: "If an ICMP message of unknown type is received ... Every ICMP error message
     * includes the Internet header and at least the first 8 data octets of the datagram that
     * triggered the error; ... the transport protocol ... is identified from that header". The
     * quote must be a datagram this host sent (our address as its source, the first fragment, so
     * that the transport's ports follow it); its transport checks the rest (RFC 5927 section 4).
     */
    private void icmpErrorInput(byte[] buffer, boolean broadcast, long nowNanos) {
        if (broadcast) {
            counters.increment(IfaceCounter.ICMP_RX_ERROR_BROADCAST);
            return;
        }
        int quote = icmp.payloadOffset();
        int quoteLength = icmp.payloadLength();
        if (quoteLength < IP_HEADER + QUOTED_TRANSPORT_OCTETS || (buffer[quote] & 0xF0) != 0x40) {
            counters.increment(IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE);
            return;
        }
        int quotedHeader = (buffer[quote] & 0x0F) * 4;
        int fragmentOffset = ((buffer[quote + 6] & 0x1F) << 8) | (buffer[quote + 7] & 0xFF);
        if (quotedHeader < IP_HEADER || quoteLength < quotedHeader + QUOTED_TRANSPORT_OCTETS || fragmentOffset != 0
                || readInt(buffer, quote + Ipv4Packet.SOURCE_OFFSET) != address || address == 0) {
            counters.increment(IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE);
            return;
        }
        TransportLayer layer = transportByProtocol[buffer[quote + 9] & 0xFF];
        if (layer == null) {
            counters.increment(IfaceCounter.ICMP_RX_ERROR_NO_TRANSPORT);
            return;
        }
        counters.increment(IfaceCounter.ICMP_RX_ERRORS);
        int quotedTotalLength = ((buffer[quote + 2] & 0xFF) << 8) | (buffer[quote + 3] & 0xFF);
        layer.receiveIcmpError(icmp.type(), icmp.code(), icmp.restOfHeader(), readInt(buffer, quote + Ipv4Packet.DESTINATION_OFFSET),
                quotedTotalLength, buffer, quote + quotedHeader, quoteLength - quotedHeader, nowNanos);
    }

    private boolean takeEchoToken(long nowNanos) {
        int perSecond = config.icmpEchoRepliesPerSecond;
        if (perSecond == 0) {
            return true;
        }
        if (nowNanos - echoTokensRefilledAt >= ONE_SECOND) {
            echoTokens = perSecond;
            echoTokensRefilledAt = nowNanos;
        }
        if (echoTokens > 0) {
            echoTokens--;
            return true;
        }
        return false;
    }

    /** RFC 792: same identifier, sequence and data; reply to the frame's source MAC (no ARP). */
    private void sendEchoReply() {
        int icmpLength = ip.payloadLength();
        EthernetFrame.writeHeader(controlFrame, 0, ethernet.source(), mac, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(controlFrame, L3, IP_HEADER + icmpLength, nextIdentification(), false,
                config.ipTtl, Ipv4Packet.PROTOCOL_ICMP, address, ip.source());
        System.arraycopy(rxFrame, ip.payloadOffset(), controlFrame, L4, icmpLength);
        IcmpPacket.writeEcho(controlFrame, L4, IcmpPacket.TYPE_ECHO_REPLY, icmp.identifier(), icmp.sequence());
        IcmpPacket.writeChecksum(controlFrame, L4, icmpLength);
        if (transmit(controlFrame, 0, L4 + icmpLength)) {
            counters.increment(IfaceCounter.ICMP_TX_ECHO_REPLIES);
            counters.increment(IfaceCounter.IP_TX_PACKETS);
        }
    }

    /**
     * RFC 792 echo reply to a request that arrived in fragments: the same data, so the reply is
     * fragmented too (RFC 1122 3.2.2.6: "Data received in the ICMP Echo Request MUST be entirely
     * included in the resulting Echo Reply"). The header is built apart; the data is sent from
     * the reassembly slot where it lies.
     */
    private void sendFragmentedEchoReply(byte[] buffer, int offset, int length, int destination, long nowNanos) {
        IcmpPacket.writeEcho(icmpHeader, 0, IcmpPacket.TYPE_ECHO_REPLY, icmp.identifier(), icmp.sequence());
        int dataOffset = offset + IcmpPacket.HEADER_LENGTH;
        int dataLength = length - IcmpPacket.HEADER_LENGTH;
        // The checksum covers header and data; both start at even offsets of the message, so their sums add.
        icmpHeader[IcmpPacket.CHECKSUM_OFFSET] = 0;
        icmpHeader[IcmpPacket.CHECKSUM_OFFSET + 1] = 0;
        int checksum = Checksum.finish(Checksum.sum(icmpHeader, 0, IcmpPacket.HEADER_LENGTH) + Checksum.sum(buffer, dataOffset, dataLength));
        icmpHeader[IcmpPacket.CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
        icmpHeader[IcmpPacket.CHECKSUM_OFFSET + 1] = (byte) checksum;
        if (sendFragmented(controlFrame, destination, Ipv4Packet.PROTOCOL_ICMP, icmpHeader, IcmpPacket.HEADER_LENGTH,
                buffer, dataOffset, dataLength, nowNanos)) {
            counters.increment(IfaceCounter.ICMP_TX_ECHO_REPLIES);
        }
    }

    /** RFC 1122 3.2.2.1: protocol unreachable (code 2) carrying the IP header + 8 bytes. */
    private void sendProtocolUnreachable(long nowNanos) {
        int quoted = Math.min(ip.headerLength() + 8, ip.totalLength());
        int icmpLength = IcmpPacket.HEADER_LENGTH + quoted;
        java.util.Arrays.fill(controlFrame, L4, L4 + IcmpPacket.HEADER_LENGTH, (byte) 0);
        controlFrame[L4] = (byte) IcmpPacket.TYPE_DEST_UNREACHABLE;
        controlFrame[L4 + 1] = 2;
        System.arraycopy(rxFrame, ethernet.payloadOffset(), controlFrame, L4 + IcmpPacket.HEADER_LENGTH, quoted);
        IcmpPacket.writeChecksum(controlFrame, L4, icmpLength);
        if (sendDatagram(controlFrame, ip.source(), Ipv4Packet.PROTOCOL_ICMP, icmpLength, false, nowNanos)) {
            counters.increment(IfaceCounter.ICMP_TX_PROTOCOL_UNREACHABLE);
        }
    }

    /**
     * Sends an ICMP echo request whose data starts with {@code nowNanos} (for the round-trip time
     * reported to the {@link EchoReplyListener}) followed by a byte pattern.
     *
     * @param dataBytes echo data length, at least 8 (the timestamp)
     * @return whether the request left or waits for ARP
     * @throws IllegalArgumentException if {@code dataBytes} is below 8 or does not fit a frame
     */
    public boolean ping(int destination, int identifier, int sequence, int dataBytes, long nowNanos) {
        if (dataBytes < ECHO_TIMESTAMP_BYTES || dataBytes > maxTransportLength() - IcmpPacket.HEADER_LENGTH) {
            throw new IllegalArgumentException("ping data must be 8.." + (maxTransportLength() - IcmpPacket.HEADER_LENGTH)
                    + " bytes (it starts with an 8-byte send time), was " + dataBytes);
        }
        int data = L4 + IcmpPacket.HEADER_LENGTH;
        IcmpPacket.writeEcho(controlFrame, L4, IcmpPacket.TYPE_ECHO_REQUEST, identifier, sequence);
        writeLong(controlFrame, data, nowNanos);
        for (int i = ECHO_TIMESTAMP_BYTES; i < dataBytes; i++) {
            controlFrame[data + i] = (byte) i;
        }
        int icmpLength = IcmpPacket.HEADER_LENGTH + dataBytes;
        IcmpPacket.writeChecksum(controlFrame, L4, icmpLength);
        boolean sent = sendDatagram(controlFrame, destination, Ipv4Packet.PROTOCOL_ICMP, icmpLength, false, nowNanos);
        if (sent) {
            counters.increment(IfaceCounter.ICMP_TX_ECHO_REQUESTS);
        }
        return sent;
    }

    // ---- IPv4 output ----

    @Override
    public int localAddress() {
        return address;
    }

    @Override
    public byte[] transmitBuffer() {
        return txFrame;
    }

    @Override
    public int transportOffset() {
        return L4;
    }

    @Override
    public int maxTransportLength() {
        return Math.min(device.mtu(), txFrame.length - L3) - IP_HEADER;
    }

    @Override
    public boolean transportChecksumOnTransmit() {
        return capabilities.transportChecksumOnTransmit();
    }

    @Override
    public boolean transportChecksumVerified() {
        return deliveringVerified;
    }

    @Override
    public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
        return sendDatagram(txFrame, destination, protocol, transportLength, false, nowNanos);
    }

    @Override
    public boolean send(int destination, int protocol, int transportLength, boolean dontFragment, long nowNanos) {
        return sendDatagram(txFrame, destination, protocol, transportLength, dontFragment, nowNanos);
    }

    /**
     * Sends a transport datagram longer than one frame carries, cut into RFC 791 fragments: its
     * first {@code headLength} bytes from {@code head} (a transport header with its checksum
     * already computed over everything), the rest from {@code data[offset, offset + length)}.
     * Fits one frame: sent whole, as {@link #send} would. Built in the transmit buffer.
     *
     * @return whether every fragment left or waits for ARP; false if the datagram was dropped
     *     (beyond 65535 bytes, no route, the ARP queue cannot hold all its fragments, the device
     *     refused one), counted here
     */
    @Override
    public boolean sendLarge(int destination, int protocol, byte[] head, int headLength, byte[] data, int offset, int length,
                             long nowNanos) {
        return sendFragmented(txFrame, destination, protocol, head, headLength, data, offset, length, nowNanos);
    }

    private boolean sendFragmented(byte[] frame, int destination, int protocol, byte[] head, int headLength,
                                   byte[] data, int offset, int length, long nowNanos) {
        int total = headLength + length;
        int maxPayload = maxTransportLength();
        if (total <= maxPayload) {
            System.arraycopy(head, 0, frame, L4, headLength);
            System.arraycopy(data, offset, frame, L4 + headLength, length);
            return sendDatagram(frame, destination, protocol, total, false, nowNanos);
        }
        if (total > Ipv4Packet.MAX_TOTAL_LENGTH - IP_HEADER) {
            counters.increment(IfaceCounter.IP_TX_TOO_LONG);
            return false;
        }
        int nextHop = nextHop(destination);
        if (nextHop == NO_ROUTE) {
            counters.increment(IfaceCounter.IP_TX_NO_ROUTE);
            return false;
        }
        // RFC 791: every fragment but the last carries a multiple of 8 data octets.
        int chunk = maxPayload & ~7;
        int fragments = (total + chunk - 1) / chunk;
        if (!isBroadcast(destination) && neighbors.lookup(nextHop, nowNanos) == -1
                && pending.capacity() - pending.count() < fragments) {
            // Part of a datagram is no datagram: drop it whole rather than queue some fragments.
            counters.increment(IfaceCounter.ARP_PENDING_FULL);
            return false;
        }
        int identification = nextIdentification();
        for (int at = 0; at < total; at += chunk) {
            int size = Math.min(chunk, total - at);
            copyLogical(head, headLength, data, offset, at, frame, L4, size);
            int flags = (at + size < total ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0) | (at >>> 3);
            if (!emit(frame, destination, nextHop, protocol, size, identification, flags, nowNanos)) {
                return false;
            }
            counters.increment(IfaceCounter.IP_TX_FRAGMENTS);
        }
        counters.increment(IfaceCounter.IP_TX_FRAGMENTED_DATAGRAMS);
        return true;
    }

    /** Copies bytes [from, from + size) of head[0, headLength) followed by data[offset..] into target. */
    private static void copyLogical(byte[] head, int headLength, byte[] data, int offset, int from, byte[] target,
                                    int targetOffset, int size) {
        int fromHead = Math.max(0, Math.min(headLength - from, size));
        if (fromHead > 0) {
            System.arraycopy(head, from, target, targetOffset, fromHead);
        }
        int dataStart = from + fromHead - headLength;
        System.arraycopy(data, offset + dataStart, target, targetOffset + fromHead, size - fromHead);
    }

    private boolean sendDatagram(byte[] frame, int destination, int protocol, int transportLength,
                                 boolean dontFragment, long nowNanos) {
        if (transportLength < 0 || transportLength > maxTransportLength()) {
            counters.increment(IfaceCounter.IP_TX_TOO_LONG);
            return false;
        }
        int nextHop = nextHop(destination);
        if (nextHop == NO_ROUTE) {
            counters.increment(IfaceCounter.IP_TX_NO_ROUTE);
            return false;
        }
        return emit(frame, destination, nextHop, protocol, transportLength, nextIdentification(),
                dontFragment ? Ipv4Packet.FLAG_DONT_FRAGMENT : 0, nowNanos);
    }

    /** The neighbor a datagram to {@code destination} goes to, or {@link #NO_ROUTE}. */
    private int nextHop(int destination) {
        if (isBroadcast(destination) || ((destination ^ address) & netmask) == 0) {
            return destination;
        }
        return gateway != 0 ? gateway : NO_ROUTE;
    }

    private boolean isBroadcast(int destination) {
        return destination == BROADCAST_ADDRESS || destination == directedBroadcast;
    }

    /** Writes the IPv4 and Ethernet headers in front of the transport bytes and transmits or queues for ARP. */
    private boolean emit(byte[] frame, int destination, int nextHop, int protocol, int transportLength, int identification,
                         int flagsAndFragmentOffset, long nowNanos) {
        Ipv4Packet.writeHeader(frame, L3, IP_HEADER + transportLength, identification, flagsAndFragmentOffset,
                config.ipTtl, protocol, address, destination, !capabilities.ipv4HeaderChecksumOnTransmit());
        int frameLength = L4 + transportLength;
        long destinationMac = isBroadcast(destination) ? MacAddress.BROADCAST : neighbors.lookup(nextHop, nowNanos);
        if (destinationMac != -1) {
            EthernetFrame.writeHeader(frame, 0, destinationMac, mac, EthernetFrame.TYPE_IPV4);
            boolean sent = transmit(frame, 0, frameLength);
            if (sent) {
                counters.increment(IfaceCounter.IP_TX_PACKETS);
            }
            return sent;
        }
        return queueForResolution(frame, frameLength, nextHop, nowNanos);
    }

    private boolean queueForResolution(byte[] frame, int frameLength, int nextHop, long nowNanos) {
        EthernetFrame.writeHeader(frame, 0, MacAddress.BROADCAST, mac, EthernetFrame.TYPE_IPV4);
        if (!pending.add(nextHop, frame, 0, frameLength, nowNanos)) {
            counters.increment(IfaceCounter.ARP_PENDING_FULL);
            return false;
        }
        counters.increment(IfaceCounter.ARP_PENDING_QUEUED);
        counters.increment(IfaceCounter.IP_TX_PACKETS);
        if (neighbors.find(nextHop) == NeighborCache.NONE) {
            int entry = neighbors.startResolving(nextHop, nowNanos, evicted);
            if (evicted[0]) {
                counters.increment(IfaceCounter.ARP_CACHE_EVICTIONS);
            }
            sendArp(ArpPacket.OP_REQUEST, MacAddress.BROADCAST, 0L, nextHop);
            counters.increment(IfaceCounter.ARP_TX_REQUESTS);
            neighbors.requestSent(entry, nowNanos, config.arpRequestIntervalNanos);
        }
        return true;
    }

    /**
     * With a device that segments, the most a TCP segment can carry: a 65535-byte IPv4 datagram
     * (RFC 791's total length) or the device's limit, whichever is smaller; 0 otherwise.
     */
    @Override
    public int maxSegmentedTransportLength() {
        int frame = Math.min(device.maxSegmentedFrameLength(), txFrame.length);
        if (frame <= L4 + IP_HEADER) {
            return 0;
        }
        return Math.min(frame - L4, Ipv4Packet.MAX_TOTAL_LENGTH - IP_HEADER);
    }

    /**
     * A TCP segment longer than the MTU, to the device's segmentation offload. Don't Fragment as
     * every TCP datagram; the device copies the IPv4 header into each segment it cuts. Not
     * queued for ARP (the queue holds frames the device sends as they are): with the next hop
     * unknown the segment is dropped and counted, resolution starts, and TCP's retransmission
     * sends the data again.
     */
    @Override
    public boolean sendSegmented(int destination, int transportLength, int segmentPayload, long nowNanos) {
        if (transportLength <= maxTransportLength()) {
            return send(destination, TCP_PROTOCOL, transportLength, nowNanos);
        }
        if (transportLength > maxSegmentedTransportLength()) {
            counters.increment(IfaceCounter.IP_TX_TOO_LONG);
            return false;
        }
        int nextHop = nextHop(destination);
        if (nextHop == NO_ROUTE || isBroadcast(destination)) {
            counters.increment(IfaceCounter.IP_TX_NO_ROUTE);
            return false;
        }
        long destinationMac = neighbors.lookup(nextHop, nowNanos);
        if (destinationMac == -1) {
            counters.increment(IfaceCounter.IP_TX_SEGMENTED_UNRESOLVED);
            if (neighbors.find(nextHop) == NeighborCache.NONE) {
                int entry = neighbors.startResolving(nextHop, nowNanos, evicted);
                if (evicted[0]) {
                    counters.increment(IfaceCounter.ARP_CACHE_EVICTIONS);
                }
                sendArp(ArpPacket.OP_REQUEST, MacAddress.BROADCAST, 0L, nextHop);
                counters.increment(IfaceCounter.ARP_TX_REQUESTS);
                neighbors.requestSent(entry, nowNanos, config.arpRequestIntervalNanos);
            }
            return false;
        }
        Ipv4Packet.writeHeader(txFrame, L3, IP_HEADER + transportLength, nextIdentification(), Ipv4Packet.FLAG_DONT_FRAGMENT,
                config.ipTtl, TCP_PROTOCOL, address, destination);
        EthernetFrame.writeHeader(txFrame, 0, destinationMac, mac, EthernetFrame.TYPE_IPV4);
        int frameLength = L4 + transportLength;
        if (!device.transmitSegmented(txFrame, 0, frameLength, segmentPayload)) {
            counters.increment(IfaceCounter.TX_DEVICE_BUSY);
            return false;
        }
        counters.increment(IfaceCounter.TX_FRAMES);
        counters.add(IfaceCounter.TX_BYTES, frameLength);
        counters.increment(IfaceCounter.IP_TX_PACKETS);
        counters.increment(IfaceCounter.IP_TX_SEGMENTED);
        return true;
    }

    private boolean transmit(byte[] frame, int offset, int length) {
        if (device.transmit(frame, offset, length)) {
            counters.increment(IfaceCounter.TX_FRAMES);
            counters.add(IfaceCounter.TX_BYTES, length);
            return true;
        }
        counters.increment(IfaceCounter.TX_DEVICE_BUSY);
        return false;
    }

    // ---- inspection ----

    public Counters<IfaceCounter> counters() {
        return counters;
    }

    public NeighborCache neighbors() {
        return neighbors;
    }

    public PendingFrames pendingFrames() {
        return pending;
    }

    /** The IPv4 reassembly slots (for inspection: slots in use). */
    public Ipv4Reassembly reassembly() {
        return reassembly;
    }

    public long macAddress() {
        return mac;
    }

    public FrameDevice device() {
        return device;
    }

    public StackConfig config() {
        return config;
    }

    /** The last exception caught in the input path (a bug), or null. */
    public Throwable lastInternalError() {
        return lastInternalError;
    }

    /** RFC 791 identification: 16 bits, wrapping (RFC 6864: unique only while fragments may exist). */
    private int nextIdentification() {
        int id = nextIdentification;
        nextIdentification = (id + 1) & 0xFFFF;
        return id;
    }

    private static int readInt(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 24 | (buffer[offset + 1] & 0xFF) << 16 | (buffer[offset + 2] & 0xFF) << 8
                | (buffer[offset + 3] & 0xFF);
    }

    private static long readLong(byte[] buffer, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[offset + i] & 0xFF);
        }
        return value;
    }

    private static void writeLong(byte[] buffer, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            buffer[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
