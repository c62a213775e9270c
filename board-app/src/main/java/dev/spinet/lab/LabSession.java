package dev.spinet.lab;

import dev.spinet.harness.net.FrameSummary;
import dev.spinet.tcp.TcbSnapshot;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A lab run a student steps through segment by segment (the lab studio): the same {@link LabRun},
 * scenario and simulated time as {@code spinet lab run}, paused each time a board is about to put
 * a segment on the wire. At each pause the student lets the segment go, drops, delays or
 * duplicates it ({@link FilteredLink.Verdict}), may press CLOSE, ABORT or SEND on either board or
 * inject a SYN or RST ({@link Command}), and may predict the state the segment's receiver enters.
 * A session that is only ever stepped with {@link FilteredLink.Verdict#PASS} records exactly what
 * {@link LabRun#run} records: the same frames, capture and report.
 *
 * <p>The scenario is a plain sequence of calls that move simulated time, so it runs on a thread
 * of its own which the gate of each board's link parks before every frame; the caller's thread
 * and that thread take turns (a semaphore each way), never both running. A student's command
 * waits for the next polling round when the scenario is parked inside a board's duty cycle (the
 * stack must not be re-entered there) and acts at once otherwise. After the scenario's end each
 * step runs the boards on for up to {@link #FREE_STEP_NANOS}, so the student can go on pressing
 * buttons and watch what the stacks do.
 */
public final class LabSession implements AutoCloseable {

    /** How long "delay" holds a segment back. */
    public static final long DELAY_NANOS = 200 * LabCatalogue.MS;
    /** After the scenario: how far one step runs the boards when nobody sends anything. */
    public static final long FREE_STEP_NANOS = 60 * LabCatalogue.S;
    /** Real time one step may take before the session gives up (a scenario that spins). */
    private static final long STEP_TIMEOUT_SECONDS = 60;
    /** The sequence number of an injected SYN from a board with no connection (any fixed value keeps runs repeatable). */
    private static final int INJECTED_ISN = 0x5EED_0000;
    private static final int INJECTED_WINDOW = 4096;

    /** Where the session stands between two calls. */
    public enum Phase {
        /** Nothing ran yet. */
        READY,
        /** A board is about to send {@link #pending()}. */
        PAUSED,
        /** The scenario ended; steps run the boards on. */
        FINISHED,
        /** Closed, or broken by a step that never came back. */
        STOPPED
    }

    /** What the student can make a board do. */
    public enum Command {
        /** CLOSE of the board's connection (or of its listener when it has no connection). */
        CLOSE,
        /** ABORT of the board's connection: RST. */
        ABORT,
        /** SEND a few bytes on the board's connection. */
        SEND,
        /** A SYN in the board's name on its connection's ports (or to the other board's lab port). */
        SYN,
        /** An RST in the board's name, at the sequence number its connection would send next. */
        RST
    }

    /**
     * What the session says about a command, for the studio to word in the student's language.
     *
     * @param key    what happened: {@code queued} (waits for the pending segment to go), {@code done},
     *               {@code refused} (the stack said no: {@code detail}), {@code no-connection},
     *               {@code no-open-connection} or {@code nothing-to-close}
     * @param detail the stack's words for {@code refused}, the simulated time for {@code done}, else ""
     */
    public record Notice(String key, Side side, Command command, String detail) {
    }

    /** A segment a board is about to send, waiting for the student's verdict. */
    public record Pending(Side from, long nanos, String summary) {
    }

    /**
     * A guess of the state {@code side} is in once a segment has reached it.
     *
     * @param atNanos when the segment arrives (or would have)
     * @param actual  the state it was then in, or null until the run got there
     */
    public record Prediction(Side side, TcpState predicted, long atNanos, TcpState actual) {
        public boolean decided() {
            return actual != null;
        }

        public boolean right() {
            return predicted == actual;
        }
    }

    /** Unwinds the scenario's thread when the session closes (an Error: the stacks catch RuntimeExceptions in poll). */
    private static final class Stopped extends Error {
        Stopped() {
            super("lab session closed", null, false, false);
        }
    }

    private final Lab lab;
    private final long seed;
    private final LabRun run;
    private final Semaphore go = new Semaphore(0);
    private final Semaphore parked = new Semaphore(0);
    private final FrameSummary summary = new FrameSummary();
    private final TcbSnapshot snapshot = new TcbSnapshot();
    /** Commands waiting for the next polling round (filled while the scenario is parked; run on its thread). */
    private final List<Runnable> queued = new ArrayList<>();
    private final List<Prediction> predictions = new ArrayList<>();
    private final List<Notice> notices = new ArrayList<>();
    private Thread engine;
    private volatile boolean stopping;
    private Phase phase = Phase.READY;
    private Pending pending;
    private FilteredLink.Verdict verdict = FilteredLink.Verdict.PASS;
    private TcpState predicted;
    private String failure;
    private int steps;

    public LabSession(Lab lab, long seed) {
        this.lab = lab;
        this.seed = seed;
        this.run = new LabRun(lab, seed);
        for (Side side : Side.values()) {
            run.board(side).link().gate((frame, offset, length) -> decide(side, frame, offset, length), DELAY_NANOS);
        }
        run.beforeEachRound(this::runQueued);
    }

    public Lab lab() {
        return lab;
    }

    public long seed() {
        return seed;
    }

    public synchronized Phase phase() {
        return phase;
    }

    /** The segment waiting for a verdict, or null when the session is not {@link Phase#PAUSED}. */
    public synchronized Pending pending() {
        return pending;
    }

    /** Simulated nanoseconds since the lab started. */
    public synchronized long now() {
        return run.now();
    }

    /** Steps taken so far. */
    public synchronized int steps() {
        return steps;
    }

    /** Why the scenario stopped early (a state it waited for never came), or null. */
    public synchronized String failure() {
        return failure;
    }

    /** Every prediction made, in order, the latest perhaps not decided yet. */
    public synchronized List<Prediction> predictions() {
        return List.copyOf(predictions);
    }

    /** What the session said about commands since the last call (queued, done, refused...), oldest first. */
    public synchronized List<Notice> takeNotices() {
        List<Notice> taken = List.copyOf(notices);
        notices.clear();
        return taken;
    }

    /** Everything recorded so far: what {@link LabRun#run} returns at the end of a run. */
    public synchronized LabResult result() {
        return run.result(failure);
    }

    /** The state {@code side} is in now: where its latest transition led (CLOSED before any). */
    public synchronized TcpState state(Side side) {
        return stateAt(side, Long.MAX_VALUE);
    }

    /**
     * Guesses the state the receiver of the pending segment is in once that segment has arrived
     * (decided at a later step). Only while {@link Phase#PAUSED}.
     */
    public synchronized void predict(TcpState state) {
        if (phase != Phase.PAUSED) {
            throw new IllegalStateException("there is no segment on its way to predict about; step first");
        }
        predicted = state;
    }

    /**
     * Lets the pending segment go as {@code choice} says (ignored when nothing is pending) and
     * runs the boards until the next segment is about to go, or the scenario ends.
     */
    public synchronized Phase step(FilteredLink.Verdict choice) {
        if (phase == Phase.STOPPED) {
            throw new IllegalStateException("this lab session is closed; start the lab again");
        }
        if (phase == Phase.PAUSED) {
            verdict = choice;
            if (predicted != null) {
                long arrival = pending.nanos() + LabRun.WIRE_DELAY_NANOS + (choice == FilteredLink.Verdict.DELAY ? DELAY_NANOS : 0);
                predictions.add(new Prediction(pending.from().other(), predicted, arrival, null));
            }
        } else {
            verdict = FilteredLink.Verdict.PASS;
        }
        predicted = null;
        pending = null;
        steps++;
        if (engine == null) {
            engine = Thread.ofPlatform().daemon().name("lab-session-" + lab.name()).unstarted(this::scenario);
            engine.start();
        }
        go.release();
        try {
            if (!parked.tryAcquire(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                close();
                throw new IllegalStateException("one step of lab " + lab.name() + " ran for " + STEP_TIMEOUT_SECONDS
                        + " s without reaching the next segment; the session is closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while the lab ran a step; the session is closed");
        }
        decidePredictions();
        return phase;
    }

    /** Steps with PASS until the scenario ends (at most {@code maxSteps} steps); returns the phase. */
    public synchronized Phase finish(int maxSteps) {
        for (int i = 0; i < maxSteps && (phase == Phase.READY || phase == Phase.PAUSED); i++) {
            step(FilteredLink.Verdict.PASS);
        }
        return phase;
    }

    /**
     * Makes {@code side} do {@code command}: at once when the scenario is not inside a duty cycle,
     * else at the next polling round (the same simulated instant). Returns what it said.
     */
    public synchronized Notice command(Side side, Command command) {
        if (phase == Phase.STOPPED) {
            throw new IllegalStateException("this lab session is closed; start the lab again");
        }
        Runnable action = () -> perform(side, command);
        if (phase == Phase.PAUSED) {
            queued.add(action);
            notices.add(new Notice("queued", side, command, ""));
        } else {
            action.run();
        }
        return notices.getLast();
    }

    @Override
    public synchronized void close() {
        phase = Phase.STOPPED;
        stopping = true;
        if (engine != null) {
            engine.interrupt();
        }
    }

    // ---- the scenario's thread ----

    private void scenario() {
        try {
            awaitTurn();
            try {
                lab.script().run(run);
                run.settle();
            } catch (IllegalStateException | IllegalArgumentException e) {
                // As LabRun.run: a scenario that cannot go on is a failed lab, not a crash.
                failure = e.getMessage();
                run.note("the scenario stopped: " + failure);
            }
            while (true) {
                phase = Phase.FINISHED;
                parked.release();
                awaitTurn();
                try {
                    run.runFor(FREE_STEP_NANOS);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    run.note("the boards could not go on: " + e.getMessage());
                }
            }
        } catch (Stopped stopped) {
            // closed: the run is thrown away
        }
    }

    /** The gate of {@code side}'s link: park until the student has decided about this frame. */
    private FilteredLink.Verdict decide(Side side, byte[] frame, int offset, int length) {
        pending = new Pending(side, run.now(), summary.describe(frame, offset, length));
        phase = Phase.PAUSED;
        parked.release();
        awaitTurn();
        return verdict;
    }

    private void awaitTurn() {
        try {
            go.acquire();
        } catch (InterruptedException e) {
            throw new Stopped();
        }
        if (stopping) {
            throw new Stopped();
        }
    }

    private void runQueued() {
        for (int i = 0; i < queued.size(); i++) {
            queued.get(i).run();
        }
        queued.clear();
    }

    private void perform(Side side, Command command) {
        LabBoard board = run.board(side);
        try {
            switch (command) {
                case CLOSE -> {
                    if (board.connection() >= 0 && board.tcp().state(board.connection()) != TcpState.CLOSED) {
                        board.close();
                    } else if (board.listening()) {
                        board.closeListener();
                    } else {
                        notices.add(new Notice("nothing-to-close", side, command, ""));
                        return;
                    }
                }
                case ABORT -> {
                    if (board.connection() < 0 || board.tcp().state(board.connection()) == TcpState.CLOSED) {
                        notices.add(new Notice("no-connection", side, command, ""));
                        return;
                    }
                    board.abort();
                }
                case SEND -> {
                    if (board.connection() < 0 || !board.tcp().state(board.connection()).isSynchronized()) {
                        notices.add(new Notice("no-open-connection", side, command, ""));
                        return;
                    }
                    board.send("studio");
                }
                case SYN, RST -> inject(side, command);
            }
            notices.add(new Notice("done", side, command, String.format(Locale.ROOT, "%.6f", run.now() / 1e9)));
        } catch (IllegalStateException | IllegalArgumentException e) {
            run.note(side + " " + command + " refused by the stack: " + e.getMessage());
            notices.add(new Notice("refused", side, command, e.getMessage()));
        }
    }

    /**
     * A SYN or RST in {@code side}'s name: on the ports of its latest segment, at the sequence
     * number its connection sends next and acknowledging what it has received (RFC 9293 3.10.7.4:
     * an RST is accepted when its sequence number is the one the receiver expects; RFC 5961 answers
     * anything else, and a SYN on a synchronized connection, with a challenge ACK).
     */
    private void inject(Side side, Command command) {
        LabBoard board = run.board(side);
        LabSegment last = run.lastSegmentFrom(side);
        int sourcePort = last != null ? last.sourcePort() : side == Side.A ? LabCatalogue.PORT_A : LabCatalogue.PORT_B;
        int destinationPort = last != null ? last.destinationPort() : LabCatalogue.PORT;
        int seq = INJECTED_ISN;
        int ack = 0;
        boolean synchronizedConnection = false;
        if (board.connection() >= 0 && board.tcp().snapshot(board.connection(), snapshot) && snapshot.state() != TcpState.CLOSED) {
            seq = snapshot.sndNxt();
            ack = snapshot.rcvNxt();
            synchronizedConnection = snapshot.state().isSynchronized();
        } else if (last != null) {
            seq = last.seq() + last.sequenceLength();
            ack = last.has(TcpSegment.ACK) ? last.ack() : 0;
            synchronizedConnection = last.has(TcpSegment.ACK);
        }
        int flags = command == Command.SYN ? TcpSegment.SYN : TcpSegment.RST | (synchronizedConnection ? TcpSegment.ACK : 0);
        if (command == Command.SYN) {
            ack = 0;
        }
        run.inject(side, InjectedSegment.frame(side, sourcePort, destinationPort, seq, ack, flags, INJECTED_WINDOW),
                "the studio injects in " + side + "'s name");
    }

    // ---- predictions ----

    /** Decides every prediction whose segment has arrived by now (or all of them, once nothing more is sent). */
    private void decidePredictions() {
        long now = run.now();
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            if (p.decided()) {
                continue;
            }
            // A board receives before it sends in its duty cycle: its own segment at the arrival
            // instant means the arrival has been handled.
            boolean arrived = now > p.atNanos() || now == p.atNanos() && pending != null && pending.from() == p.side();
            if (arrived || phase == Phase.FINISHED) {
                predictions.set(i, new Prediction(p.side(), p.predicted(), p.atNanos(), stateAt(p.side(), p.atNanos())));
            }
        }
    }

    private TcpState stateAt(Side side, long nanos) {
        TcpState state = TcpState.CLOSED;
        for (TimelineEntry entry : run.timelineSoFar()) {
            if (entry.kind() == TimelineEntry.Kind.TRANSITION && entry.side() == side && entry.nanos() <= nanos) {
                state = entry.step().to();
            }
        }
        return state;
    }
}
