package dev.spinet.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of a lab: what {@code spinet lab show} prints and the HTML report shows. They live in a
 * resource next to this class, {@code text/NAME.txt}, so a teacher edits prose, not Java.
 *
 * <p>The format is that of a mail header or a JAR manifest: one {@code key: value} entry per line;
 * a line that starts with a space or a tab continues the entry above (joined with one space, so a
 * long sentence folds at any space); {@code #} starts a comment line; a blank line ends an entry.
 * Keys: {@code title}, {@code summary}, {@code boards} (what A is, then what B is, one word each),
 * {@code goal}, {@code board role} (what a real board does, {@code spinet run --lab NAME}), each
 * exactly once; {@code predict} and {@code question}, once per item, at least once each.
 *
 * <p>The instructor's answers: an {@code answer} entry right after a {@code predict} or
 * {@code question} entry answers it ({@code spinet lab show NAME --answers},
 * {@code spinet lab answers}). The parser accepts an item without an answer (a lab being written);
 * a test requires one for every item of the labs Spinet ships. Answers cite the timeline's times
 * as {@code at 0.213 s}, and a test checks each such time against a run of the lab.
 *
 * <p>{@code note}, zero or more times: a remark shown after the questions, for what students (or
 * tutorials) commonly get wrong about the lab's edges.
 *
 * <p>Each lab has its text in every {@link LabLanguage}: English in {@code text/NAME.txt}, Simplified
 * Chinese in {@code text/zh/NAME.txt}, entry for entry (a test keeps them parallel). A continuation
 * line between two Chinese characters, or before or after a Chinese punctuation mark, is joined
 * without the space: Chinese has no spaces between words, so the fold must not add one.
 */
public record LabText(String title, String summary, String boardA, String boardB, String goal, List<String> predict,
                      List<String> questions, String boardRole, List<String> predictAnswers, List<String> questionAnswers,
                      List<String> notes) {

    private static final List<String> KEYS = List.of("title", "summary", "boards", "goal", "predict", "question",
            "board role", "answer", "note");

    /** @param predictAnswers and {@code questionAnswers}: one per item, in order; empty where none is written */
    public LabText {
        predict = List.copyOf(predict);
        questions = List.copyOf(questions);
        predictAnswers = List.copyOf(predictAnswers);
        questionAnswers = List.copyOf(questionAnswers);
        notes = List.copyOf(notes);
        if (predictAnswers.size() != predict.size() || questionAnswers.size() != questions.size()) {
            throw new IllegalArgumentException("one answer (possibly empty) per prediction and per question");
        }
    }

    /** A text without notes. */
    public LabText(String title, String summary, String boardA, String boardB, String goal, List<String> predict,
                   List<String> questions, String boardRole, List<String> predictAnswers, List<String> questionAnswers) {
        this(title, summary, boardA, boardB, goal, predict, questions, boardRole, predictAnswers, questionAnswers, List.of());
    }

    /** Whether every prediction and question has an answer. */
    public boolean fullyAnswered() {
        return !predictAnswers.contains("") && !questionAnswers.contains("");
    }

    /** The English text of the lab called {@code labName}: the resource {@code text/NAME.txt} of this package. */
    public static LabText load(String labName) {
        return load(labName, LabLanguage.EN);
    }

    /** The text of the lab called {@code labName} in {@code language}: {@code text/NAME.txt}, {@code text/zh/NAME.txt}. */
    public static LabText load(String labName, LabLanguage language) {
        String resource = resource(labName, language);
        try (InputStream in = LabText.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("lab " + labName + " has no text: resource dev/spinet/lab/" + resource + " is missing");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/spinet/lab/" + resource, e);
        }
    }

    /** The resource, relative to this package, that holds the text of {@code labName} in {@code language}. */
    static String resource(String labName, LabLanguage language) {
        return language == LabLanguage.EN ? "text/" + labName + ".txt" : "text/" + language.code() + "/" + labName + ".txt";
    }

    /**
     * Parses one lab text; {@code source} names it in error messages. IllegalStateException, with the
     * line number, on an unknown key, a repeated single key, a continuation with nothing to continue,
     * or a missing key.
     */
    public static LabText parse(String source, String content) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        Entry open = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                open = null;
            } else if (line.startsWith("#")) {
                continue;
            } else if (line.startsWith(" ") || line.startsWith("\t")) {
                if (open == null) {
                    throw error(source, number, "continues nothing: a continuation line must follow a 'key: value' line");
                }
                String more = line.strip();
                if (!joinsWithoutSpace(open.value(), more.charAt(0))) {
                    open.value().append(' ');
                }
                open.value().append(more);
            } else {
                int colon = line.indexOf(':');
                String key = colon < 0 ? line : line.substring(0, colon);
                if (colon < 0 || !KEYS.contains(key)) {
                    throw error(source, number, "'" + key + "' is not a key (the keys: " + String.join(", ", KEYS) + ")");
                }
                open = new Entry(key, number, new StringBuilder(line.substring(colon + 1).strip()));
                entries.add(open);
            }
        }
        String title = single(source, entries, "title");
        String summary = single(source, entries, "summary");
        String boards = single(source, entries, "boards");
        String goal = single(source, entries, "goal");
        String boardRole = single(source, entries, "board role");
        String[] ab = boards.split(" ");
        if (ab.length != 2) {
            throw new IllegalStateException(source + ": 'boards' needs two words, what A is and what B is; got '" + boards + "'");
        }
        List<String> predict = repeated(source, entries, "predict");
        List<String> questions = repeated(source, entries, "question");
        List<String> notes = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.key().equals("note")) {
                notes.add(nonEmpty(source, entry));
            }
        }
        return new LabText(title, summary, ab[0], ab[1], goal, predict, questions, boardRole,
                answers(source, entries, "predict"), answers(source, entries, "question"), notes);
    }

    /**
     * Whether a fold between {@code before} and {@code next} is no space: between two Chinese
     * characters, and on either side of a Chinese punctuation mark ("SYN（" , "。FIN"). Between a
     * Chinese character and a Latin word the space stays, as the texts write it ("进入 SYN_RECEIVED").
     */
    private static boolean joinsWithoutSpace(CharSequence before, char next) {
        if (before.isEmpty()) {
            return false;
        }
        char last = before.charAt(before.length() - 1);
        return isHan(last) && isHan(next) || isCjkPunctuation(last) || isCjkPunctuation(next);
    }

    private static boolean isCjkPunctuation(char c) {
        Character.UnicodeBlock block = Character.UnicodeBlock.of(c);
        return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }

    /** A CJK ideograph or a CJK or full-width punctuation mark: text that joins its neighbour without a space. */
    static boolean isHan(char c) {
        Character.UnicodeBlock block = Character.UnicodeBlock.of(c);
        return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                || block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }

    /**
     * The answer of each {@code key} entry, in order ("" for none). An answer belongs to the entry
     * right before it, which must be a prediction or a question.
     */
    private static List<String> answers(String source, List<Entry> entries, String key) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.key().equals("answer")) {
                String answered = i == 0 ? "" : entries.get(i - 1).key();
                if (!answered.equals("predict") && !answered.equals("question")) {
                    throw error(source, entry.line(), "an 'answer:' must come right after the 'predict:' or 'question:' it answers");
                }
            } else if (entry.key().equals(key)) {
                boolean answered = i + 1 < entries.size() && entries.get(i + 1).key().equals("answer");
                answers.add(answered ? nonEmpty(source, entries.get(i + 1)) : "");
            }
        }
        return answers;
    }

    private static String single(String source, List<Entry> entries, String key) {
        String value = null;
        for (Entry entry : entries) {
            if (entry.key().equals(key)) {
                if (value != null) {
                    throw error(source, entry.line(), "'" + key + "' given twice");
                }
                value = nonEmpty(source, entry);
            }
        }
        if (value == null) {
            throw new IllegalStateException(source + ": no '" + key + ":' entry");
        }
        return value;
    }

    private static List<String> repeated(String source, List<Entry> entries, String key) {
        List<String> values = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.key().equals(key)) {
                values.add(nonEmpty(source, entry));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalStateException(source + ": no '" + key + ":' entry (give at least one)");
        }
        return values;
    }

    private static String nonEmpty(String source, Entry entry) {
        if (entry.value().isEmpty()) {
            throw error(source, entry.line(), "'" + entry.key() + "' is empty");
        }
        return entry.value().toString();
    }

    /** One {@code key: value} entry as read so far (continuation lines append to its value). */
    private record Entry(String key, int line, StringBuilder value) {
    }

    private static IllegalStateException error(String source, int line, String what) {
        return new IllegalStateException(source + " line " + line + ": " + what);
    }
}
