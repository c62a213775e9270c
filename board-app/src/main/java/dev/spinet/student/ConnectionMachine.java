package dev.spinet.student;

import dev.spinet.tcp.TcpState;

/**
 * The connection-state part of TCP, one connection: RFC 9293 figure 5 and the text of section
 * 3.10 as a machine that takes one {@link ConnectionEvent} at a time and says what it did
 * ({@link Reaction}). Write one, compile it against the spinet jar and grade it with
 * {@code spinet lab grade --impl your.jar --class your.Machine}: every lab's scenario and the
 * per-state scenarios are replayed against it, edge by edge (docs/labs.md, "Write the state
 * machine yourself").
 *
 * <p>What is compared, per event: the transition (or none), and the control segments sent: those
 * carrying SYN, FIN or RST, and a bare ACK sent for an arriving SYN, FIN or RST or together with a
 * transition. Their flags (PSH aside), sequence number (for a FIN: the FIN's own number) and, with
 * ACK, acknowledgment number. Data segments, window updates and the ACKs of data are the data
 * path's, not compared. An implementation has a public no-argument constructor and starts CLOSED;
 * the grader makes one per connection.
 *
 * <p>Sequence numbers: SND.NXT advances by every SEND's length (queued data goes before a FIN);
 * arriving data may come out of order, the rest of the stack reassembles it, so RCV.NXT may be
 * taken as the largest SEG.SEQ + SEG.LEN of an acceptable segment.
 */
public interface ConnectionMachine {

    /** The state the connection is in now. */
    TcpState state();

    /** Handles one event; never null. */
    Reaction handle(ConnectionEvent event);

    /**
     * The time of the next event, in simulated nanoseconds of its scenario, told before
     * {@link #handle}. A machine has no timers of its own (they come as events) and may ignore it;
     * an engine with real timers (Spinet's own, {@link SpinetMachine}) runs them up to it.
     */
    default void clock(long nanos) {
    }
}
