package dev.spinet.lab;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FrameSummary;
import dev.spinet.harness.net.PcapTap;
import dev.spinet.harness.net.PcapWriter;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One run of a lab: two {@link LabBoard}s on a virtual wire with a fixed one-way delay, driven in
 * simulated time by a {@link Simulator}, with everything recorded: every frame on the wire (timeline
 * and pcap), every state change of each side, every application call and every fault the lab
 * injects. Scenarios ({@link LabScript}) use the methods here to move time and reach the boards.
 *
 * <p>Board A is 10.0.0.1, board B 10.0.0.2; both have each other's MAC address already (as after
 * a ping), so the timeline starts with TCP. The seed only changes initial sequence numbers: the
 * transitions of a lab do not depend on it.
 */
public final class LabRun {

    /** One-way delay of the lab's wire. */
    public static final long WIRE_DELAY_NANOS = 1_000_000L;
    public static final int ADDRESS_A = 0x0A00_0001;
    public static final int ADDRESS_B = 0x0A00_0002;
    private static final long MAC_A = 0x02_5E_00_00_00_01L;
    private static final long MAC_B = 0x02_5E_00_00_00_02L;
    /** Capture timestamps start at 2025-01-01T00:00:00Z, so every run of a lab gives the same file. */
    private static final long PCAP_EPOCH_NANOS = 1_735_689_600L * 1_000_000_000L;
    /** How long a lab may run in simulated time before it is considered stuck. */
    private static final long MAX_LAB_NANOS = 3_600_000_000_000L;

    private final Lab lab;
    private final long seed;
    private final ManualClock clock = new ManualClock();
    private final long start;
    private final VirtualWire wire;
    private final Simulator simulator;
    private final LabBoard a;
    private final LabBoard b;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final List<Step> stepsA = new ArrayList<>();
    private final List<Step> stepsB = new ArrayList<>();
    private final FrameSummary summary = new FrameSummary();
    private final FrameSummary linkSummary = new FrameSummary();
    private final ByteArrayOutputStream pcapBytes = new ByteArrayOutputStream();
    private final PcapWriter pcap;

    public LabRun(Lab lab, long seed) {
        this.lab = lab;
        this.seed = seed;
        this.start = clock.nanoTime();
        this.wire = new VirtualWire(clock);
        wire.latencyNanos(WIRE_DELAY_NANOS);
        this.pcap = new PcapWriter(pcapBytes, PcapWriter.Precision.NANOSECONDS);
        PcapTap pcapTap = new PcapTap(pcap, clock, PCAP_EPOCH_NANOS);
        wire.tap((port, frame, offset, length, now) -> {
            pcapTap.onFrame(port, frame, offset, length, now);
            Side from = Side.valueOf(port);
            add(new TimelineEntry(now - start, TimelineEntry.Kind.FRAME, from, 0, summary.describe(frame, offset, length), null, 0));
        });
        StackConfig base = lab.tuning().apply(baseConfig(seed)).build();
        this.a = new LabBoard(this, Side.A, base.toBuilder().ipAddress(ADDRESS_A, 24).build(), link(Side.A, MAC_A));
        this.b = new LabBoard(this, Side.B, base.toBuilder().ipAddress(ADDRESS_B, 24).build(), link(Side.B, MAC_B));
        this.simulator = new Simulator(clock, wire).add(a).add(b);
        learnNeighbors();
    }

    /**
     * The configuration every lab starts from: small buffers, no TCP options beyond MSS (the
     * numbers in the timeline are then the numbers on the wire), ISNs from the seed.
     */
    public static StackConfig.Builder baseConfig(long seed) {
        return StackConfig.builder()
                .tcpConnections(4)
                .tcpBuffers(4096, 4096)
                .tcpListeners(4, 4)
                .tcpOptions(false, false, false)
                .arpEntryLifetimeNanos(3_600_000_000_000L)
                .tcpSecret(seed);
    }

