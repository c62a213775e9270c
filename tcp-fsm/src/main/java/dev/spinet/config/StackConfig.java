package dev.spinet.config;

/**
 * Every capacity and tunable of one stack, read once when the stack is built: nothing grows
 * after that. Build with {@link #builder()}; {@link Builder#build()} checks ranges and says
 * what to change when a value is out of range.
 *
 * <p>Times are in nanoseconds. Addresses are IPv4 addresses in an int (first octet highest).
 */
public final class StackConfig {

    /** What a listener does with a SYN when it has no free TCB or backlog slot. */
    public enum SynOverflowPolicy {
        /** Answer with RST: the client sees "connection refused" at once. */
        RESET,
        /** Drop silently: the client retransmits its SYN and may get in later. */
        DROP,
        /** Answer with a SYN cookie (RFC 4987) and build the connection when the ACK arrives. */
        SYN_COOKIE
    }

    // ---- interface / IPv4 ----
    public final int ipAddress;
    public final int prefixLength;
    public final int gateway;
    public final int frameBufferBytes;
    public final int ipTtl;

    // ---- IPv4 reassembly (RFC 791, RFC 815) ----
    /** Datagrams reassembled at once; 0 = none (every fragment is counted and dropped). */
    public final int ipReassemblySlots;
    /** The largest datagram payload (the bytes after the IPv4 header) one slot rebuilds. */
    public final int ipReassemblyBytes;
    /** How long a slot waits for its missing fragments, from the first one's arrival. */
    public final long ipReassemblyTimeoutNanos;

    // ---- ARP / neighbor cache ----
    public final int arpCacheEntries;
    public final long arpEntryLifetimeNanos;
    public final long arpRequestIntervalNanos;
    public final int arpRequestAttempts;
    public final int arpPendingFrames;

    // ---- ICMP ----
    /** Echo replies allowed per second (token bucket); 0 = unlimited. */
    public final int icmpEchoRepliesPerSecond;

    // ---- UDP ----
    public final int udpSockets;
    /** Application sockets over the stack-thread bridge ({@code dev.spinet.udp.UdpSockets}); 0 = none. */
    public final int udpAppSockets;
    /** Datagrams each application socket queues in each direction. */
    public final int udpAppQueueDatagrams;
    /** The largest datagram (data bytes) an application socket sends or receives. */
    public final int udpAppDatagramBytes;

    // ---- DNS resolver (RFC 1035) ----
    /** Names the resolver's cache holds (0 = no cache). */
    public final int dnsCacheEntries;
    /** Lookups in flight at once; 0 = no resolver. */
    public final int dnsQueries;
    /** Wait for the first answer; each later round waits twice as long as the one before. */
    public final long dnsTimeoutNanos;
    /** Rounds over the server list before a lookup times out. */
    public final int dnsAttempts;
    /** The largest answer taken over TCP after a truncated one (RFC 7766). */
    public final int dnsTcpMessageBytes;

    // ---- TCP: memory ----
    public final int tcpConnections;
    public final int tcpReceiveBufferBytes;
    public final int tcpSendBufferBytes;
    /**
     * The largest receive window a connection announces, at most the receive ring; the ring when
     * 0 (the default). A controller whose buffer cannot hold a whole ring of one connection's
     * flight (the ENC28J60) needs a window between two powers of two, such as three full segments.
     */
    public final int tcpReceiveWindowBytes;
    public final int tcpListeners;
    public final int tcpBacklogMax;
    public final int tcpTimeWaitEntries;
    public final int tcpReassemblyHoles;
    public final SynOverflowPolicy tcpSynOverflowPolicy;

