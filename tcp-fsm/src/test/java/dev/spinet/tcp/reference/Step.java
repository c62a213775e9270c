package dev.spinet.tcp.reference;

import dev.spinet.tcp.scenario.Seg;
import java.util.ArrayList;
import java.util.List;

/**
 * One action of a scenario (a segment the peer injects, a user call on the stack side, filling
 * the stack's receive window, or just waiting) and what the stack must send in answer: a list
 * of acceptable answers, each an exact ordered list of segments (empty: nothing at all). A step
 * without answers is observed and recorded but not judged.
 */
final class Step {

    enum Kind { INJECT, CALL, FILL_WINDOW, WAIT }

    static final long DEFAULT_WAIT_NANOS = 1_000_000_000L;

    final Kind kind;
    int connection;
    // INJECT
    int flags;
    Rel seq = Rel.of(0);
    Rel ack = Rel.of(0);
    Rel length = Rel.of(0);
    int window = ScenarioRunner.PEER_WINDOW;
    int times = 1;
    /** The peer's TSval (relative to its first), when the step sets it; null: one more than the last. */
    Integer tsVal;
    /** This segment goes without the timestamps option even though the scenario's peer uses them. */
    boolean noTimestamps;
    /** SACK blocks relative to L, left, right pairs (the peer SACKs the stack's data). */
    int[] sack = new int[0];
    // CALL
    UserCall call;
    int amount;
    // answers
    List<List<Expected>> answers;
    boolean setup;
    boolean keepRetransmissions;
    int atLeast = -1;
    int backoffTransmissions;
    long waitNanos = DEFAULT_WAIT_NANOS;
    /** The step lasts its whole wait, whatever is sent (an idle time, not a wait for an answer). */
    boolean lastsWholeWait;

    private Step(Kind kind) {
        this.kind = kind;
    }

    /** The peer sends a segment; seq is relative to P, ack to L. */
    static Step inject(int flags) {
        Step step = new Step(Kind.INJECT);
        step.flags = flags;
        return step;
    }

    static Step call(UserCall call) {
        return call(call, 0);
    }

    static Step call(UserCall call, int amount) {
        Step step = new Step(Kind.CALL);
        step.call = call;
        step.amount = amount;
        return step;
    }

    /** The peer sends data at RCV.NXT until the stack advertises a zero window (at most 40 segments). */
    static Step fillReceiveWindow() {
        return new Step(Kind.FILL_WINDOW).setup();
    }

    /** Time passes; the stack's timers run. */
    static Step await() {
        return new Step(Kind.WAIT);
    }

    /** {@code millis} of time pass, all of them (the step does not end early when nothing comes). */
    static Step idle(long millis) {
        Step step = new Step(Kind.WAIT).waitUpTo(millis);
        step.lastsWholeWait = true;
        return step;
    }

    Step on(int connection) {
        this.connection = connection;
        return this;
    }

    Step seq(int offset) {
        return seq(Rel.of(offset));
    }

    Step seq(Rel value) {
        this.seq = value;
        return this;
    }

    Step ack(int offset) {
        return ack(Rel.of(offset));
    }

    Step ack(Rel value) {
        this.ack = value;
        return this;
    }

    Step length(int bytes) {
        return length(Rel.of(bytes));
    }

    Step length(Rel bytes) {
        this.length = bytes;
        return this;
    }

    Step window(int window) {
        this.window = window;
        return this;
    }

    /** The peer's TSval for this segment, relative to its first (lower than the last: PAWS's old duplicate). */
    Step tsVal(int value) {
        this.tsVal = value;
        return this;
    }

    /** This segment carries no timestamps option. */
    Step noTimestamps() {
        this.noTimestamps = true;
        return this;
    }

    /** A SACK option with these blocks, left, right pairs relative to L. */
    Step sack(int... edges) {
        this.sack = edges.clone();
        return this;
    }

    /** Sends the same segment {@code count} times back to back. */
    Step times(int count) {
        this.times = count;
        return this;
    }

    Step expect(Expected... segments) {
        return expectOneOf(List.of(segments));
    }

    Step expectNothing() {
        return expectOneOf(List.of());
    }

    @SafeVarargs
    final Step expectOneOf(List<Expected>... alternatives) {
        this.answers = new ArrayList<>(List.of(alternatives));
        return this;
    }

    /** Part of bringing the connection to the state under test, not the behaviour compared. */
    Step setup() {
        this.setup = true;
        return this;
    }

    /** Segments repeating earlier ones (SYN, FIN, data) count as answers here. */
    Step keepRetransmissions() {
        this.keepRetransmissions = true;
        return this;
    }

    /** Waits for at least {@code count} segments (up to the step's wait). */
    Step atLeast(int count) {
        this.atLeast = count;
        return this;
    }

    /**
     * The answer is one segment sent {@code transmissions} times (first transmission included):
     * each interval must be about twice the one before (RFC 6298 5.5, "back off the timer"),
     * compared as ratios because the two stacks start from different timeouts.
     */
    Step backoff(int transmissions) {
        this.backoffTransmissions = transmissions;
        this.keepRetransmissions = true;
        return this;
    }

    Step waitUpTo(long millis) {
        this.waitNanos = millis * 1_000_000L;
        return this;
    }

    int minimumSegments() {
        if (backoffTransmissions > 0) {
            return backoffTransmissions;
        }
        if (atLeast >= 0) {
            return atLeast;
        }
        if (answers == null) {
            return 0;
        }
        int fewest = Integer.MAX_VALUE;
        for (List<Expected> answer : answers) {
            fewest = Math.min(fewest, answer.size());
        }
        return fewest;
    }

    String describe() {
        return switch (kind) {
            case INJECT -> {
                StringBuilder text = new StringBuilder("peer: ").append(Observed.flagNames(flags))
                        .append(" P+").append(seq.text());
                if ((flags & Seg.ACK) != 0 || !ack.text().equals("0")) {
                    text.append(" L+").append(ack.text());
                }
                if (!length.text().equals("0")) {
                    text.append(" len=").append(length.text());
                }
                if (window == 0) {
                    text.append(" win=0");
                }
                if (tsVal != null) {
                    text.append(" TSval=").append(tsVal);
                }
                if (noTimestamps) {
                    text.append(" no TS");
                }
                for (int i = 0; i < sack.length; i += 2) {
                    text.append(i == 0 ? " SACK " : ",").append("L+").append(sack[i]).append("..L+").append(sack[i + 1]);
                }
                if (times > 1) {
                    text.append(" x").append(times);
                }
                yield text.toString();
            }
            case CALL -> "app: " + call + (amount > 0 ? " " + amount : "");
            case FILL_WINDOW -> "peer: data until the window is zero";
            case WAIT -> lastsWholeWait ? "idle " + waitNanos / 1_000_000 + " ms" : "wait";
        } + (connection > 0 ? " (connection " + connection + ")" : "");
    }

    String describeAnswers() {
        if (answers == null) {
            return "(not judged)";
        }
        List<String> texts = new ArrayList<>();
        for (List<Expected> answer : answers) {
            texts.add(describe(answer, null));
        }
        String text = String.join(" or ", texts);
        return backoffTransmissions > 0 ? text + " x" + backoffTransmissions + ", intervals doubling" : text;
    }

    static String describe(List<Expected> answer, Numbering before) {
        if (answer.isEmpty()) {
            return "nothing";
        }
        List<String> texts = new ArrayList<>();
        for (Expected expected : answer) {
            texts.add(expected.describe(before));
        }
        return Transcript.joinRuns(texts);
    }
}
