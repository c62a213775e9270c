package dev.spinet.app;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.tcp.TransitionObserver;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --trace}: one line per TCP state transition,
 * {@code tcp 12.345678 #65537 SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)}: seconds since start,
 * the connection id (listeners have bit 30 set), from, to and cause. Formatting allocates; it is
 * opt-in and meant for watching a board, not for benchmarks.
 */
final class TracePrinter implements TransitionObserver {

    private final PrintStream out;
    private final NanoClock clock;
    private final long start;

    TracePrinter(PrintStream out, NanoClock clock) {
        this.out = out;
        this.clock = clock;
        this.start = clock.nanoTime();
    }

    @Override
    public void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        out.printf(Locale.ROOT, "tcp %.6f #%d %s -> %s (%s)%n", (clock.nanoTime() - start) / 1e9, connection, from, to, cause);
        out.flush();
    }
}
