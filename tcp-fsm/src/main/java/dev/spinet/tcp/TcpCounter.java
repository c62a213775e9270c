package dev.spinet.tcp;

/** Every drop and event of the TCP layer, counted in a {@link dev.spinet.stats.Counters}. */
public enum TcpCounter {
    SEGMENTS_RECEIVED,
    SEGMENTS_SENT,
    /** In-order payload bytes delivered into receive rings. */
    BYTES_RECEIVED,
    /** Payload bytes sent, retransmissions included. */
    BYTES_SENT,

    // ---- malformed or misaddressed input ----
    DROP_TRUNCATED,
    DROP_BAD_DATA_OFFSET,
    DROP_BAD_OPTION,
    DROP_BAD_FIELD,
    DROP_BAD_CHECKSUM,
    /** Sent to a broadcast address or not to this host (RFC 1122 4.2.3.10). */
    DROP_NOT_UNICAST,
    /** Source or destination port 0. */
    DROP_BAD_PORT,

    // ---- no connection ----
    /** Segment for a port nobody uses: answered with RST (RFC 9293 3.10.7.1). */
    RST_SENT_NO_CONNECTION,
    /** RST for a port nobody uses: dropped. */
    DROP_RST_NO_CONNECTION,
    LISTEN_DROP_RST,
    /** ACK arriving at a listener: answered with RST. */
    LISTEN_RST_FOR_ACK,
    /** Segment without SYN, ACK or RST at a listener. */
    LISTEN_DROP_OTHER,
    /**
     * A SYN, a returning SYN cookie or a handshake's final ACK dropped because the listener's
     * application had its accept queue full ({@code TcpHandler.acceptQueueFull}); the peer
     * retransmits (Linux's ListenOverflows).
     */
    LISTEN_ACCEPT_QUEUE_FULL,

    // ---- pools ----
    SYN_OVERFLOW_RESET,
    SYN_OVERFLOW_DROPPED,
    BACKLOG_EVICTED,
    TIME_WAIT_RECYCLED,
    /** SYN answered with a SYN cookie (RFC 4987) because the backlog or the TCB pool was full. */
    SYN_COOKIES_SENT,
    /** ACK carrying a valid cookie: the connection was built from it. */
    SYN_COOKIES_ACCEPTED,
    /** ACK at a listener while cookies were in use whose cookie did not verify: answered with RST. */
    SYN_COOKIES_INVALID,
    /** Valid cookie but no free TCB: dropped without reply (the client retransmits). */
    SYN_COOKIES_NO_TCB,

    // ---- segment arrival in a connection (RFC 9293 3.10.7.4) ----
    DROP_UNACCEPTABLE,
    DROP_NO_ACK,
    /** ACK for data never sent: answered with an ACK and dropped. */
    DROP_ACK_TOO_NEW,
    /** RFC 5961 5.2: ACK older than SND.UNA - MAX.SND.WND. */
    DROP_ACK_TOO_OLD,
    DROP_SYN_SENT_BAD_ACK,
    DROP_SYN_SENT_OTHER,
    RST_ACCEPTED,
    RST_IGNORED,
    /** RSTs a TIME-WAIT entry ignored under RFC 1337 section 3 (StackConfig.tcpRfc1337). */
    RST_IGNORED_IN_TIME_WAIT,
    CHALLENGE_ACK_SENT,
    CHALLENGE_ACK_RATE_LIMITED,
    /**
     * ACK owed to an unacceptable segment without data or FIN (or to an ACK of unsent data), not
     * sent because one went out on this connection less than 500 ms ago (breaks ACK storms after
     * a desynchronisation).
     */
    OUT_OF_WINDOW_ACK_RATE_LIMITED,
    /** Retransmitted data or FIN we already had: acknowledged again, never throttled. */
    DUPLICATE_SEGMENTS_ACKED,
    SYN_ACK_RETRANSMITTED,
    /** A SYN other than the one we have, in a passive SYN-RECEIVED: back to LISTEN (RFC 9293 3.10.7.4). */
    HALF_OPEN_RETURNED_TO_LISTEN_BY_SYN,
    /** Bytes trimmed because they lay before RCV.NXT (already received). */
    DUPLICATE_BYTES,
    /** Bytes trimmed because they lay past the receive window. */
    OUT_OF_WINDOW_BYTES,
    OUT_OF_ORDER_SEGMENTS,
    DROP_REASSEMBLY_FULL,
    URGENT_IGNORED,
    /** New data arriving after the application closed: answered with RST (RFC 1122 4.2.2.13). */
    RST_SENT_DATA_AFTER_CLOSE,
    /** close() while received data was unread: RST instead of FIN (RFC 1122 4.2.2.13). */
    RST_SENT_CLOSE_WITH_UNREAD_DATA,

