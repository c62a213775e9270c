package dev.spinet.app;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * A TCP behaviour {@code spinet run --tcp-features} switches: each is one of StackConfig's switches,
 * all on by default (docs/tcp.md, "Switches").
 */
public enum TcpFeature {
    /** RFC 3042 limited transmit, and RFC 6675 step (3) for SACK peers (StackConfig.tcpLimitedTransmit). */
    LIMITED_TRANSMIT,
    /**
     * RFC 3708 detection with RFC 2883 D-SACKs: a fast recovery whose retransmissions all come back
     * D-SACKed is undone (StackConfig.tcpSpuriousRecoveryUndo).
     */
    SPURIOUS_RECOVERY_UNDO,
    /** RFC 1337 section 3: TIME-WAIT ignores RST segments (StackConfig.tcpRfc1337). */
    RFC1337,
    /** RFC 5681 4.1: cwnd cut to the restart window after an idle RTO (StackConfig.tcpRestartAfterIdle). */
    RESTART_AFTER_IDLE,
    /** RFC 1122 4.2.3.9: ICMP errors about our segments reach their connection (StackConfig.tcpIcmpErrors). */
    ICMP_ERRORS,
    /** RFC 1191: DF on every segment, "fragmentation needed" lowers the send MSS (StackConfig.tcpPathMtuDiscovery). */
    PMTU_DISCOVERY,
    /** RFC 8985 section 7 tail loss probe, SACK peers (StackConfig.tcpTailLossProbe). */
    TAIL_LOSS_PROBE,
    /** RFC 5827 early retransmit, SACK peers (StackConfig.tcpEarlyRetransmit). */
    EARLY_RETRANSMIT,
    /**
     * Linux's SACK compression at the receiver: past three duplicate ACKs per RCV.NXT, out-of-order
     * segments share one ACK (StackConfig.tcpSackCompression); off, each is acknowledged at once.
     */
    SACK_COMPRESSION;

    /** The name on the command line: {@code limited-transmit}, {@code rfc1337} ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every label, comma-separated, in declaration order. */
    public static String labels() {
        StringJoiner joined = new StringJoiner(", ");
        for (TcpFeature feature : values()) {
            joined.add(feature.label());
        }
        return joined.toString();
    }

    /** The feature labelled {@code text}, or an error naming the choices. */
    public static TcpFeature parse(String text) {
        String label = text.trim().toLowerCase(Locale.ROOT);
        for (TcpFeature feature : values()) {
            if (feature.label().equals(label)) {
                return feature;
            }
        }
        throw new IllegalArgumentException("'" + text.trim() + "' is no TCP feature; give " + labels() + ", or none");
    }
}
