package dev.spinet.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timeline's notes (what a scene is about to show, {@link Scene#note}, {@link LabRun#note}) in a
 * {@link LabLanguage}. The English note in the code is the key: {@code notes_zh.txt} pairs each one
 * with its Chinese, so a scenario keeps one wording to read and English runs stay exactly as they
 * were. A note with a varying number (a port, an RTO) is a template whose {@code {1}}, {@code {2}}
 * match any number in the English and are filled into the Chinese. A note the file lacks (an error
 * message a failed scenario writes) stays English.
 */
public final class LabNotes {

    private static final String RESOURCE = "notes_zh.txt";
    private static final Pattern SLOT = Pattern.compile("\\{(\\d+)}");
    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";

    /** A note whose English has numbered slots. */
    private record Template(String source, Pattern english, List<Integer> slots, String chinese) {}

    private static final class Chinese {
        static final LabNotes NOTES = load();
    }

    private final Map<String, String> exact;
    private final List<Template> templates;

    private LabNotes(Map<String, String> exact, List<Template> templates) {
        this.exact = exact;
        this.templates = templates;
    }

    /** The English of every note the Chinese file translates, as written there (with its slots). */
    static List<String> chineseEntries() {
        List<String> entries = new ArrayList<>(Chinese.NOTES.exact.keySet());
        for (Template template : Chinese.NOTES.templates) {
            entries.add(template.source());
        }
        return entries;
    }

    /** Whether {@code note} is the English of the entry {@code entry} (one of {@link #chineseEntries}). */
    static boolean isEntry(String entry, String note) {
        if (entry.equals(note)) {
            return true;
        }
        for (Template template : Chinese.NOTES.templates) {
            if (template.source().equals(entry)) {
                return template.english().matcher(note).matches();
            }
        }
        return false;
    }

    /** {@code english} as the timeline of a lab in {@code language} shows it. */
    public static String in(LabLanguage language, String english) {
        if (language != LabLanguage.ZH) {
            return english;
        }
        return Chinese.NOTES.translate(english);
    }

    private String translate(String english) {
        String chinese = exact.get(english);
        if (chinese != null) {
            return chinese;
        }
        for (Template template : templates) {
            Matcher m = template.english().matcher(english);
            if (m.matches()) {
                String filled = template.chinese();
                for (int group = 1; group <= template.slots().size(); group++) {
                    filled = filled.replace("{" + template.slots().get(group - 1) + "}", m.group(group));
                }
                return filled;
            }
        }
        return english;
    }

    private static LabNotes load() {
        InputStream in = LabNotes.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the lab notes in Chinese (" + RESOURCE + ") are missing from the classpath");
        }
        Map<String, String> exact = new HashMap<>();
        List<Template> templates = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String english = null;
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("en ") && english == null) {
                    english = line.substring(3);
                } else if (line.startsWith("zh ") && english != null) {
                    add(english, line.substring(3), exact, templates);
                    english = null;
                } else {
                    throw new IllegalStateException(RESOURCE + " line " + number + ": expected an \"en \" line followed by a \"zh \" line");
                }
            }
            if (english != null) {
                throw new IllegalStateException(RESOURCE + ": the last English note has no Chinese");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
        }
        return new LabNotes(Map.copyOf(exact), List.copyOf(templates));
    }

    private static void add(String english, String chinese, Map<String, String> exact, List<Template> templates) {
        Matcher slot = SLOT.matcher(english);
        if (!slot.find()) {
            exact.put(english, chinese);
            return;
        }
        // Each slot's first appearance captures a number; a repeat must be the same number.
        StringBuilder regex = new StringBuilder();
        List<Integer> slots = new ArrayList<>();
        int from = 0;
        slot.reset();
        while (slot.find()) {
            regex.append(Pattern.quote(english.substring(from, slot.start())));
            int index = Integer.parseInt(slot.group(1));
            int seen = slots.indexOf(index);
            if (seen < 0) {
                slots.add(index);
                regex.append(NUMBER);
            } else {
                regex.append("\\").append(seen + 1);
            }
            from = slot.end();
        }
        regex.append(Pattern.quote(english.substring(from)));
        templates.add(new Template(english, Pattern.compile(regex.toString()), List.copyOf(slots), chinese));
    }
}