    // ---- TCP: protocol ----
    public final int tcpMss;
    public final long tcpMslNanos;
    public final long tcpRtoInitialNanos;
    public final long tcpRtoMinNanos;
    public final long tcpRtoMaxNanos;
    public final int tcpMaxRetransmissions;
    public final int tcpMaxSynRetransmissions;
    /** R2 for a SYN or SYN,ACK (RFC 1122 4.2.3.5), as a time; see {@link Builder#tcpSynGiveUpNanos}. */
    public final long tcpSynGiveUpNanos;
    public final long tcpDelayedAckNanos;
    public final long tcpUserTimeoutNanos;
    public final boolean tcpKeepalive;
    public final long tcpKeepaliveIdleNanos;
    public final long tcpKeepaliveIntervalNanos;
    public final int tcpKeepaliveProbes;
    /**
     * How long a connection whose application has closed waits in FIN-WAIT-2 for the peer's FIN
     * (Linux's tcp_fin_timeout); 0 = as long as the peer takes.
     */
    public final long tcpFinWait2TimeoutNanos;
    public final int tcpChallengeAcksPerSecond;
    public final boolean tcpWindowScaling;
    /** RFC 7323 timestamps: TSval/TSecr, RTTM and PAWS (offered in SYNs, used when both ends offer them). */
    public final boolean tcpTimestamps;
    /** RFC 2018 selective acknowledgments, both directions, with RFC 6675 loss recovery when sending. */
    public final boolean tcpSack;
    /** RFC 2883 D-SACK: duplicate segments reported in the first SACK block (needs {@link #tcpSack}). */
    public final boolean tcpDuplicateSack;
    /**
     * SACK compression as Linux does it (tcp_input.c __tcp_ack_snd_check): past the first three
     * duplicate ACKs for one RCV.NXT, further out-of-order segments are answered by one ACK after
     * min({@link #tcpSackCompressionDelayNanos}, RTT/20), or at once after
     * {@link #tcpSackCompressionMaxAcks} withheld. Only on connections that use SACK.
     */
    public final boolean tcpSackCompression;
    /** The longest an out-of-order segment's ACK waits under SACK compression (Linux tcp_comp_sack_delay_ns). */
    public final long tcpSackCompressionDelayNanos;
    /** ACKs withheld under SACK compression before the next goes at once (Linux tcp_comp_sack_nr). */
    public final int tcpSackCompressionMaxAcks;
    /** SACKed ranges the sender remembers per connection (RFC 6675 scoreboard). */
    public final int tcpSackScoreboardRanges;
    /** RFC 3042 limited transmit: a new segment for each of the first two duplicate ACKs. */
    public final boolean tcpLimitedTransmit;
    /** RFC 3708 / RFC 2883 section 4: a recovery whose retransmissions all came back D-SACKed is undone. */
    public final boolean tcpSpuriousRecoveryUndo;
    /** RFC 8985 section 7 tail loss probe on SACK connections: a probe segment after 2*SRTT of silence. */
    public final boolean tcpTailLossProbe;
    /** RFC 5827 early retransmit on SACK connections: fewer than four segments out, DupThresh = segments - 1. */
    public final boolean tcpEarlyRetransmit;
    /** RFC 1337 section 3: TIME-WAIT ignores RST segments (Linux's tcp_rfc1337). */
    public final boolean tcpRfc1337;
    /** RFC 5681 4.1: after an idle time longer than the RTO, cwnd is cut to the restart window. */
    public final boolean tcpRestartAfterIdle;
    /**
     * ICMP errors about our segments reach their connection (RFC 1122 4.2.3.9): soft errors are
     * kept for the application, hard ones end a connection in SYN-SENT (RFC 5927 5.2).
     */
    public final boolean tcpIcmpErrors;
    /** RFC 1191 path MTU discovery: DF on every segment, "fragmentation needed" lowers the send MSS. */
    public final boolean tcpPathMtuDiscovery;
    /** The lowest path MTU estimate; a router reporting less gets segments of this size without DF. */
    public final int tcpPathMtuMinimum;
    /** Secret for RFC 6528 ISNs and SYN cookies; 0 = choose a random one at start-up. */
    public final long tcpSecret;

    private StackConfig(Builder b) {
        ipAddress = b.ipAddress;
        prefixLength = b.prefixLength;
        gateway = b.gateway;
        frameBufferBytes = b.frameBufferBytes;
        ipTtl = b.ipTtl;
        ipReassemblySlots = b.ipReassemblySlots;
        ipReassemblyBytes = b.ipReassemblyBytes;
        ipReassemblyTimeoutNanos = b.ipReassemblyTimeoutNanos;
        arpCacheEntries = b.arpCacheEntries;
        arpEntryLifetimeNanos = b.arpEntryLifetimeNanos;
        arpRequestIntervalNanos = b.arpRequestIntervalNanos;
        arpRequestAttempts = b.arpRequestAttempts;
        arpPendingFrames = b.arpPendingFrames;
        icmpEchoRepliesPerSecond = b.icmpEchoRepliesPerSecond;
        udpSockets = b.udpSockets;
        udpAppSockets = b.udpAppSockets;
        udpAppQueueDatagrams = b.udpAppQueueDatagrams;
        udpAppDatagramBytes = b.udpAppDatagramBytes;
        dnsCacheEntries = b.dnsCacheEntries;
        dnsQueries = b.dnsQueries;
        dnsTimeoutNanos = b.dnsTimeoutNanos;
        dnsAttempts = b.dnsAttempts;
        dnsTcpMessageBytes = b.dnsTcpMessageBytes;
        tcpConnections = b.tcpConnections;
        tcpReceiveBufferBytes = b.tcpReceiveBufferBytes;
        tcpSendBufferBytes = b.tcpSendBufferBytes;
        tcpReceiveWindowBytes = b.tcpReceiveWindowBytes;
        tcpListeners = b.tcpListeners;
        tcpBacklogMax = b.tcpBacklogMax;
        tcpTimeWaitEntries = b.tcpTimeWaitEntries;
        tcpReassemblyHoles = b.tcpReassemblyHoles;
        tcpSynOverflowPolicy = b.tcpSynOverflowPolicy;
        tcpMss = b.tcpMss;
        tcpMslNanos = b.tcpMslNanos;
        tcpRtoInitialNanos = b.tcpRtoInitialNanos;
        tcpRtoMinNanos = b.tcpRtoMinNanos;
        tcpRtoMaxNanos = b.tcpRtoMaxNanos;
        tcpMaxRetransmissions = b.tcpMaxRetransmissions;
        tcpMaxSynRetransmissions = b.tcpMaxSynRetransmissions;
        tcpSynGiveUpNanos = b.tcpSynGiveUpNanos;
        tcpDelayedAckNanos = b.tcpDelayedAckNanos;
        tcpUserTimeoutNanos = b.tcpUserTimeoutNanos;
        tcpKeepalive = b.tcpKeepalive;
        tcpKeepaliveIdleNanos = b.tcpKeepaliveIdleNanos;
        tcpKeepaliveIntervalNanos = b.tcpKeepaliveIntervalNanos;
        tcpKeepaliveProbes = b.tcpKeepaliveProbes;
        tcpFinWait2TimeoutNanos = b.tcpFinWait2TimeoutNanos;
        tcpChallengeAcksPerSecond = b.tcpChallengeAcksPerSecond;
        tcpWindowScaling = b.tcpWindowScaling;
        tcpTimestamps = b.tcpTimestamps;
        tcpSack = b.tcpSack;
        tcpDuplicateSack = b.tcpDuplicateSack;
        tcpSackCompression = b.tcpSackCompression;
        tcpSackCompressionDelayNanos = b.tcpSackCompressionDelayNanos;
        tcpSackCompressionMaxAcks = b.tcpSackCompressionMaxAcks;
        tcpSackScoreboardRanges = b.tcpSackScoreboardRanges;
        tcpLimitedTransmit = b.tcpLimitedTransmit;
        tcpSpuriousRecoveryUndo = b.tcpSpuriousRecoveryUndo;
        tcpTailLossProbe = b.tcpTailLossProbe;
        tcpEarlyRetransmit = b.tcpEarlyRetransmit;
        tcpRfc1337 = b.tcpRfc1337;
        tcpRestartAfterIdle = b.tcpRestartAfterIdle;
        tcpIcmpErrors = b.tcpIcmpErrors;
        tcpPathMtuDiscovery = b.tcpPathMtuDiscovery;
        tcpPathMtuMinimum = b.tcpPathMtuMinimum;
        tcpSecret = b.tcpSecret;
    }

