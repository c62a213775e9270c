package dev.spinet.lab.quiz;

import dev.spinet.lab.LabResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A lab's machine-checked quiz: questions whose answers a run of the lab computes. They live in a
 * resource next to this class, {@code NAME.quiz}, apart from the lab's prose ({@code text/NAME.txt}).
 *
 * <p>The format is that of the lab texts: {@code key: value} lines, a line starting with a space
 * continues the entry above, {@code #} starts a comment. Each question is a {@code question: ID}
 * line followed by {@code en:} (English), {@code zh:} (Simplified Chinese) and {@code answer:}
 * (a {@link QuizExpression}), each once.
 */
public record Quiz(String lab, List<QuizQuestion> questions) {

    public Quiz {
        questions = List.copyOf(questions);
    }

    /** The questions with their answers in {@code run} (a run of this quiz's lab). */
    public List<QuizValue> answers(LabResult run) {
        if (!run.lab().name().equals(lab)) {
            throw new IllegalArgumentException("quiz " + lab + " asked about a run of " + run.lab().name());
        }
        List<QuizValue> values = new ArrayList<>();
        for (QuizQuestion question : questions) {
            values.add(question.answer().evaluate(run));
        }
        return values;
    }

    /** Whether the lab has a quiz resource. */
    public static boolean exists(String labName) {
        return Quiz.class.getResource(labName + ".quiz") != null;
    }

    /** The quiz of {@code labName}: resource {@code dev/spinet/lab/quiz/NAME.quiz}. */
    public static Quiz load(String labName) {
        String resource = labName + ".quiz";
        try (InputStream in = Quiz.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("lab " + labName + " has no quiz: resource dev/spinet/lab/quiz/" + resource + " is missing");
            }
            return parse(labName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/spinet/lab/quiz/" + resource, e);
        }
    }

    /** Parses a quiz file; IllegalArgumentException naming the line for anything malformed. */
    public static Quiz parse(String labName, String content) {
        List<String[]> entries = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (entries.isEmpty()) {
                    throw new IllegalArgumentException(labName + ".quiz line " + (i + 1) + ": continues nothing");
                }
                String[] last = entries.getLast();
                last[1] = last[1] + " " + line.strip();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(labName + ".quiz line " + (i + 1) + ": expected 'key: value'");
            }
            entries.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip(), Integer.toString(i + 1)});
        }
        List<QuizQuestion> questions = new ArrayList<>();
        for (int i = 0; i < entries.size(); ) {
            String[] head = entries.get(i);
            if (!head[0].equals("question")) {
                throw new IllegalArgumentException(labName + ".quiz line " + head[2] + ": expected 'question: ID', found '" + head[0] + "'");
            }
            String en = null;
            String zh = null;
            QuizExpression answer = null;
            int j = i + 1;
            for (; j < entries.size() && !entries.get(j)[0].equals("question"); j++) {
                String[] entry = entries.get(j);
                String where = labName + ".quiz line " + entry[2] + ": ";
                switch (entry[0]) {
                    case "en" -> en = once(where, en, entry[1]);
                    case "zh" -> zh = once(where, zh, entry[1]);
                    case "answer" -> {
                        if (answer != null) {
                            throw new IllegalArgumentException(where + "a second answer");
                        }
                        try {
                            answer = QuizExpression.parse(entry[1]);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(where + e.getMessage(), e);
                        }
                    }
                    default -> throw new IllegalArgumentException(where + "unknown key '" + entry[0] + "' (en, zh, answer)");
                }
            }
            if (en == null || zh == null || answer == null) {
                throw new IllegalArgumentException(labName + ".quiz line " + head[2] + ": question " + head[1]
                        + " needs en, zh and answer");
            }
            for (QuizQuestion earlier : questions) {
                if (earlier.id().equals(head[1])) {
                    throw new IllegalArgumentException(labName + ".quiz line " + head[2] + ": question " + head[1] + " twice");
                }
            }
            questions.add(new QuizQuestion(head[1], en, zh, answer));
            i = j;
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(labName + ".quiz has no questions");
        }
        return new Quiz(labName, questions);
    }

    private static String once(String where, String old, String value) {
        if (old != null) {
            throw new IllegalArgumentException(where + "a second wording in the same language");
        }
        return value;
    }
}
