package dev.spinet.tcp.reference;

import dev.spinet.tcp.scenario.Seg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plays a {@link Scenario} on a {@link StackDriver}: turns its relative numbers into absolute
 * ones for the driver, normalises what the stack sends ({@link Observed}) and judges each step
 * against the RFC answers it lists. The first setup step that goes another way ends the play,
 * since later steps would be written against a state the stack is not in.
 */
final class ScenarioRunner {

    static final int PEER_WINDOW = 8192;
    static final int PEER_MSS = 1460;
    /** Silence that ends a step's collection once its answer is in: longer than a 40 ms delayed ACK. */
    static final long QUIET_NANOS = 70_000_000L;
    /** Each connection's ISN P; far from 0 so that numbers that forgot to be relative stand out. */
    static final int PEER_ISN_BASE = 0x3000_0000;
    /** The peer's TSvals are this plus a small relative number (RFC 7323: any clock; far from 0 to catch absolute use). */
    static final int PEER_TS_BASE = 0x0700_0000;
    private static final int FILL_SEGMENT = 1000;
    private static final int FILL_LIMIT = 40;
    /** Interval ratios accepted as doubling: RFC 6298 5.5 doubles; timers tick and clamp a little. */
    private static final double BACKOFF_LOW = 1.6;
    private static final double BACKOFF_HIGH = 2.5;

    private final StackDriver driver;
    /** The scenario being played (its peer's options). */
    private Scenario scenario;

    ScenarioRunner(StackDriver driver) {
        this.driver = driver;
    }

