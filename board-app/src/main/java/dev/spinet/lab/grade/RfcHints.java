package dev.spinet.lab.grade;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;

/** Where RFC 9293 (or the RFC it defers to) says what a connection does on each edge: the hint of a failed edge. */
final class RfcHints {

    private RfcHints() {
    }

    static String of(TcpState from, TcpState to, TransitionCause cause) {
        return switch (cause) {
            case PASSIVE_OPEN, ACTIVE_OPEN -> "RFC 9293 3.10.1 (OPEN Call): passive OPEN waits in LISTEN; active OPEN sends <SEQ=ISS><CTL=SYN>, "
                    + "sets SND.UNA=ISS, SND.NXT=ISS+1 and enters SYN-SENT";
            case SEND -> "RFC 9293 3.10.2 (SEND Call), LISTEN STATE: with a foreign socket, send a SYN (ISS), enter SYN-SENT";
            case CLOSE -> switch (from) {
                case LISTEN, SYN_SENT -> "RFC 9293 3.10.4 (CLOSE Call), LISTEN/SYN-SENT STATE: delete the TCB, enter CLOSED; nothing is sent";
                case SYN_RECEIVED, ESTABLISHED -> "RFC 9293 3.10.4 (CLOSE Call): queue a FIN after any data (<SEQ=SND.NXT><CTL=FIN,ACK>), "
                        + "enter FIN-WAIT-1";
                default -> "RFC 9293 3.10.4 (CLOSE Call), CLOSE-WAIT STATE: send a FIN after any data, enter LAST-ACK";
            };
            case ABORT -> "RFC 9293 3.10.5 (ABORT Call): SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT send <SEQ=SND.NXT><CTL=RST>; "
                    + "LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT send nothing; then CLOSED";
            case RCV_SYN -> switch (from) {
                case LISTEN -> "RFC 9293 3.10.7.2 (LISTEN STATE, third: SYN): IRS=SEG.SEQ, RCV.NXT=SEG.SEQ+1, send "
                        + "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, enter SYN-RECEIVED";
                case SYN_SENT -> "RFC 9293 3.10.7.3 (SYN-SENT STATE, fourth: SYN bit) without an ACK of our SYN: simultaneous open, "
                        + "enter SYN-RECEIVED and send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>";
                case SYN_RECEIVED -> "RFC 9293 3.10.7.4 (fourth: SYN bit) in a passively opened SYN-RECEIVED: return to LISTEN";
                default -> "RFC 9293 3.10.7.4 (fourth: SYN bit) and RFC 6191: an acceptable SYN in TIME-WAIT ends it for a new connection";
            };
            case RCV_SYN_ACK -> "RFC 9293 3.10.7.3 (SYN-SENT STATE): an ACK of our SYN with SYN set: RCV.NXT=SEG.SEQ+1, enter ESTABLISHED, "
                    + "send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>";
            case RCV_ACK_OF_SYN -> "RFC 9293 3.10.7.4 (fifth: ACK field), SYN-RECEIVED STATE: SND.UNA < SEG.ACK =< SND.NXT enters ESTABLISHED";
            case RCV_FIN -> switch (from) {
                case ESTABLISHED -> "RFC 9293 3.10.7.4 (eighth: FIN bit), ESTABLISHED: RCV.NXT advances over the FIN, ACK it, enter CLOSE-WAIT";
                case FIN_WAIT_1 -> "RFC 9293 3.10.7.4 (eighth: FIN bit), FIN-WAIT-1 with our FIN not yet acknowledged: ACK it, enter CLOSING";
                default -> "RFC 9293 3.10.7.4 (eighth: FIN bit), FIN-WAIT-2: ACK the FIN, enter TIME-WAIT and start the 2 MSL timer";
            };
            case RCV_FIN_ACK -> "RFC 9293 3.10.7.4 (eighth: FIN bit), FIN-WAIT-1: a FIN that also acknowledges ours goes straight to "
                    + "TIME-WAIT (ACK it, start the 2 MSL timer)";
            case RCV_ACK_OF_FIN -> switch (from) {
                case FIN_WAIT_1 -> "RFC 9293 3.10.7.4 (fifth: ACK field), FIN-WAIT-1: once our FIN is acknowledged, enter FIN-WAIT-2";
                case CLOSING -> "RFC 9293 3.10.7.4 (fifth: ACK field), CLOSING: the ACK of our FIN enters TIME-WAIT";
                default -> "RFC 9293 3.10.7.4 (fifth: ACK field), LAST-ACK: the ACK of our FIN deletes the TCB, enter CLOSED";
            };
            case RCV_RST -> switch (from) {
                case SYN_SENT -> "RFC 9293 3.10.7.3 (SYN-SENT STATE, second: RST bit): with an acceptable ACK, connection refused, enter CLOSED";
                case SYN_RECEIVED -> to == TcpState.LISTEN
                        ? "RFC 9293 3.10.7.4 (second: RST bit), SYN-RECEIVED from a passive OPEN: return to LISTEN"
                        : "RFC 9293 3.10.7.4 (second: RST bit), SYN-RECEIVED from an active OPEN: connection refused, enter CLOSED";
                case TIME_WAIT -> "RFC 9293 3.10.7.4 (second: RST bit), TIME-WAIT: an in-window RST closes the connection "
                        + "(unless the stack follows RFC 1337 section 3 and ignores it, as Spinet does by default)";
                default -> "RFC 9293 3.10.7.4 (second: RST bit) and RFC 5961 3.2: an RST at exactly RCV.NXT closes the connection; "
                        + "one elsewhere in the window gets a challenge ACK";
            };
            case RETRANSMISSION_TIMEOUT -> "RFC 9293 3.8.3 and RFC 1122 4.2.3.5 (R2): after too many retransmissions, close the connection";
            case USER_TIMEOUT -> "RFC 9293 3.10.8 (USER TIMEOUT) and RFC 5482: data unacknowledged too long flushes the queues, enter CLOSED";
            case RCV_ICMP_HARD_ERROR -> "RFC 1122 4.2.3.9 and RFC 5927 5.2: an ICMP port or protocol unreachable (a hard error) about our SYN "
                    + "ends SYN-SENT, enter CLOSED";
            case KEEPALIVE_TIMEOUT -> "RFC 1122 4.2.3.6 (TCP Keep-Alives): a peer that answers no probe is gone, enter CLOSED";
            case FIN_WAIT_2_TIMEOUT -> "not in RFC 9293 (FIN-WAIT-2 may last forever there): this stack, like Linux's tcp_fin_timeout, "
                    + "ends a FIN-WAIT-2 whose application has closed after 60 s (tcpFinWait2TimeoutNanos)";
            case TIME_WAIT_TIMEOUT -> "RFC 9293 3.10.8 (TIME-WAIT TIMEOUT): after 2 MSL delete the TCB, enter CLOSED";
            case BACKLOG_EVICTED -> "this stack's pool policy (docs/design.md, \"Memory\"): a full backlog drops its oldest half-open connection";
            case TIME_WAIT_RECYCLED -> "this stack's pool policy (docs/design.md, \"Memory\"): a full TIME-WAIT table gives its oldest entry "
                    + "to a new connection";
        };
    }

    /** For a difference on an event where the engine made no transition. */
    static String stay(TcpState state) {
        return switch (state) {
            case TIME_WAIT -> "RFC 9293 3.10.7.4 (TIME-WAIT STATE): a retransmitted FIN is acknowledged again and restarts the 2 MSL timeout";
            case SYN_SENT, SYN_RECEIVED, FIN_WAIT_1, CLOSING, LAST_ACK -> "RFC 9293 3.8.1: on a retransmission timeout send the oldest "
                    + "unacknowledged segment again (a SYN keeps its ISS, a FIN its sequence number)";
            default -> "RFC 9293 3.10.7.4: a segment that moves no edge: an unacceptable one gets an ACK (or nothing if RST), "
                    + "others only update the TCB";
        };
    }
}