    private FilteredLink link(Side side, long mac) {
        FilteredLink link = new FilteredLink(wire.connect(side.name(), mac), clock).keepHistory(true);
        link.observer((action, rule, frame, offset, length) -> {
            String what = switch (action) {
                case DROPPED_OUT -> "drops before the wire: ";
                case DROPPED_IN -> "never sees (dropped on arrival): ";
                case HELD -> "holds back: ";
                case RELEASED -> "lets go: ";
                case REPLAYED -> "replays an old copy: ";
            };
            lab(side, what + linkSummary.describe(frame, offset, length) + "   [lab rule: " + rule + "]");
        });
        return link;
    }

    private void learnNeighbors() {
        long now = clock.nanoTime();
        a.stack().iface().neighbors().learn(ADDRESS_B, MAC_B, now, new boolean[1]);
        b.stack().iface().neighbors().learn(ADDRESS_A, MAC_A, now, new boolean[1]);
    }

    /** Runs the lab's script and returns everything it produced. */
    public static LabResult run(Lab lab, long seed) {
        LabRun run = new LabRun(lab, seed);
        String failure = null;
        try {
            lab.script().run(run);
            run.settle();
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A scenario that cannot go on (a state never reached, an API refusal) is a failed lab,
            // reported with the timeline so far, not a crash.
            failure = e.getMessage();
            run.note("the scenario stopped: " + failure);
        }
        return run.result(failure);
    }

    private LabResult result(String failure) {
        try {
            pcap.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the capture to memory failed", e);
        }
        return new LabResult(lab, seed, List.copyOf(timeline), List.copyOf(stepsA), List.copyOf(stepsB), pcapBytes.toByteArray(), failure);
    }

    // ---- for scenarios ----

    public LabBoard a() {
        return a;
    }

    public LabBoard b() {
        return b;
    }

    public LabBoard board(Side side) {
        return side == Side.A ? a : b;
    }

    public Lab lab() {
        return lab;
    }

    /** Simulated nanoseconds since the lab started. */
    public long now() {
        return clock.nanoTime() - start;
    }

    /** Handles everything due at the current instant. */
    public LabRun settle() {
        simulator.settle();
        return this;
    }

    /** Runs for {@code nanos} of simulated time. */
    public LabRun runFor(long nanos) {
        simulator.runFor(nanos);
        return this;
    }

    /** Runs until lab time {@code nanos} (since the start), handling everything due on the way. */
    public LabRun runUntilTime(long nanos) {
        long left = nanos - now();
        if (left < 0) {
            throw new IllegalStateException("the lab is already at " + now() + " ns; cannot go back to " + nanos);
        }
        simulator.runFor(left);
        return this;
    }

    /** Runs until {@code done} holds; fails the lab (IllegalStateException) if it never does within an hour. */
    public LabRun runUntil(String what, BooleanSupplier done) {
        if (!simulator.runUntil(done, MAX_LAB_NANOS)) {
            throw new IllegalStateException("lab " + lab.name() + ": waited an hour of simulated time for " + what);
        }
        return this;
    }

    /** Runs until the board's latest connection has reached {@code state}. */
    public LabRun runUntilState(LabBoard board, TcpState state) {
        return runUntil(board.side() + " in " + state, () -> board.connection() >= 0 && board.tcp().state(board.connection()) == state);
    }

    /** Runs until the board has no connection and no TIME-WAIT entry left. */
    public LabRun runUntilIdle(LabBoard board) {
        return runUntil(board.side() + " idle", () -> board.tcp().connectionsInUse() == 0 && board.tcp().timeWaitEntries() == 0);
    }

    /** A comment in the timeline. */
    public LabRun note(String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.NOTE, null, 0, text, null, 0));
        return this;
    }

    // ---- recording ----

    void app(Side side, String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.APP, side, 0, text, null, 0));
    }

    void lab(Side side, String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.LAB, side, 0, text, null, 0));
    }

    void recordTransition(Side side, int connection, TcpState from, TcpState to, TransitionCause cause) {
        Step step = Step.of(from, to, cause);
        List<Step> steps = side == Side.A ? stepsA : stepsB;
        steps.add(step);
        add(new TimelineEntry(now(), TimelineEntry.Kind.TRANSITION, side, connection, step.toString(), step, steps.size()));
    }

    private void add(TimelineEntry entry) {
        timeline.add(entry);
    }
}