    // ---- timestamps (RFC 7323) and SACK (RFC 2018, RFC 2883) on arrival ----
    /** PAWS (RFC 7323 5.3 R1): SEG.TSval older than TS.Recent; dropped, acknowledged (throttled). */
    PAWS_REJECTED,
    /** A non-RST segment without the timestamps option on a connection that uses them (RFC 7323 3.2): dropped. */
    DROP_MISSING_TIMESTAMPS,
    /** Duplicate data reported to the sender in a D-SACK block (RFC 2883). */
    DUPLICATES_REPORTED,
    /** SACK blocks received that SACK nothing new in (SND.UNA, SND.MAX]: outside it, or a repeat. */
    SACK_BLOCKS_IGNORED,
    /** D-SACK blocks received (RFC 2883 section 4: below SEG.ACK or inside the second block). */
    DSACKS_RECEIVED,
    /**
     * Fast recoveries undone because every octet they retransmitted came back D-SACKed (RFC 3708):
     * the "lost" segment had been reordered, cwnd and ssthresh went back.
     */
    SPURIOUS_RECOVERIES_UNDONE,
    /** Tail loss probes sent (RFC 8985 section 7): the PTO expired with data outstanding. */
    TAIL_LOSS_PROBES,
    /** SACK recoveries begun by early retransmit (RFC 5827): too few segments out for three duplicates. */
    EARLY_RETRANSMITS,
    /** A SACKed range was forgotten because the scoreboard was full. */
    SACK_SCOREBOARD_FULL,

    // ---- ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 5927, RFC 6633, RFC 1191) ----
    /** An ICMP error kept as the connection's soft error (in a synchronized state every error is soft). */
    ICMP_SOFT_ERRORS,
    /** A hard ICMP error (port or protocol unreachable, prohibited...) ended a connection in SYN-SENT. */
    ICMP_HARD_ERROR_ABORTS,
    /** RFC 6633: source quench is ignored. */
    ICMP_SOURCE_QUENCH_IGNORED,
    /** The error quoted fewer than 8 octets of our TCP header. */
    ICMP_TCP_ERROR_TRUNCATED,
    /** The quoted 4-tuple names no connection (or only a TIME-WAIT entry). */
    ICMP_TCP_ERROR_NO_CONNECTION,
    /** RFC 5927 4.1: the quoted sequence number is not in SND.UNA..SND.MAX (nothing of ours in flight there). */
    ICMP_TCP_ERROR_INVALID,
    /** StackConfig.tcpIcmpErrors (or tcpPathMtuDiscovery for "fragmentation needed") is off. */
    ICMP_TCP_ERROR_DISABLED,
    /** RFC 1191: a "fragmentation needed" lowered a connection's path MTU estimate. */
    PMTU_LOWERED,
    /** A report below StackConfig.tcpPathMtuMinimum: the estimate stays at that floor and DF is cleared. */
    PMTU_AT_FLOOR,
    /** A zero MTU field: the next RFC 1191 plateau below the quoted length was taken. */
    PMTU_PLATEAU_GUESSES,
    /** A "fragmentation needed" whose MTU is not below the estimate (or fits the quoted datagram): ignored. */
    PMTU_IGNORED,
    /** The flight was sent again at once in the smaller size after the path MTU fell. */
    PMTU_RETRANSMISSIONS,

    // ---- TIME-WAIT ----
    TIME_WAIT_ACK_SENT,
    TIME_WAIT_REOPENED,
    TIME_WAIT_DROPPED,

    // ---- sending ----
    RETRANSMISSION_TIMEOUTS,
    RETRANSMITTED_SEGMENTS,
    FAST_RETRANSMITS,
    PARTIAL_ACKS,
    DUPLICATE_ACKS,
    DELAYED_ACKS,
    /** Out-of-order segments whose own ACK SACK compression withheld (Linux TCPAckCompressed, roughly). */
    SACK_COMPRESSED_ACKS,
    /** Entries into RFC 6675 loss recovery (also counted in FAST_RETRANSMITS). */
    SACK_RECOVERIES,
    /** Segments RFC 6675's NextSeg() retransmitted (beyond the fast retransmit that began recovery). */
    SACK_RECOVERY_RETRANSMITS,
    /** Segments sent carrying a SACK option (RFC 2018). */
    SACK_OPTIONS_SENT,
    /** RTT samples taken from the TSecr of an ACK of new data (RFC 7323 section 4). */
    RTT_SAMPLES_FROM_TIMESTAMPS,
    /**
     * New data segments that end past SND.UNA + cwnd: RFC 3042 limited transmit (NewReno peers),
     * or what pipe allows with SACK (RFC 6675 step (3) and NextSeg() rule (2)).
     */
    NEW_DATA_BEYOND_CWND,
    /** cwnd cut to the restart window after an idle time longer than the RTO (RFC 5681 4.1). */
    CWND_RESTARTS_AFTER_IDLE,
    PERSIST_PROBES,
    KEEPALIVE_PROBES,
    SEND_FAILED,
    /** Segments of several MSS handed to a device that segments them (TSO); each also counts in SEGMENTS_SENT. */
    SEGMENTED_SENDS,

    // ---- connections ----
    ACTIVE_OPENS,
    PASSIVE_OPENS,
    CLOSED_NORMAL,
    CLOSED_RESET,
    CLOSED_REFUSED,
    CLOSED_TIMED_OUT,
    CLOSED_ABORTED,
    CLOSED_UNREACHABLE,

    // ---- defects (should stay 0) ----
    INTERNAL_ERROR,
    HANDLER_ERROR,
    /** A data segment's bytes were not all in the send ring (it would have carried stale bytes); not sent. */
    SEND_RANGE_OUTSIDE_RING
}
