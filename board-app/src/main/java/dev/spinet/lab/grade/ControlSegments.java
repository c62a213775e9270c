package dev.spinet.lab.grade;

import dev.spinet.student.ConnectionEvent;
import dev.spinet.student.Reaction;
import dev.spinet.student.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a reaction a connection-state machine answers for: its transition and its control
 * segments. A segment counts when it carries SYN, FIN or RST, or is a bare ACK sent for an
 * arriving SYN or FIN or together with a transition. Each is reduced to its flags (PSH aside),
 * its sequence number (for a FIN, the FIN's own number: after any data it carries) and, with
 * ACK, its acknowledgment number; window and data are the data path's.
 */
final class ControlSegments {

    private static final int CONTROL = Segment.SYN | Segment.FIN | Segment.RST;
    private static final int COMPARED = CONTROL | Segment.ACK;

    private ControlSegments() {
    }

    /** The control segments of {@code reaction} to {@code event}, reduced for comparison. */
    static List<Segment> of(ConnectionEvent event, Reaction reaction) {
        return of(event, reaction.transition() != null, reaction.sends());
    }

    static List<Segment> of(ConnectionEvent event, boolean transition, List<Segment> sends) {
        boolean bareAcksCount = transition || event.segment() != null && (event.segment().flags() & CONTROL) != 0;
        List<Segment> control = new ArrayList<>();
        for (Segment s : sends) {
            boolean isControl = (s.flags() & CONTROL) != 0;
            boolean bareAck = !isControl && s.has(Segment.ACK) && s.length() == 0;
            if (isControl || bareAck && bareAcksCount) {
                control.add(reduce(s));
            }
        }
        return control;
    }

    static Segment reduce(Segment s) {
        int seq = s.has(Segment.FIN) ? s.seq() + s.length() : s.seq();
        return new Segment(s.flags() & COMPARED, seq, s.has(Segment.ACK) ? s.ack() : 0, 0, 0, 0);
    }
}
