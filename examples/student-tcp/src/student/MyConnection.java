package student;

import dev.spinet.student.ConnectionEvent;
import dev.spinet.student.ConnectionMachine;
import dev.spinet.student.Reaction;
import dev.spinet.student.Segment;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;

/**
 * The TCP state diagram, written by you: one connection, one event at a time (RFC 9293 section
 * 3.10). The opening and the handshake are done as an example; every TODO is yours. Grade it with
 *
 * <pre>
 *   javac -cp spinet.jar -d out src/student/MyConnection.java
 *   jar cf my-tcp.jar -C out .
 *   spinet lab grade --impl my-tcp.jar
 * </pre>
 *
 * The grader compares, per event, your transition and your control segments (SYN, FIN, RST, and
 * the bare ACKs a SYN, FIN or RST calls for) with Spinet's engine: see docs/labs.md, "Write the
 * state machine yourself".
 */
public final class MyConnection implements ConnectionMachine {

    private TcpState state = TcpState.CLOSED;
    // ---- the send and receive sequence variables (RFC 9293 3.3.1) ----
    private int iss;
    private int sndUna;
    private int sndNxt;
    /** Bytes the application queued and that will go before our FIN. */
    private int queued;
    private int irs;
    private int rcvNxt;

    public MyConnection() {
    }

    @Override
    public TcpState state() {
        return state;
    }

    @Override
    public Reaction handle(ConnectionEvent event) {
        return switch (event.kind()) {
            case PASSIVE_OPEN -> {
                iss = event.iss();
                yield move(TcpState.LISTEN, TransitionCause.PASSIVE_OPEN);
            }
            case ACTIVE_OPEN -> {
                iss = event.iss();
                sndUna = iss;
                sndNxt = iss + 1;
                yield move(TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN, Segment.of(Segment.SYN, iss, 0));
            }
            case SEND -> send(event.length());
            case CLOSE -> close();
            case ABORT -> abort();
            case SEGMENT -> arrives(event.segment());
            // TODO ICMP_UNREACHABLE: RFC 1122 4.2.3.9 and RFC 5927 5.2: a hard error (event.icmpHardError():
            // port or protocol unreachable) ends SYN_SENT in CLOSED (RCV_ICMP_HARD_ERROR), sending nothing;
            // in every other state, and for soft errors (network or host unreachable), nothing changes
            // TODO the timers: RETRANSMIT (send the oldest unacknowledged SYN or FIN again), GIVE_UP,
            // USER_TIMEOUT, KEEPALIVE_TIMEOUT, FIN_WAIT_2_TIMEOUT, TIME_WAIT_TIMEOUT, and the two pool
            // policies BACKLOG_EVICTED and TIME_WAIT_RECYCLED
            default -> Reaction.stay();
        };
    }

    private Reaction send(int length) {
        // TODO LISTEN: a SEND turns the passive open active (RFC 9293 3.10.2): send a SYN, enter SYN_SENT
        queued += length;
        return Reaction.stay();
    }

    private Reaction close() {
        // TODO RFC 9293 3.10.4: LISTEN and SYN_SENT delete the TCB; SYN_RECEIVED and ESTABLISHED send a FIN
        // (its sequence number comes after the queued data) and enter FIN_WAIT_1; CLOSE_WAIT enters LAST_ACK
        return Reaction.stay();
    }

    private Reaction abort() {
        // TODO RFC 9293 3.10.5: which states send <SEQ=SND.NXT><CTL=RST>, which nothing?
        return Reaction.stay();
    }

    private Reaction arrives(Segment seg) {
        switch (state) {
            case LISTEN -> {
                // RFC 9293 3.10.7.2: a SYN (an RST is ignored, an ACK gets an RST)
                if (seg.has(Segment.SYN) && !seg.has(Segment.ACK) && !seg.has(Segment.RST)) {
                    irs = seg.seq();
                    rcvNxt = irs + 1;
                    sndUna = iss;
                    sndNxt = iss + 1;
                    return move(TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN, Segment.of(Segment.SYN | Segment.ACK, iss, rcvNxt));
                }
                return Reaction.stay();
            }
            case SYN_SENT -> {
                // RFC 9293 3.10.7.3: an ACK of our SYN with SYN set completes the handshake
                if (seg.has(Segment.SYN) && seg.has(Segment.ACK) && seg.ack() == sndNxt && !seg.has(Segment.RST)) {
                    irs = seg.seq();
                    rcvNxt = irs + 1;
                    sndUna = seg.ack();
                    return move(TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK, Segment.of(Segment.ACK, sndNxt, rcvNxt));
                }
                // TODO a bare SYN (simultaneous open), an RST with an acceptable ACK, an unacceptable ACK
                return Reaction.stay();
            }
            case SYN_RECEIVED -> {
                // RFC 9293 3.10.7.4, fifth check: the ACK of our SYN
                if (seg.has(Segment.ACK) && !seg.has(Segment.RST) && !seg.has(Segment.SYN) && seg.ack() == sndNxt) {
                    sndUna = seg.ack();
                    rcvNxt = Math.max(rcvNxt, seg.seq() + seg.length());
                    return move(TcpState.ESTABLISHED, TransitionCause.RCV_ACK_OF_SYN);
                }
                // TODO RST (back to LISTEN after a passive open), a new SYN, an unacceptable ACK
                return Reaction.stay();
            }
            default -> {
                // TODO ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT:
                // RST, SYN, the ACK of our FIN, the peer's FIN (RFC 9293 3.10.7.4, checks one to eight)
                if (seg.length() > 0 && seg.seq() == rcvNxt) {
                    rcvNxt += seg.length(); // in-order data; the rest of the stack delivers it
                }
                return Reaction.stay();
            }
        }
    }

    private Reaction move(TcpState to, TransitionCause cause, Segment... sends) {
        TcpState from = state;
        state = to;
        return Reaction.move(from, to, cause, sends);
    }
}
