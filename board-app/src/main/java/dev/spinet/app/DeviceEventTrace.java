package dev.spinet.app;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --trace} for the device: one line per link change, per fault the driver detected and per
 * driver recovery, found by comparing the device's counters with the values seen last cycle, for example
 * {@code device 12.345678 sim-w5500 link down (LINK_CHANGES 3)}: seconds since start, the HAL,
 * what happened, and the counter that moved with its new total. A counter that moved by n since
 * the last check gives n lines.
 *
 * <p>Run by the stack thread after each duty cycle ({@link StackAgent}). Each check first asks the
 * device for its link: the stack itself never does, and a W5500 notices a link change only when
 * {@code linkUp}, {@code transmit} or {@code receive} polls PHYCFGR, so an idle board would
 * otherwise not see a cable pulled until it next sent or received. The W5500 driver reads PHYCFGR
 * at most once per {@code W5500Config.linkPollIntervalNanos} (100 ms) and the ENC28J60 driver reads
 * EIR while INT is asserted and once per {@code Enc28j60Config.pollIntervalNanos} (100 ms), so this
 * costs almost no SPI traffic. A check in which no
 * counter moved reads a handful of longs and allocates nothing; printing allocates (the trace is
 * opt-in, as {@link TracePrinter} is).
 */
public final class DeviceEventTrace {

    /** The counters watched (names from {@code W5500Counter} and {@code Enc28j60Counter}) and what a step of each means. */
    private static final String[][] EVENTS = {
            {"LINK_CHANGES", "link change"},
            {"SOCKET_REOPENED", "socket 0 reopened"},
            {"TX_TIMEOUTS", "transmit timed out: frame given up, transmitter recovered"},
            {"RX_CORRUPT_RESET", "receive logic reset after an impossible status vector or packet count"},
            {"RX_RECORD_CORRUPT", "impossible record length: the receive buffer's contents discarded"},
            {"RX_STATUS_IMPOSSIBLE", "impossible receive size read: read again"},
            {"RX_BAD_STATUS", "frame with a bad receive status skipped"},
            {"RX_OVERFLOW", "receive memory overflowed: the chip dropped frames"},
            {"RX_BUFFER_FULL", "receive buffer found full: the chip may have dropped frames"},
            {"INT_MISSED", "event found waiting while INT was not asserted: serviced by polling"},
            {"REINITS", "chip found reset (configuration lost): re-initialised"},
            {"CHIP_RESETS", "chip reset"},
    };
    private static final int LINK_EVENT = 0;

    private final FrameDevice device;
    private final DeviceCounters counters;
    private final String halName;
    private final PrintStream out;
    private final NanoClock clock;
    private final long start;
    /** Counter index for each {@link #EVENTS} row, -1 when the device does not count it. */
    private final int[] index = new int[EVENTS.length];
    private final long[] seen = new long[EVENTS.length];
    /** The link state after the last reported change: changes alternate, so each step flips it. */
    private boolean linkUp;

    /**
     * @param device the device whose link is polled (the driver itself, not a decorator)
     * @param counters its counters
     */
    public DeviceEventTrace(FrameDevice device, DeviceCounters counters, String halName, PrintStream out, NanoClock clock) {
        this(device, counters, halName, out, clock, clock.nanoTime());
    }

    /**
     * @param startNanos the time lines count their seconds from (the board's start, shared with
     *     the other {@code device} lines it prints)
     */
    public DeviceEventTrace(FrameDevice device, DeviceCounters counters, String halName, PrintStream out, NanoClock clock,
                            long startNanos) {
        this.device = device;
        this.counters = counters;
        this.linkUp = device.linkUp();
        this.halName = halName;
        this.out = out;
        this.clock = clock;
        this.start = startNanos;
        for (int e = 0; e < EVENTS.length; e++) {
            index[e] = counters.indexOf(EVENTS[e][0]);
            seen[e] = index[e] < 0 ? 0 : counters.counterValue(index[e]);
        }
    }

    /**
     * Prints a line for every step of a watched counter since the last check.
     *
     * @return lines printed
     */
    public int check() {
        device.linkUp();
        int printed = 0;
        for (int e = 0; e < EVENTS.length; e++) {
            if (index[e] < 0) {
                continue;
            }
            long now = counters.counterValue(index[e]);
            if (now != seen[e]) {
                printed += report(e, seen[e], now);
                seen[e] = now;
            }
        }
        return printed;
    }

    private int report(int event, long from, long to) {
        double seconds = (clock.nanoTime() - start) / 1e9;
        int printed = 0;
        for (long total = from + 1; total <= to; total++) {
            String what = EVENTS[event][1];
            if (event == LINK_EVENT) {
                linkUp = !linkUp;
                what = linkUp ? "link up" : "link down";
            }
            out.printf(Locale.ROOT, "device %.6f %s %s (%s %d)%n", seconds, halName, what, EVENTS[event][0], total);
            printed++;
        }
        out.flush();
        return printed;
    }
}
