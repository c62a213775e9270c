package dev.spinet.image;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return:
 * {@code writing  [##########..........]  50%  256.0/512.0 MiB  21.3 MiB/s}. Redrawn at most every
 * 200 ms or on a whole-percent change, so a fast copy does not spend its time printing.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final double MIB = 1024.0 * 1024.0;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long lastDrawNanos;
    private int lastPercent = -1;
    private long lastDrawnDone = -1;

    ProgressBar(PrintWriter err, String label, long total, LongSupplier nanoTime) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    void update(long done) {
        long now = nanoTime.getAsLong();
        int percent = (int) (done * 100 / total);
        if (percent != lastPercent || now - lastDrawNanos > 200_000_000L) {
            draw(done, now);
        }
    }

    void finish(long done) {
        if (done != lastDrawnDone) {
            draw(done, nanoTime.getAsLong());
        }
        err.print('\n');
        err.flush();
    }

    private void draw(long done, long now) {
        lastPercent = (int) (done * 100 / total);
        lastDrawNanos = now;
        lastDrawnDone = done;
        int filled = (int) (done * WIDTH / total);
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder("\r").append(label).append("  [");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(String.format("] %3d%%  %.1f/%.1f MiB  %.1f MiB/s ", lastPercent, done / MIB,
                total / MIB, done / MIB / seconds));
        err.print(sb);
        err.flush();
    }
}
