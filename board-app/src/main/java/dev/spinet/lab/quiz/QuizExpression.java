package dev.spinet.lab.quiz;

import dev.spinet.lab.LabFrame;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabSegment;
import dev.spinet.lab.Side;
import dev.spinet.lab.Step;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a quiz answer is computed from a run of its lab ({@link LabResult}): the quiz file names
 * the fact, never its value. The forms (SIDE is A or B, N and K count from 1):
 *
 * <ul>
 *   <li>{@code state SIDE N}: the state SIDE's N-th transition ends in;</li>
 *   <li>{@code edge SIDE N}: SIDE's N-th transition as FROM->TO;</li>
 *   <li>{@code steps SIDE [CAUSE]}: how many transitions SIDE made (with that cause);</li>
 *   <li>{@code frames SIDE FLAGS [lost|data|win0]}: how many frames SIDE sent with exactly these
 *       flags, written as tcpdump does ({@code S}, {@code S.}, {@code F.}, {@code R}, {@code .};
 *       PSH is ignored), and optionally only those the lab dropped, those carrying data, or those
 *       advertising a zero window;</li>
 *   <li>{@code seq SIDE FLAGS K} and {@code ack SIDE FLAGS K}: the sequence or acknowledgment
 *       number of the K-th such frame, relative to the ISN of its connection (as Wireshark shows
 *       them), so the answer does not depend on {@code --seed}.</li>
 * </ul>
 */
public record QuizExpression(String text, Op op, Side side, int index, TransitionCause cause, int flags, String filter) {

    enum Op { STATE, EDGE, STEPS, FRAMES, SEQ, ACK }

    private static final int CONTROL = TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST | TcpSegment.ACK;

    /** Parses an expression; IllegalArgumentException saying what is wrong otherwise. */
    public static QuizExpression parse(String text) {
        String[] w = text.strip().split("\\s+");
        Op op;
        try {
            op = Op.valueOf(w[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown answer form '" + w[0] + "' in '" + text
                    + "'; the forms are state, edge, steps, frames, seq, ack");
        }
        if (w.length < 2) {
            throw new IllegalArgumentException("'" + text + "' names no side (A or B)");
        }
        Side side = switch (w[1]) {
            case "A" -> Side.A;
            case "B" -> Side.B;
            default -> throw new IllegalArgumentException("'" + text + "': the side is A or B, not " + w[1]);
        };
        try {
            return switch (op) {
                case STATE, EDGE -> {
                    need(text, w, 3, 3);
                    yield new QuizExpression(text, op, side, positive(w[2]), null, 0, "");
                }
                case STEPS -> {
                    need(text, w, 2, 3);
                    yield new QuizExpression(text, op, side, 0, w.length == 3 ? TransitionCause.valueOf(w[2]) : null, 0, "");
                }
                case FRAMES -> {
                    need(text, w, 3, 4);
                    String filter = w.length == 4 ? w[3] : "";
                    if (!List.of("", "lost", "data", "win0").contains(filter)) {
                        throw new IllegalArgumentException("'" + text + "': the filter is lost, data or win0");
                    }
                    yield new QuizExpression(text, op, side, 0, null, flags(w[2]), filter);
                }
                case SEQ, ACK -> {
                    need(text, w, 4, 4);
                    yield new QuizExpression(text, op, side, positive(w[3]), null, flags(w[2]), "");
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    private static void need(String text, String[] words, int min, int max) {
        if (words.length < min || words.length > max) {
            throw new IllegalArgumentException("wrong number of words in '" + text + "'");
        }
    }

    private static int positive(String number) {
        int n = Integer.parseInt(number);
        if (n < 1) {
            throw new IllegalArgumentException("counts start at 1, not " + n);
        }
        return n;
    }

    /** tcpdump's flag letters: S SYN, F FIN, R RST, P PSH (ignored), '.' ACK. */
    static int flags(String letters) {
        int flags = 0;
        for (char c : letters.toCharArray()) {
            flags |= switch (c) {
                case 'S' -> TcpSegment.SYN;
                case 'F' -> TcpSegment.FIN;
                case 'R' -> TcpSegment.RST;
                case '.' -> TcpSegment.ACK;
                case 'P' -> 0;
                default -> throw new IllegalArgumentException("unknown flag letter '" + c + "' (S F R P .)");
            };
        }
        return flags;
    }

    /** The answer in this run; IllegalStateException when the run has no such step or frame. */
    public QuizValue evaluate(LabResult run) {
        List<Step> steps = run.actual(side);
        return switch (op) {
            case STATE, EDGE -> {
                if (index > steps.size()) {
                    throw new IllegalStateException(text + ": " + side + " made only " + steps.size() + " transitions");
                }
                Step step = steps.get(index - 1);
                yield op == Op.STATE ? QuizValue.state(step.to()) : QuizValue.edge(step.from(), step.to());
            }
            case STEPS -> QuizValue.number(steps.stream().filter(s -> cause == null || s.cause() == cause).count());
            case FRAMES -> QuizValue.number(matching(run).size());
            case SEQ, ACK -> {
                List<LabFrame> frames = matching(run);
                if (index > frames.size()) {
                    throw new IllegalStateException(text + ": " + side + " sent only " + frames.size() + " such frames");
                }
                LabFrame frame = frames.get(index - 1);
                Map<String, Integer> isn = initialSequenceNumbers(run, frame);
                LabSegment tcp = frame.tcp();
                if (op == Op.SEQ) {
                    yield QuizValue.number(relative(tcp.seq(), isn.get(key(frame.from(), tcp))));
                }
                yield QuizValue.number(relative(tcp.ack(), isn.get(key(frame.from().other(), tcp))));
            }
        };
    }

    private List<LabFrame> matching(LabResult run) {
        List<LabFrame> found = new ArrayList<>();
        for (LabFrame frame : run.frames()) {
            LabSegment tcp = frame.tcp();
            if (frame.from() != side || tcp == null || (tcp.flags() & CONTROL) != flags) {
                continue;
            }
            boolean keep = switch (filter) {
                case "lost" -> !frame.arrived();
                case "data" -> tcp.payloadLength() > 0;
                case "win0" -> tcp.window() == 0;
                default -> true;
            };
            if (keep) {
                found.add(frame);
            }
        }
        return found;
    }

    /**
     * Each side's ISN per 4-tuple as of frame {@code upTo}: the sequence number of the latest SYN it
     * sent on that 4-tuple (a 4-tuple reused after TIME-WAIT starts again from its new SYN).
     */
    private static Map<String, Integer> initialSequenceNumbers(LabResult run, LabFrame upTo) {
        Map<String, Integer> isn = new HashMap<>();
        for (LabFrame frame : run.frames()) {
            LabSegment tcp = frame.tcp();
            if (tcp != null && tcp.has(TcpSegment.SYN)) {
                isn.put(key(frame.from(), tcp), tcp.seq());
            }
            if (frame == upTo) {
                break;
            }
        }
        return isn;
    }

    private static String key(Side side, LabSegment tcp) {
        return side + "/" + tcp.connectionKey();
    }

    /** Relative to the ISN as Wireshark counts (unsigned 32-bit difference); the raw number without an ISN. */
    private static long relative(int value, Integer isn) {
        return isn == null ? Integer.toUnsignedLong(value) : Integer.toUnsignedLong(value - isn);
    }

    @Override
    public String toString() {
        return text;
    }
}