    /** The network mask for {@link #prefixLength}, e.g. 0xFFFFFF00 for /24. */
    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with the defaults documented on each setter. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ipAddress = ipAddress;
        b.prefixLength = prefixLength;
        b.gateway = gateway;
        b.frameBufferBytes = frameBufferBytes;
        b.ipTtl = ipTtl;
        b.ipReassemblySlots = ipReassemblySlots;
        b.ipReassemblyBytes = ipReassemblyBytes;
        b.ipReassemblyTimeoutNanos = ipReassemblyTimeoutNanos;
        b.arpCacheEntries = arpCacheEntries;
        b.arpEntryLifetimeNanos = arpEntryLifetimeNanos;
        b.arpRequestIntervalNanos = arpRequestIntervalNanos;
        b.arpRequestAttempts = arpRequestAttempts;
        b.arpPendingFrames = arpPendingFrames;
        b.icmpEchoRepliesPerSecond = icmpEchoRepliesPerSecond;
        b.udpSockets = udpSockets;
        b.udpAppSockets = udpAppSockets;
        b.udpAppQueueDatagrams = udpAppQueueDatagrams;
        b.udpAppDatagramBytes = udpAppDatagramBytes;
        b.dnsCacheEntries = dnsCacheEntries;
        b.dnsQueries = dnsQueries;
        b.dnsTimeoutNanos = dnsTimeoutNanos;
        b.dnsAttempts = dnsAttempts;
        b.dnsTcpMessageBytes = dnsTcpMessageBytes;
        b.tcpConnections = tcpConnections;
        b.tcpReceiveBufferBytes = tcpReceiveBufferBytes;
        b.tcpSendBufferBytes = tcpSendBufferBytes;
        b.tcpReceiveWindowBytes = tcpReceiveWindowBytes;
        b.tcpListeners = tcpListeners;
        b.tcpBacklogMax = tcpBacklogMax;
        b.tcpTimeWaitEntries = tcpTimeWaitEntries;
        b.tcpReassemblyHoles = tcpReassemblyHoles;
        b.tcpSynOverflowPolicy = tcpSynOverflowPolicy;
        b.tcpMss = tcpMss;
        b.tcpMslNanos = tcpMslNanos;
        b.tcpRtoInitialNanos = tcpRtoInitialNanos;
        b.tcpRtoMinNanos = tcpRtoMinNanos;
        b.tcpRtoMaxNanos = tcpRtoMaxNanos;
        b.tcpMaxRetransmissions = tcpMaxRetransmissions;
        b.tcpMaxSynRetransmissions = tcpMaxSynRetransmissions;
        b.tcpSynGiveUpNanos = tcpSynGiveUpNanos;
        b.tcpDelayedAckNanos = tcpDelayedAckNanos;
        b.tcpUserTimeoutNanos = tcpUserTimeoutNanos;
        b.tcpKeepalive = tcpKeepalive;
        b.tcpKeepaliveIdleNanos = tcpKeepaliveIdleNanos;
        b.tcpKeepaliveIntervalNanos = tcpKeepaliveIntervalNanos;
        b.tcpKeepaliveProbes = tcpKeepaliveProbes;
        b.tcpFinWait2TimeoutNanos = tcpFinWait2TimeoutNanos;
        b.tcpChallengeAcksPerSecond = tcpChallengeAcksPerSecond;
        b.tcpWindowScaling = tcpWindowScaling;
        b.tcpTimestamps = tcpTimestamps;
        b.tcpSack = tcpSack;
        b.tcpDuplicateSack = tcpDuplicateSack;
        b.tcpSackCompression = tcpSackCompression;
        b.tcpSackCompressionDelayNanos = tcpSackCompressionDelayNanos;
        b.tcpSackCompressionMaxAcks = tcpSackCompressionMaxAcks;
        b.tcpSackScoreboardRanges = tcpSackScoreboardRanges;
        b.tcpLimitedTransmit = tcpLimitedTransmit;
        b.tcpSpuriousRecoveryUndo = tcpSpuriousRecoveryUndo;
        b.tcpTailLossProbe = tcpTailLossProbe;
        b.tcpEarlyRetransmit = tcpEarlyRetransmit;
        b.tcpRfc1337 = tcpRfc1337;
        b.tcpRestartAfterIdle = tcpRestartAfterIdle;
        b.tcpIcmpErrors = tcpIcmpErrors;
        b.tcpPathMtuDiscovery = tcpPathMtuDiscovery;
        b.tcpPathMtuMinimum = tcpPathMtuMinimum;
        b.tcpSecret = tcpSecret;
        return b;
    }

    /** 65535 minus the 20-byte IPv4 header: the most payload one datagram carries. */
    public static final int MAX_IP_PAYLOAD = 65515;
    /** {@link #MAX_IP_PAYLOAD} minus the 8-byte UDP header. */
    public static final int MAX_UDP_DATA = 65507;

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** Fluent, mutable; {@link #build()} validates. */
    public static final class Builder {
        private int ipAddress = 0x0A00_0002; // 10.0.0.2
        private int prefixLength = 24;
        private int gateway = 0;
        private int frameBufferBytes = 1514;
        private int ipTtl = 64;
        private int ipReassemblySlots = 4;
        private int ipReassemblyBytes = 8192;
        private long ipReassemblyTimeoutNanos = 30 * S;
        private int arpCacheEntries = 16;
        private long arpEntryLifetimeNanos = 300 * S;
        private long arpRequestIntervalNanos = 1 * S;
        private int arpRequestAttempts = 3;
        private int arpPendingFrames = 4;
        private int icmpEchoRepliesPerSecond = 0;
        private int udpSockets = 16;
        private int udpAppSockets = 2;
        private int udpAppQueueDatagrams = 8;
        private int udpAppDatagramBytes = 2048;
        private int dnsCacheEntries = 16;
        private int dnsQueries = 2;
        private long dnsTimeoutNanos = 1 * S;
        private int dnsAttempts = 3;
        private int dnsTcpMessageBytes = 4096;
        private int tcpConnections = 8;
        private int tcpReceiveBufferBytes = 16 * 1024;
        private int tcpSendBufferBytes = 16 * 1024;
        private int tcpReceiveWindowBytes;
        private int tcpListeners = 4;
        private int tcpBacklogMax = 4;
        private int tcpTimeWaitEntries = 32;
        private int tcpReassemblyHoles = 4;
        private SynOverflowPolicy tcpSynOverflowPolicy = SynOverflowPolicy.SYN_COOKIE;
        private int tcpMss = 1460;
        private long tcpMslNanos = 30 * S;
        private long tcpRtoInitialNanos = 1 * S;
        private long tcpRtoMinNanos = 200 * MS;
        private long tcpRtoMaxNanos = 60 * S;
        private int tcpMaxRetransmissions = 12;
        private int tcpMaxSynRetransmissions = 10;
        private long tcpSynGiveUpNanos = 180 * S;
        private long tcpDelayedAckNanos = 40 * MS;
        private long tcpUserTimeoutNanos = 0;
        private boolean tcpKeepalive = false;
        private long tcpKeepaliveIdleNanos = 7200 * S;
        private long tcpKeepaliveIntervalNanos = 75 * S;
        private int tcpKeepaliveProbes = 9;
        private long tcpFinWait2TimeoutNanos = 60 * S;
        private int tcpChallengeAcksPerSecond = 10;
        private boolean tcpWindowScaling = true;
        private boolean tcpTimestamps = true;
        private boolean tcpSack = true;
        private boolean tcpDuplicateSack = true;
        private boolean tcpSackCompression = true;
        private long tcpSackCompressionDelayNanos = MS;
        private int tcpSackCompressionMaxAcks = 44;
        private int tcpSackScoreboardRanges = 8;
        private boolean tcpLimitedTransmit = true;
        private boolean tcpSpuriousRecoveryUndo = true;
        private boolean tcpTailLossProbe = true;
        private boolean tcpEarlyRetransmit = true;
        private boolean tcpRfc1337 = true;
        private boolean tcpRestartAfterIdle = true;
        private boolean tcpIcmpErrors = true;
        private boolean tcpPathMtuDiscovery = true;
        private int tcpPathMtuMinimum = 552;
        private long tcpSecret = 0;

        private Builder() {
        }

        /** This host's address (default 10.0.0.2) and prefix length (default 24). */
        public Builder ipAddress(int address, int prefix) {
            this.ipAddress = address;
            this.prefixLength = prefix;
            return this;
        }

        /** Default route; 0 (the default) = none, only the local subnet is reachable. */
        public Builder gateway(int address) {
            this.gateway = address;
            return this;
        }

        /** Size of each frame buffer (default 1514 = Ethernet MTU 1500 + header). */
        public Builder frameBufferBytes(int bytes) {
            this.frameBufferBytes = bytes;
            return this;
        }

        /** TTL of datagrams this host sends (default 64). */
        public Builder ipTtl(int ttl) {
            this.ipTtl = ttl;
            return this;
        }

        /**
         * IPv4 reassembly (RFC 791 "Reassembly", RFC 815): {@code slots} datagrams at once
         * (default 4; 0 turns reassembly off and every fragment is dropped), each up to
         * {@code bytes} of payload after the IPv4 header (default 8192; RFC 1122 3.3.2 asks for at
         * least 576), given up {@code timeoutNanos} after its first fragment arrived (default 30 s,
         * Linux's ipfrag_time; RFC 1122 3.3.2 recommends 60 to 120 s, which holds a slot of a
         * small board hostage for longer). Memory: slots x (bytes + bytes / 64).
         */
        public Builder ipReassembly(int slots, int bytes, long timeoutNanos) {
            this.ipReassemblySlots = slots;
            this.ipReassemblyBytes = bytes;
            this.ipReassemblyTimeoutNanos = timeoutNanos;
            return this;
        }

        /** Neighbor cache slots (default 16); when full the least recently used entry goes. */
        public Builder arpCacheEntries(int entries) {
            this.arpCacheEntries = entries;
            return this;
        }

        /** How long a resolved neighbor stays valid (default 300 s). */
        public Builder arpEntryLifetimeNanos(long nanos) {
            this.arpEntryLifetimeNanos = nanos;
            return this;
        }

        /** Time between ARP requests for one address (default 1 s) and how many (default 3). */
        public Builder arpRequests(long intervalNanos, int attempts) {
            this.arpRequestIntervalNanos = intervalNanos;
            this.arpRequestAttempts = attempts;
            return this;
        }

        /** Frames held while their next hop is being resolved (default 4); more are dropped. */
        public Builder arpPendingFrames(int frames) {
            this.arpPendingFrames = frames;
            return this;
        }

        /** Echo replies per second (default 0 = unlimited). */
        public Builder icmpEchoRepliesPerSecond(int perSecond) {
            this.icmpEchoRepliesPerSecond = perSecond;
            return this;
        }

        /**
         * UDP endpoints (default 16): the DHCP client, the UDP echo service, each open application
         * socket and each DNS lookup in flight (a fresh random port per lookup, RFC 5452) hold one.
         */
        public Builder udpSockets(int sockets) {
            this.udpSockets = sockets;
            return this;
        }

        /**
         * Application UDP sockets ({@code dev.spinet.udp.UdpSockets}, default 2; 0 = none), each
         * with a queue of {@code queueDatagrams} datagrams in each direction (default 8) of up to
         * {@code datagramBytes} data bytes (default 2048). Memory: sockets x 2 x queueDatagrams x
         * datagramBytes.
         */
        public Builder udpAppSockets(int sockets, int queueDatagrams, int datagramBytes) {
            this.udpAppSockets = sockets;
            this.udpAppQueueDatagrams = queueDatagrams;
            this.udpAppDatagramBytes = datagramBytes;
            return this;
        }

        /** Names the DNS cache holds (default 16; 0 = every lookup asks a server). */
        public Builder dnsCacheEntries(int entries) {
            this.dnsCacheEntries = entries;
            return this;
        }

        /**
         * DNS lookups in flight at once (default 2; 0 = no resolver), the wait for the first
         * answer (default 1 s, doubled each round) and the rounds over the server list (default
         * 3): with one server a lookup gives up after 1 + 2 + 4 = 7 s.
         */
        public Builder dnsQueries(int concurrent, long timeoutNanos, int attempts) {
            this.dnsQueries = concurrent;
            this.dnsTimeoutNanos = timeoutNanos;
            this.dnsAttempts = attempts;
            return this;
        }

        /** The largest DNS answer read over TCP after a truncated one (default 4096, 512..65535). */
        public Builder dnsTcpMessageBytes(int bytes) {
            this.dnsTcpMessageBytes = bytes;
            return this;
        }

        /** TCBs (default 8); each owns a receive and a send ring. */
        public Builder tcpConnections(int connections) {
            this.tcpConnections = connections;
            return this;
        }

        /** Per-connection ring sizes (defaults 16 KiB each). */
        public Builder tcpBuffers(int receiveBytes, int sendBytes) {
            this.tcpReceiveBufferBytes = receiveBytes;
            this.tcpSendBufferBytes = sendBytes;
            return this;
        }

        /** The largest receive window to announce, 1..the receive ring; 0 (the default) for the ring. */
        public Builder tcpReceiveWindow(int bytes) {
            this.tcpReceiveWindowBytes = bytes;
            return this;
        }

        /** Listening ports (default 4) and the largest backlog one may ask for (default 4). */
        public Builder tcpListeners(int listeners, int backlogMax) {
            this.tcpListeners = listeners;
            this.tcpBacklogMax = backlogMax;
            return this;
        }

        /** Compact TIME-WAIT entries (default 32); when full the oldest is recycled early. */
        public Builder tcpTimeWaitEntries(int entries) {
            this.tcpTimeWaitEntries = entries;
            return this;
        }

        /** Out-of-order ranges kept per connection (default 4). */
        public Builder tcpReassemblyHoles(int holes) {
            this.tcpReassemblyHoles = holes;
            return this;
        }

        /** What a full listener does with a SYN (default SYN_COOKIE). */
        public Builder tcpSynOverflowPolicy(SynOverflowPolicy policy) {
            this.tcpSynOverflowPolicy = policy;
            return this;
        }

        /** MSS this host announces (default 1460). */
        public Builder tcpMss(int mss) {
            this.tcpMss = mss;
            return this;
        }

        /** Maximum segment lifetime (default 30 s); TIME-WAIT lasts 2*MSL. */
        public Builder tcpMslNanos(long nanos) {
            this.tcpMslNanos = nanos;
            return this;
        }

        /** RFC 6298 initial (1 s), minimum (200 ms) and maximum (60 s) retransmission timeout. */
        public Builder tcpRto(long initialNanos, long minNanos, long maxNanos) {
            this.tcpRtoInitialNanos = initialNanos;
            this.tcpRtoMinNanos = minNanos;
            this.tcpRtoMaxNanos = maxNanos;
            return this;
        }

        /**
         * Retransmissions before giving up (RFC 1122 4.2.3.5 R2 as a count): data (default 12),
         * SYN or SYN,ACK (default 10, more than the 3-minute {@link #tcpSynGiveUpNanos} holds
         * with the default RTOs, so that time decides). A SYN is given up on by whichever limit
         * comes first.
         */
        public Builder tcpMaxRetransmissions(int data, int syn) {
            this.tcpMaxRetransmissions = data;
            this.tcpMaxSynRetransmissions = syn;
            return this;
        }

        /**
         * R2 for a SYN or SYN,ACK as a time (default 3 minutes): at the first retransmission
         * timeout at least this long after the SYN first left, the open attempt ends. RFC 1122
         * 4.2.3.5: "R2 for a SYN segment MUST be set large enough to provide retransmission of
         * the segment for at least 3 minutes. The application can close the connection (i.e.,
         * give up on the open attempt) sooner, of course." With the default RTOs the SYN goes
         * at 0, 1, 3, 7, 15, 31, 63 and 123 s and the attempt ends at 183 s (a count of six
         * retransmissions, the usual default elsewhere, ends it at 127 s). A lower value is
         * allowed, as {@link #tcpMaxRetransmissions} is, for labs and tests.
         */
        public Builder tcpSynGiveUpNanos(long nanos) {
            this.tcpSynGiveUpNanos = nanos;
            return this;
        }

        /** Delayed-ACK timer (default 40 ms; RFC 1122 requires under 500 ms). */
        public Builder tcpDelayedAckNanos(long nanos) {
            this.tcpDelayedAckNanos = nanos;
            return this;
        }

        /** RFC 5482 user timeout: unacknowledged data this old aborts the connection; 0 = off. */
        public Builder tcpUserTimeoutNanos(long nanos) {
            this.tcpUserTimeoutNanos = nanos;
            return this;
        }

        /** Keepalive (default off; RFC 1122: idle 2 h, interval 75 s, 9 probes). */
        public Builder tcpKeepalive(boolean enabled, long idleNanos, long intervalNanos, int probes) {
            this.tcpKeepalive = enabled;
            this.tcpKeepaliveIdleNanos = idleNanos;
            this.tcpKeepaliveIntervalNanos = intervalNanos;
            this.tcpKeepaliveProbes = probes;
            return this;
        }

        /**
         * RFC 5961 section 7 challenge ACKs per second, for each connection on its own (default
         * 10). Never one budget for all connections: its count is the CVE-2016-5696 side channel.
         */
        public Builder tcpChallengeAcksPerSecond(int perSecond) {
            this.tcpChallengeAcksPerSecond = perSecond;
            return this;
        }

        /**
         * The TCP options this host offers in its SYNs, each used on a connection only when the
         * peer's SYN offers it too: RFC 7323 window scaling, RFC 7323 timestamps (RTTM and PAWS)
         * and RFC 2018 SACK (with RFC 6675 loss recovery; D-SACK per {@link #tcpDuplicateSack}).
         * All on by default.
         */
        public Builder tcpOptions(boolean windowScaling, boolean timestamps, boolean sack) {
            this.tcpWindowScaling = windowScaling;
            this.tcpTimestamps = timestamps;
            this.tcpSack = sack;
            return this;
        }

        /**
         * RFC 2883 D-SACK (default on): a duplicate segment is reported to the sender in the first
         * SACK block of the next ACK. Only on connections that use SACK.
         */
        public Builder tcpDuplicateSack(boolean enabled) {
            this.tcpDuplicateSack = enabled;
            return this;
        }

        /**
         * SACK compression (default on, as Linux): on a connection using SACK, the first three
         * duplicate ACKs for one RCV.NXT go at once (the sender's fast retransmit and RFC 6675's
         * DupThresh see them as before); later out-of-order segments are answered by one ACK with
         * the newest SACK blocks after min(delay, RTT/20) (delay default 1 ms, Linux's
         * tcp_comp_sack_delay_ns), or at once when RCV.NXT advances, a duplicate is to be
         * reported, or {@code maxAcks} (default 44, Linux's tcp_comp_sack_nr) were withheld. Off:
         * every out-of-order segment is acknowledged at once (RFC 5681 4.2). See docs/tcp.md.
         */
        public Builder tcpSackCompression(boolean enabled, long delayNanos, int maxAcks) {
            this.tcpSackCompression = enabled;
            this.tcpSackCompressionDelayNanos = delayNanos;
            this.tcpSackCompressionMaxAcks = maxAcks;
            return this;
        }

        /** SACK compression on or off, its delay and count as they are ({@link #tcpSackCompression(boolean, long, int)}). */
        public Builder tcpSackCompression(boolean enabled) {
            this.tcpSackCompression = enabled;
            return this;
        }

        /**
         * SACKed ranges remembered per connection on the sending side (default 8, 1..64): the RFC
         * 6675 scoreboard. When full, the range furthest from SND.UNA is forgotten (its data is
         * then only retransmitted needlessly, never lost).
         */
        public Builder tcpSackScoreboardRanges(int ranges) {
            this.tcpSackScoreboardRanges = ranges;
            return this;
        }

        /**
         * How long a connection whose application has closed waits in FIN-WAIT-2 for the peer's FIN
         * (default 60 s, Linux's tcp_fin_timeout; 0 = for ever). RFC 9293 sets no limit, but a
         * peer that vanished after acknowledging our FIN would hold the TCB for good: nobody is
         * left to abort it. A half-closed connection (shutdownOutput) still reading is not limited.
         */
        public Builder tcpFinWait2TimeoutNanos(long nanos) {
            this.tcpFinWait2TimeoutNanos = nanos;
            return this;
        }

        /**
         * RFC 3042 limited transmit (default on): for each of the first two duplicate ACKs one
         * new segment goes out, if the peer's window allows it and data waits, cwnd unchanged. With
         * SACK peers it is RFC 6675's step (3); off, both wait for the third duplicate ACK.
         */
        public Builder tcpLimitedTransmit(boolean enabled) {
            this.tcpLimitedTransmit = enabled;
            return this;
        }

        /**
         * Undo of a spurious fast recovery with D-SACK (default on; SACK peers only): when every
         * octet retransmitted in a recovery has come back in a D-SACK block (RFC 2883 section 4,
         * RFC 3708's detection), the segment was reordered, not lost, and cwnd and ssthresh go back
         * to their values before the recovery (Linux's DSACK undo; RFC 4015's response restores
         * them too). Off: a reordering deeper than DupThresh costs a halved window each time.
         */
        public Builder tcpSpuriousRecoveryUndo(boolean enabled) {
            this.tcpSpuriousRecoveryUndo = enabled;
            return this;
        }

        /**
         * Tail loss probe (default on; SACK peers only), RFC 8985 section 7: when the ACKs stop
         * with data outstanding and no recovery running, one segment goes after PTO = 2*SRTT
         * (plus a delayed-ACK allowance with one segment out, never later than the RTO): new data
         * if the receive window allows, else the highest segment again. Its SACK or ACK lets loss
         * recovery start instead of the retransmission timeout. Off: a lost tail waits for the RTO.
         */
        public Builder tcpTailLossProbe(boolean enabled) {
            this.tcpTailLossProbe = enabled;
            return this;
        }

        /**
         * Early retransmit (default on; SACK peers only), RFC 5827 section 3.2: with fewer than
         * four segments outstanding and no new data to send, recovery starts once all but one of
         * them are SACKed, instead of waiting for three duplicate acknowledgments that cannot come.
         * Off: a loss in a flight of two or three segments waits for the RTO.
         */
        public Builder tcpEarlyRetransmit(boolean enabled) {
            this.tcpEarlyRetransmit = enabled;
            return this;
        }

        /**
         * RFC 1337 section 3, TIME-WAIT assassination (default on): a RST in TIME-WAIT is ignored
         * and the entry lives out its 2 MSL (hazard TW2: an old duplicate's exchange resetting it
         * early lets the next incarnation meet old segments). Off: an exact RST ends TIME-WAIT as
         * RFC 9293 3.10.7.4 says (Linux's default, tcp_rfc1337 = 0).
         */
        public Builder tcpRfc1337(boolean enabled) {
            this.tcpRfc1337 = enabled;
            return this;
        }

        /**
         * RFC 5681 4.1 restart window (default on): data sent after an idle time longer than the
         * RTO starts with cwnd = min(cwnd, IW). Linux's tcp_slow_start_after_idle.
         */
        public Builder tcpRestartAfterIdle(boolean enabled) {
            this.tcpRestartAfterIdle = enabled;
            return this;
        }

        /**
         * How TCP takes ICMP errors about its segments (both on by default): {@code errors}, RFC 1122
         * 4.2.3.9 soft errors kept for the application and hard errors ending a connection in
         * SYN-SENT (checked as RFC 5927 asks: the quoted 4-tuple and a sequence number in flight);
         * {@code pathMtuDiscovery}, RFC 1191: DF on every segment and a "fragmentation needed"
         * lowering the connection's send MSS (off: no DF, and routers fragment).
         */
        public Builder tcpIcmp(boolean errors, boolean pathMtuDiscovery) {
            this.tcpIcmpErrors = errors;
            this.tcpPathMtuDiscovery = pathMtuDiscovery;
            return this;
        }

        /**
         * The floor of a path MTU estimate (default 552, Linux's {@code min_pmtu}; 68..1500, RFC
         * 1191's own floor is 68): a report below it keeps the estimate here and clears DF, so a
         * forged "fragmentation needed" cannot cut segments to a few bytes (RFC 5927 section 7).
         */
        public Builder tcpPathMtuMinimum(int bytes) {
            this.tcpPathMtuMinimum = bytes;
            return this;
        }

        /** Secret for ISNs and SYN cookies; 0 (default) = random at start-up. Tests fix it. */
        public Builder tcpSecret(long secret) {
            this.tcpSecret = secret;
            return this;
        }

        public StackConfig build() {
            require(prefixLength >= 0 && prefixLength <= 32, "prefix length must be 0..32, was " + prefixLength);
            require(frameBufferBytes >= 60 && frameBufferBytes <= 9018, "frameBufferBytes must be 60..9018, was " + frameBufferBytes);
            require(ipTtl >= 1 && ipTtl <= 255, "ipTtl must be 1..255, was " + ipTtl);
            require(arpCacheEntries >= 1 && arpCacheEntries <= 4096, "arpCacheEntries must be 1..4096, was " + arpCacheEntries);
            require(arpPendingFrames >= 0 && arpPendingFrames <= 1024, "arpPendingFrames must be 0..1024, was " + arpPendingFrames);
            require(arpRequestAttempts >= 1, "arpRequestAttempts must be at least 1");
            require(arpRequestIntervalNanos > 0 && arpEntryLifetimeNanos > 0, "ARP times must be positive");
            require(icmpEchoRepliesPerSecond >= 0, "icmpEchoRepliesPerSecond must be >= 0");
            require(udpSockets >= 0 && udpSockets <= 1024, "udpSockets must be 0..1024, was " + udpSockets);
            require(ipReassemblySlots >= 0 && ipReassemblySlots <= 64,
                    "ipReassembly slots must be 0..64 (0 = drop every fragment), was " + ipReassemblySlots);
            require(ipReassemblyBytes >= 576 && ipReassemblyBytes <= MAX_IP_PAYLOAD,
                    "ipReassembly bytes must be 576 (RFC 1122 3.3.2) .. " + MAX_IP_PAYLOAD + " (65535 minus the IPv4 header), was "
                            + ipReassemblyBytes);
            require(ipReassemblyTimeoutNanos > 0 && ipReassemblyTimeoutNanos <= 255 * S,
                    "ipReassembly timeout must be above 0 and at most 255 s (RFC 791: at most the TTL in seconds), was "
                            + ipReassemblyTimeoutNanos + " ns");
            require(udpAppSockets >= 0 && udpAppSockets <= 1024, "udpAppSockets sockets must be 0..1024, was " + udpAppSockets);
            require(udpAppQueueDatagrams >= 1 && udpAppQueueDatagrams <= 4096 && isPowerOfTwo(udpAppQueueDatagrams),
                    "udpAppSockets queueDatagrams must be a power of two 1..4096, was " + udpAppQueueDatagrams);
            require(udpAppDatagramBytes >= 1 && udpAppDatagramBytes <= MAX_UDP_DATA,
                    "udpAppSockets datagramBytes must be 1.." + MAX_UDP_DATA + ", was " + udpAppDatagramBytes);
            require(dnsCacheEntries >= 0 && dnsCacheEntries <= 4096, "dnsCacheEntries must be 0..4096, was " + dnsCacheEntries);
            require(dnsQueries >= 0 && dnsQueries <= 64, "dnsQueries concurrent must be 0..64, was " + dnsQueries);
            require(dnsTimeoutNanos >= MS && dnsTimeoutNanos <= 60 * S, "dnsQueries timeout must be 1 ms..60 s, was " + dnsTimeoutNanos + " ns");
            require(dnsAttempts >= 1 && dnsAttempts <= 10, "dnsQueries attempts must be 1..10, was " + dnsAttempts);
            require(dnsTcpMessageBytes >= 512 && dnsTcpMessageBytes <= 65535,
                    "dnsTcpMessageBytes must be 512 (RFC 1035's UDP limit) .. 65535, was " + dnsTcpMessageBytes);
            require(tcpConnections >= 0 && tcpConnections <= 65535, "tcpConnections must be 0..65535, was " + tcpConnections);
            require(isPowerOfTwo(tcpReceiveBufferBytes) && tcpReceiveBufferBytes >= 256 && tcpReceiveBufferBytes <= 1 << 30,
                    "tcpReceiveBufferBytes must be a power of two from 256 to 1 GiB, was " + tcpReceiveBufferBytes);
            require(isPowerOfTwo(tcpSendBufferBytes) && tcpSendBufferBytes >= 256 && tcpSendBufferBytes <= 1 << 30,
                    "tcpSendBufferBytes must be a power of two from 256 to 1 GiB, was " + tcpSendBufferBytes);
            require(tcpReceiveWindowBytes >= 0 && tcpReceiveWindowBytes <= tcpReceiveBufferBytes,
                    "tcpReceiveWindowBytes must be 0 (the ring) or at most the receive ring of " + tcpReceiveBufferBytes
                            + " bytes, was " + tcpReceiveWindowBytes);
            require(tcpListeners >= 0 && tcpListeners <= 1024, "tcpListeners must be 0..1024, was " + tcpListeners);
            require(tcpBacklogMax >= 1 && tcpBacklogMax <= 65535, "tcpBacklogMax must be 1..65535, was " + tcpBacklogMax);
            require(tcpTimeWaitEntries >= 1, "tcpTimeWaitEntries must be at least 1");
            require(tcpReassemblyHoles >= 0 && tcpReassemblyHoles <= 64, "tcpReassemblyHoles must be 0..64, was " + tcpReassemblyHoles);
            require(tcpSynOverflowPolicy != null, "tcpSynOverflowPolicy must be set");
            require(tcpMss >= 88 && tcpMss <= frameBufferBytes - 54, "tcpMss must be 88.." + (frameBufferBytes - 54) + " for this frame size, was " + tcpMss);
            require(tcpMslNanos > 0, "tcpMslNanos must be positive");
            require(tcpRtoMinNanos > 0 && tcpRtoMinNanos <= tcpRtoInitialNanos && tcpRtoInitialNanos <= tcpRtoMaxNanos,
                    "RTOs must satisfy 0 < min <= initial <= max");
            require(tcpMaxRetransmissions >= 1 && tcpMaxSynRetransmissions >= 1, "retransmission limits must be at least 1");
            require(tcpSynGiveUpNanos > 0, "tcpSynGiveUpNanos must be positive (RFC 1122 4.2.3.5 asks for at least 3 minutes)");
            require(tcpSackCompressionDelayNanos >= 0 && tcpSackCompressionDelayNanos <= 100 * MS,
                    "tcpSackCompressionDelayNanos must be 0..100 ms");
            require(tcpSackCompressionMaxAcks >= 1 && tcpSackCompressionMaxAcks <= 255, "tcpSackCompressionMaxAcks must be 1..255");
            require(tcpDelayedAckNanos >= 0 && tcpDelayedAckNanos < 500 * MS, "tcpDelayedAckNanos must be under 500 ms (RFC 1122 4.2.3.2)");
            require(tcpUserTimeoutNanos >= 0, "tcpUserTimeoutNanos must be >= 0");
            require(tcpKeepaliveIdleNanos > 0 && tcpKeepaliveIntervalNanos > 0 && tcpKeepaliveProbes >= 1, "keepalive values must be positive");
            require(tcpFinWait2TimeoutNanos >= 0, "tcpFinWait2TimeoutNanos must be >= 0 (0 = no limit), was " + tcpFinWait2TimeoutNanos);
            require(tcpChallengeAcksPerSecond >= 1, "tcpChallengeAcksPerSecond must be at least 1");
            require(tcpSackScoreboardRanges >= 1 && tcpSackScoreboardRanges <= 64,
                    "tcpSackScoreboardRanges must be 1..64, was " + tcpSackScoreboardRanges);
            require(tcpPathMtuMinimum >= 68 && tcpPathMtuMinimum <= 1500,
                    "tcpPathMtuMinimum must be 68 (RFC 1191's floor) .. 1500, was " + tcpPathMtuMinimum);
            return new StackConfig(this);
        }

        private static boolean isPowerOfTwo(int value) {
            return value > 0 && (value & (value - 1)) == 0;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("StackConfig: " + message);
            }
        }
    }
}
