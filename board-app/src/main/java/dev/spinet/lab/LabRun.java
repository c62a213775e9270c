package dev.spinet.lab;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FrameSummary;
import dev.spinet.harness.net.PcapngWriter;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.TcbSnapshot;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One run of a lab: two {@link LabBoard}s on a virtual wire with a fixed one-way delay, driven in
 * simulated time by a {@link Simulator}, with everything recorded: every frame a board sent and
 * what the lab did to it ({@link LabFrame}: timeline, ladder, pcapng capture with a comment on
 * each frame the lab dropped, held or replayed), every state change of each side, every
 * application call, and each side's cwnd, ssthresh and RTO as they change ({@link LabSample}).
 * Scenarios ({@link LabScript}) use the methods here to move time and reach the boards.
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
    private final List<Recorded> frames = new ArrayList<>();
    /** Frames a board's link holds back, until it lets them go. */
    private final Map<Side, List<Recorded>> held = new EnumMap<>(Side.class);
    /** What the next frame a side puts on the wire is (a released or replayed one), set by the link's observer. */
    private final Map<Side, Recorded> nextOnWire = new EnumMap<>(Side.class);
    private final List<LabSample> samples = new ArrayList<>();
    private final Map<Side, LabSample> lastSample = new EnumMap<>(Side.class);
    private final TcbSnapshot snapshot = new TcbSnapshot();

    /** A frame as the run learns what becomes of it. */
    private static final class Recorded {
        final Side from;
        final byte[] bytes;
        long nanos;
        LabFrame.Fate fate = LabFrame.Fate.DELIVERED;
        long since;
        String rule = "";
        /** Timeline lines about this frame written before it had an index (held, released, replayed). */
        final List<Integer> lines = new ArrayList<>();

        Recorded(long nanos, Side from, byte[] frame, int offset, int length) {
            this.nanos = nanos;
            this.since = nanos;
            this.from = from;
            this.bytes = Arrays.copyOfRange(frame, offset, offset + Math.max(length, VirtualWire.MIN_FRAME_LENGTH));
            if (length < VirtualWire.MIN_FRAME_LENGTH) {
                Arrays.fill(bytes, length, bytes.length, (byte) 0);
            }
        }

        /** Same frame: equal bytes up to the shorter length (the wire pads short frames). */
        boolean sameAs(byte[] frame, int offset, int length) {
            int n = Math.min(length, bytes.length);
            return Arrays.equals(bytes, 0, n, frame, offset, offset + n);
        }
    }

    public LabRun(Lab lab, long seed) {
        this.lab = lab;
        this.seed = seed;
        this.start = clock.nanoTime();
        this.wire = new VirtualWire(clock);
        wire.latencyNanos(WIRE_DELAY_NANOS);
        wire.tap((port, frame, offset, length, now) -> onWire(Side.valueOf(port), frame, offset, length, now - start));
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
        link.observer((action, rule, frame, offset, length) -> onLinkAction(side, action, rule, frame, offset, length));
        return link;
    }

    /** A frame on the wire: recorded, with what the link said about it just before (released, replayed). */
    private void onWire(Side from, byte[] frame, int offset, int length, long nanos) {
        Recorded recorded = nextOnWire.remove(from);
        if (recorded == null) {
            recorded = new Recorded(nanos, from, frame, offset, length);
        } else {
            recorded.nanos = nanos;
        }
        int index = frames.size();
        frames.add(recorded);
        for (int line : recorded.lines) {
            timeline.set(line, timeline.get(line).withFrame(index));
        }
        add(new TimelineEntry(nanos, TimelineEntry.Kind.FRAME, from, 0, summary.describe(frame, offset, length), null, 0, index));
    }

    /** What a board's {@link FilteredLink} did to a frame: recorded on the frame and written in the timeline. */
    private void onLinkAction(Side side, FilteredLink.Action action, String rule, byte[] frame, int offset, int length) {
        String what = switch (action) {
            case DROPPED_OUT -> "drops before the wire: ";
            case DROPPED_IN -> "never sees (dropped on arrival): ";
            case HELD -> "holds back: ";
            case RELEASED -> "lets go: ";
            case REPLAYED -> "replays an old copy: ";
        };
        int line = timeline.size();
        String text = what + linkSummary.describe(frame, offset, length) + "   [lab rule: " + rule + "]";
        int index = -1;
        switch (action) {
            case DROPPED_OUT -> {
                Recorded lost = new Recorded(now(), side, frame, offset, length);
                lost.fate = LabFrame.Fate.DROPPED_OUT;
                lost.rule = rule;
                index = frames.size();
                frames.add(lost);
            }
            case DROPPED_IN -> {
                for (int i = frames.size() - 1; i >= 0; i--) {
                    Recorded sent = frames.get(i);
                    if (sent.from == side.other() && sent.fate != LabFrame.Fate.DROPPED_OUT && sent.fate != LabFrame.Fate.DROPPED_IN
                            && sent.sameAs(frame, offset, length)) {
                        sent.fate = LabFrame.Fate.DROPPED_IN;
                        sent.rule = rule;
                        index = i;
                        break;
                    }
                }
            }
            case HELD -> {
                Recorded kept = new Recorded(now(), side, frame, offset, length);
                kept.fate = LabFrame.Fate.HELD;
                kept.rule = rule;
                kept.lines.add(line);
                held.computeIfAbsent(side, s -> new ArrayList<>()).add(kept);
            }
            case RELEASED -> {
                List<Recorded> waiting = held.getOrDefault(side, List.of());
                for (int i = 0; i < waiting.size(); i++) {
                    if (waiting.get(i).sameAs(frame, offset, length)) {
                        Recorded released = waiting.remove(i);
                        released.lines.add(line);
                        nextOnWire.put(side, released);
                        break;
                    }
                }
            }
            case REPLAYED -> {
                Recorded copy = new Recorded(now(), side, frame, offset, length);
                copy.fate = LabFrame.Fate.REPLAYED;
                copy.rule = rule;
                copy.lines.add(line);
                for (int i = frames.size() - 1; i >= 0; i--) {
                    if (frames.get(i).from == side && frames.get(i).sameAs(frame, offset, length)) {
                        copy.since = frames.get(i).nanos;
                        break;
                    }
                }
                nextOnWire.put(side, copy);
            }
        }
        add(new TimelineEntry(now(), TimelineEntry.Kind.LAB, side, 0, text, null, 0, index));
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

    /** Everything recorded so far, as a result ({@code failure}: why the scenario stopped, or null). */
    LabResult result(String failure) {
        List<LabFrame> done = new ArrayList<>(frames.size());
        ByteArrayOutputStream capture = new ByteArrayOutputStream();
        try (PcapngWriter writer = new PcapngWriter(capture)) {
            for (Recorded r : frames) {
                LabFrame frame = new LabFrame(r.nanos, r.from, r.bytes, r.fate, r.since, r.rule, LabSegment.parse(r.bytes, 0, r.bytes.length));
                done.add(frame);
                writer.write(PCAP_EPOCH_NANOS + frame.nanos(), frame.bytes(), 0, frame.bytes().length, frame.comment());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the capture to memory failed", e);
        }
        return new LabResult(lab, seed, List.copyOf(timeline), List.copyOf(stepsA), List.copyOf(stepsB), List.copyOf(done),
                List.copyOf(samples), capture.toByteArray(), failure);
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

    /** A comment in the timeline, written in English and shown in the lab's language ({@link LabNotes}). */
    public LabRun note(String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.NOTE, null, 0, LabNotes.in(lab.language(), text), null, 0, -1));
        return this;
    }

    // ---- for the lab studio ----

    /** Runs {@code action} before each polling round, between duty cycles (where a student's command may act). */
    void beforeEachRound(Runnable action) {
        simulator.beforeEachRound(action);
    }

    /** The timeline so far (a view; read it only while the run stands still). */
    List<TimelineEntry> timelineSoFar() {
        return Collections.unmodifiableList(timeline);
    }

    /** The Ethernet address of a board. */
    static long mac(Side side) {
        return side == Side.A ? MAC_A : MAC_B;
    }

    /** The TCP header of the last segment {@code side} sent (or tried to), or null before its first. */
    LabSegment lastSegmentFrom(Side side) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            Recorded r = frames.get(i);
            LabSegment segment = r.from == side ? LabSegment.parse(r.bytes, 0, r.bytes.length) : null;
            if (segment != null) {
                return segment;
            }
        }
        return null;
    }

    /** Puts a frame on the wire from {@code side}'s link, past its rules, with a line saying who made it. */
    void inject(Side side, byte[] frame, String why) {
        lab(side, why + ": " + linkSummary.describe(frame, 0, frame.length));
        board(side).link().inner().transmit(frame, 0, frame.length);
    }

    // ---- recording ----

    void app(Side side, String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.APP, side, 0, text, null, 0, -1));
    }

    void lab(Side side, String text) {
        add(new TimelineEntry(now(), TimelineEntry.Kind.LAB, side, 0, text, null, 0, -1));
    }

    /**
     * Reads the board's latest connection through {@link dev.spinet.tcp.TcpLayer#snapshot} after a
     * duty cycle and keeps the values when they changed (the plots' cwnd, ssthresh and RTO).
     */
    void sample(LabBoard board) {
        int connection = board.connection();
        if (connection < 0 || !board.tcp().snapshot(connection, snapshot)) {
            return;
        }
        LabSample sample = LabSample.of(now(), board.side(), connection, snapshot);
        if (!sample.sameValues(lastSample.get(board.side()))) {
            samples.add(sample);
            lastSample.put(board.side(), sample);
        }
    }

    void recordTransition(Side side, int connection, TcpState from, TcpState to, TransitionCause cause) {
        Step step = Step.of(from, to, cause);
        List<Step> steps = side == Side.A ? stepsA : stepsB;
        steps.add(step);
        add(new TimelineEntry(now(), TimelineEntry.Kind.TRANSITION, side, connection, step.toString(), step, steps.size(), -1));
    }

    private void add(TimelineEntry entry) {
        timeline.add(entry);
    }
}
