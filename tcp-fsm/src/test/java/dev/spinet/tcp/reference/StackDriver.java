package dev.spinet.tcp.reference;

import dev.spinet.tcp.scenario.Seg;
import java.util.List;

/**
 * Plays a scenario against one TCP implementation: performs user calls on it, delivers the
 * peer's segments to it and collects what it sends. Numbers here are absolute; the
 * {@link ScenarioRunner} makes them relative.
 */
interface StackDriver extends AutoCloseable {

    String name();

    /** A fresh start for one scenario (Spinet: a new stack; Linux: new ports, old sockets reset). */
    void begin(Scenario scenario);

    /** Performs {@code call} for the connection numbered by {@code numbering}; returns a result note. */
    String call(UserCall call, Numbering numbering, int amount);

    /** Delivers one segment from the peer, as the runner built it (absolute numbers, ports, options). */
    void inject(Numbering numbering, Seg segment);

    /**
     * Collects what the stack sends: returns once at least {@code minimum} segments arrived and
     * then nothing for {@code quietNanos}, or after {@code maxNanos} at the latest.
     */
    List<Captured> collect(int minimum, long quietNanos, long maxNanos);

    /** The end of one scenario. */
    void end();

    @Override
    void close();
}