    /**
     * @param portBase distinct per scenario, so one scenario's connections never meet another's:
     *                 connection k uses stack port 20000 + portBase + k and peer port 40000 + portBase + k
     */
    Transcript play(Scenario scenario, int portBase) {
        this.scenario = scenario;
        Transcript transcript = new Transcript(scenario, driver.name());
        List<Numbering> connections = new ArrayList<>();
        for (int k = 0; k < scenario.connections; k++) {
            connections.add(new Numbering(40_000 + portBase + k, PEER_ISN_BASE + k * 0x0100_0000, 20_000 + portBase + k));
        }
        driver.begin(scenario);
        try {
            for (Step step : scenario.steps) {
                Numbering numbering = connections.get(step.connection);
                Numbering before = numbering.copy();
                String note = perform(step, numbering, connections);
                if (step.kind == Step.Kind.FILL_WINDOW) {
                    boolean zero = numbering.window == 0;
                    transcript.records.add(new Transcript.StepRecord(step, List.of(), List.of(), zero,
                            zero ? "" : "the stack never advertised a zero window (last window " + numbering.window + ")", note));
                    if (!zero) {
                        break;
                    }
                    continue;
                }
                long quiet = step.lastsWholeWait ? step.waitNanos : step.backoffTransmissions > 0 ? 0 : QUIET_NANOS;
                List<Captured> captured = driver.collect(step.minimumSegments(), quiet, step.waitNanos);
                List<Observed> observed = new ArrayList<>();
                List<Observed> ignored = new ArrayList<>();
                normalise(captured, connections, step.keepRetransmissions, observed, ignored);
                String problem = judge(step, observed, before);
                if (step.backoffTransmissions > 0 && observed.size() >= 2) {
                    note = appendNote(note, intervals(observed));
                }
                transcript.records.add(new Transcript.StepRecord(step, observed, ignored, problem == null, problem == null ? "" : problem, note));
                if (problem != null && step.setup) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            transcript.error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            try {
                driver.end();
            } catch (RuntimeException | AssertionError e) {
                transcript.error = (transcript.error == null ? "" : transcript.error + "; ") + e.getMessage();
            }
        }
        return transcript;
    }

    private String perform(Step step, Numbering numbering, List<Numbering> connections) {
        switch (step.kind) {
            case INJECT -> {
                for (int i = 0; i < step.times; i++) {
                    Seg segment = Seg.of(step.flags).ports(numbering.peerPort, numbering.stackPort)
                            .seq(numbering.peerIsn + step.seq.at(numbering)).ack(numbering.stackIsn + step.ack.at(numbering))
                            .window(step.window).payload(new byte[step.length.at(numbering)]);
                    if (step.sack.length > 0) {
                        int[] blocks = new int[step.sack.length];
                        for (int j = 0; j < blocks.length; j++) {
                            blocks[j] = numbering.stackIsn + step.sack[j];
                        }
                        segment.sack(blocks);
                    }
                    driver.inject(numbering, withPeerOptions(segment, step.tsVal, step.noTimestamps, numbering));
                }
                return "";
            }
            case CALL -> {
                return driver.call(step.call, numbering, step.amount);
            }
            case FILL_WINDOW -> {
                int sent = 0;
                for (int i = 0; i < FILL_LIMIT && numbering.window != 0; i++) {
                    int bytes = Math.min(numbering.window, FILL_SEGMENT);
                    driver.inject(numbering, withPeerOptions(Seg.of(Seg.ACK).ports(numbering.peerPort, numbering.stackPort)
                            .seq(numbering.peerIsn + numbering.rcvNxt).ack(numbering.stackIsn + numbering.sndMax)
                            .window(PEER_WINDOW).payload(new byte[bytes]), null, false, numbering));
                    sent += bytes;
                    List<Captured> captured = driver.collect(1, 0, 300_000_000L);
                    normalise(captured, connections, false, new ArrayList<>(), new ArrayList<>());
                }
                // The last ACKs of a delayed-ACK receiver may still be on their way.
                normalise(driver.collect(0, QUIET_NANOS, QUIET_NANOS), connections, false, new ArrayList<>(), new ArrayList<>());
                return sent + " bytes sent, RCV.NXT=P+" + numbering.rcvNxt;
            }
            case WAIT -> {
                return "";
            }
        }
        throw new IllegalStateException("unknown step kind " + step.kind);
    }

    /**
     * The options the scenario's peer puts on {@code segment}: on a SYN its MSS and, if it offers
     * them, SACK-permitted; with timestamps, TSval (one more than its last, or the step's) and
     * TSecr, the stack's last TSval (0 on a SYN without ACK, RFC 7323 3.2).
     */
    private Seg withPeerOptions(Seg segment, Integer tsVal, boolean noTimestamps, Numbering numbering) {
        if (segment.has(Seg.SYN)) {
            segment.mss(scenario.peerMss);
            if (scenario.peerSack) {
                segment.sackPermitted();
            }
        }
        if (scenario.peerTimestamps && !noTimestamps) {
            numbering.peerTsVal = tsVal != null ? tsVal : numbering.peerTsVal + 1;
            int echo = segment.has(Seg.ACK) ? numbering.stackTsVal : 0;
            segment.ts(PEER_TS_BASE + numbering.peerTsVal, echo);
        }
        return segment;
    }

    /**
     * Makes captured segments relative and updates each connection's numbering. Segments that
     * repeat an earlier one occupying sequence space (a retransmitted SYN, FIN or data) go to
     * {@code ignored} unless the step asks for them: timers run on their own clock in the two
     * stacks, and a retransmission is an answer to nothing the step did.
     */
    private void normalise(List<Captured> captured, List<Numbering> connections, boolean keepRetransmissions,
                                  List<Observed> observed, List<Observed> ignored) {
        for (Captured segment : captured) {
            Numbering numbering = null;
            for (Numbering candidate : connections) {
                if (candidate.peerPort == segment.peerPort()) {
                    numbering = candidate;
                }
            }
            if (numbering == null) {
                continue;
            }
            numbering.stackPort = segment.stackPort();
            if ((segment.flags() & Seg.SYN) != 0 && segment.seq() != numbering.stackIsn) {
                numbering.stackIsn = segment.seq(); // a new incarnation: numbers start again
                numbering.sndMax = 0;
                numbering.sequenceSegmentsSent.clear();
            }
            int flags = segment.flags() & Observed.COMPARED_FLAGS;
            boolean acks = (flags & Seg.ACK) != 0;
            // Options are recorded where the scenario's peer offers them: elsewhere a kernel's own
            // SYN or SYN,ACK may carry some that no scenario asks about.
            Seg options = segment.options();
            int[] sack = scenario.peerSack ? options.sackBlocks() : new int[0];
            for (int i = 0; i < sack.length; i++) {
                sack[i] -= numbering.peerIsn;
            }
            if (options.hasTimestamps()) {
                numbering.stackTsVal = options.tsVal();
            }
            boolean timestamps = scenario.peerTimestamps && options.hasTimestamps();
            Observed normal = new Observed(flags, segment.seq() - numbering.stackIsn, acks ? segment.ack() - numbering.peerIsn : 0,
                    segment.payloadLength(), segment.window() == 0,
                    (flags & Seg.RST) != 0 && (flags & Seg.ACK) != 0 && segment.seq() == 0,
                    scenario.peerSack && options.hasSackPermitted(), timestamps, timestamps ? options.tsEcr() - PEER_TS_BASE : 0, sack,
                    segment.atNanos());
            if ((flags & Seg.RST) == 0) {
                if (acks) {
                    numbering.rcvNxt = normal.ack();
                }
                numbering.window = segment.window(); // a SYN's window is the offer data is written against
            }
            int end = normal.seq() + normal.sequenceLength();
            if (end - numbering.sndMax > 0) {
                numbering.sndMax = end;
            }
            boolean repeat = false;
            if (normal.sequenceLength() > 0) {
                for (Observed earlier : numbering.sequenceSegmentsSent) {
                    repeat |= earlier.sameSegment(normal);
                }
                numbering.sequenceSegmentsSent.add(normal);
            }
            (repeat && !keepRetransmissions ? ignored : observed).add(normal);
        }
    }

    private static String judge(Step step, List<Observed> observed, Numbering before) {
        if (step.answers == null) {
            return observed.size() >= Math.max(step.atLeast, 0) ? null
                    : "waited for " + step.atLeast + " segments, got " + observed.size();
        }
        if (step.backoffTransmissions > 0) {
            return judgeBackoff(step, observed, before);
        }
        for (List<Expected> answer : step.answers) {
            if (answer.size() == observed.size()) {
                boolean all = true;
                for (int i = 0; i < answer.size(); i++) {
                    all &= answer.get(i).matches(observed.get(i), before);
                }
                if (all) {
                    return null;
                }
            }
        }
        List<String> texts = new ArrayList<>();
        for (List<Expected> answer : step.answers) {
            texts.add(Step.describe(answer, before));
        }
        return "expected " + String.join(" or ", texts) + ", the stack sent "
                + (observed.isEmpty() ? "nothing" : Transcript.join(observed));
    }

    private static String judgeBackoff(Step step, List<Observed> observed, Numbering before) {
        Expected each = step.answers.get(0).get(0);
        if (observed.size() < step.backoffTransmissions) {
            return "expected " + step.backoffTransmissions + " transmissions of " + each.describe(before) + ", got "
                    + (observed.isEmpty() ? "nothing" : Transcript.join(observed));
        }
        for (int i = 0; i < step.backoffTransmissions; i++) {
            if (!each.matches(observed.get(i), before)) {
                return "transmission " + (i + 1) + " is " + observed.get(i) + ", expected " + each.describe(before);
            }
        }
        for (int i = 2; i < step.backoffTransmissions; i++) {
            double ratio = ratio(observed, i);
            if (ratio < BACKOFF_LOW || ratio > BACKOFF_HIGH) {
                return "interval ratio " + String.format(Locale.ROOT, "%.2f", ratio) + " is not a doubling (" + intervals(observed) + ")";
            }
        }
        return null;
    }

    private static double ratio(List<Observed> observed, int i) {
        double previous = observed.get(i - 1).atNanos() - observed.get(i - 2).atNanos();
        double current = observed.get(i).atNanos() - observed.get(i - 1).atNanos();
        return current / previous;
    }

    private static String intervals(List<Observed> observed) {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i < observed.size(); i++) {
            texts.add(String.format(Locale.ROOT, "%.2f s", (observed.get(i).atNanos() - observed.get(i - 1).atNanos()) / 1e9));
        }
        StringBuilder text = new StringBuilder("intervals ").append(String.join(", ", texts));
        for (int i = 2; i < observed.size(); i++) {
            text.append(String.format(Locale.ROOT, "; ratio %.2f", ratio(observed, i)));
        }
        return text.toString();
    }

    private static String appendNote(String note, String more) {
        return note.isEmpty() ? more : note + "; " + more;
    }
}
