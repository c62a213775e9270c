package dev.spinet.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps what the sources and docs say about the repository true: a cited document exists in this
 * repository (not on one developer's machine), a cited section is a heading of that document, code
 * speaks of the protocol and not of how the work was organised, section separators have one style,
 * and no two main classes share a name. Each rule names the file and line that breaks it.
 */
class RepositoryReferencesTest {

    private static final Path ROOT = findRoot();

    /** A Markdown file name, optionally with a path: {@code docs/drivers.md}, {@code spi-cost.md}. */
    private static final Pattern MARKDOWN_FILE = Pattern.compile("(?<![\\w/.$-])((?:[\\w.-]+/)*[\\w.-]+\\.md)\\b");

    /** A cited section: {@code design.md "Memory"} or {@code README.md, "How the stack runs"}. */
    private static final Pattern CITED_SECTION = Pattern.compile("([\\w./-]+\\.md),? \"([^\"]+)\"");

    /** Words about trackers, teams and reviews: code explains the protocol, not the project's bookkeeping. */
    private static final Pattern BOOKKEEPING = Pattern.compile(
            "\\bissue\\s+#?\\d+|\\bissue's\\b|\\b(?:the|this|that|an?)\\s+issue\\b|\\bteams?\\b|\\btickets?\\b"
                    + "|\\breviewers?\\b|\\bin review\\b|\\bacceptance (?:test|command|point)s?\\b",
            Pattern.CASE_INSENSITIVE);

    /** Any comment line that is a separator rule; the one style is {@code // ---- what follows ----}. */
    private static final Pattern SEPARATOR = Pattern.compile("^\\s*//\\s*[-=*]{3,}.*");
    private static final Pattern SEPARATOR_STYLE = Pattern.compile("^\\s*// ---- \\S.*\\S ----$");

    @Test
    void everyCitedMarkdownFileExistsInTheRepository() throws IOException {
        List<String> dangling = new ArrayList<>();
        for (Path file : textFiles()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean java = file.getFileName().toString().endsWith(".java");
            for (int i = 0; i < lines.size(); i++) {
                if (java && !isComment(lines.get(i))) {
                    continue; // in Java, a citation is prose; a path in code is what the code writes
                }
                Matcher m = MARKDOWN_FILE.matcher(lines.get(i));
                while (m.find()) {
                    String cited = m.group(1);
                    if (isGeneratedOutput(cited, lines.get(i)) || resolve(file, cited) != null) {
                        continue;
                    }
                    dangling.add(where(file, i) + " cites " + cited);
                }
            }
        }
        assertTrue(dangling.isEmpty(), () -> "documents cited but not in the repository:\n" + String.join("\n", dangling));
    }

    @Test
    void everyCitedSectionIsAHeadingOfItsDocument() throws IOException {
        List<String> dangling = new ArrayList<>();
        for (Path file : textFiles()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = CITED_SECTION.matcher(lines.get(i));
                while (m.find()) {
                    Path doc = resolve(file, m.group(1));
                    if (doc != null && !hasHeading(doc, m.group(2))) {
                        dangling.add(where(file, i) + " cites section \"" + m.group(2) + "\" of " + m.group(1));
                    }
                }
            }
        }
        assertTrue(dangling.isEmpty(), () -> "sections cited but not found:\n" + String.join("\n", dangling));
    }

    @Test
    void codeSpeaksOfTheProtocolNotOfTheProjectsBookkeeping() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            if (file.getFileName().toString().equals("RepositoryReferencesTest.java")) {
                continue; // the words are this rule's own pattern
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = BOOKKEEPING.matcher(lines.get(i));
                if (m.find()) {
                    found.add(where(file, i) + ": \"" + m.group() + "\"");
                }
            }
        }
        assertTrue(found.isEmpty(), () -> "say what the code does and which RFC or data sheet asks for it:\n" + String.join("\n", found));
    }

    @Test
    void sectionSeparatorsHaveOneStyle() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (SEPARATOR.matcher(line).matches() && !SEPARATOR_STYLE.matcher(line).matches()) {
                    found.add(where(file, i) + ": " + line.strip());
                }
            }
        }
        assertTrue(found.isEmpty(), () -> "write separators as '// ---- what follows ----':\n" + String.join("\n", found));
    }

    @Test
    void noTwoMainClassesShareASimpleName() throws IOException {
        Map<String, List<String>> byName = new HashMap<>();
        for (Path file : javaFiles()) {
            String relative = ROOT.relativize(file).toString();
            if (relative.contains("/src/main/")) {
                byName.computeIfAbsent(file.getFileName().toString(), k -> new ArrayList<>()).add(relative);
            }
        }
        List<String> clashes = byName.values().stream().filter(l -> l.size() > 1).map(Object::toString).sorted().toList();
        assertEquals(List.of(), clashes, "one class per concept: merge or rename");
    }

    // ---- the repository ----

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the Spinet repository (no mvnw and docs/ above " + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }

    /** Sources, scripts and docs: what a reader follows a citation from. */
    private static List<Path> textFiles() throws IOException {
        List<Path> files = new ArrayList<>(javaFiles());
        try (Stream<Path> all = walk()) {
            all.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".md") || name.endsWith(".sh") || name.endsWith(".properties")
                        || name.endsWith(".txt") || p.startsWith(ROOT.resolve("scripts")) || p.equals(ROOT.resolve(".ci/run"));
            }).forEach(files::add);
        }
        return files;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> all = walk()) {
            return all.filter(p -> p.getFileName().toString().endsWith(".java")).toList();
        }
    }

    private static Stream<Path> walk() throws IOException {
        return Files.walk(ROOT)
                .filter(Files::isRegularFile)
                .filter(p -> {
                    String relative = ROOT.relativize(p).toString().replace('\\', '/');
                    return !relative.startsWith(".git/") && !relative.contains("/target/") && !relative.startsWith("target/")
                            && !relative.contains("node_modules/") && !relative.startsWith(".mvn/wrapper/")
                            && !relative.startsWith("bench/results/");
                });
    }

    /** The cited file relative to the citing file, the repository root or docs/; null when none exists. */
    private static Path resolve(Path citing, String cited) {
        for (Path base : new Path[] {citing.getParent(), ROOT, ROOT.resolve("docs")}) {
            Path candidate = base.resolve(cited).normalize();
            if (candidate.startsWith(ROOT) && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * A report a run writes: under {@code target/}, under {@code bench/results/}, or in a directory
     * the text names by a placeholder in capitals ({@code OUT/summary.md}).
     */
    private static boolean isGeneratedOutput(String cited, String line) {
        return cited.startsWith("target/") || cited.contains("/target/") || cited.startsWith("bench/results/")
                || cited.matches("(?:[A-Z_]+/).*") || line.contains("$" + "OUT/" + cited);
    }

    private static boolean isComment(String line) {
        String t = line.strip();
        return t.startsWith("*") || t.startsWith("//") || t.startsWith("/*") || line.contains(" // ");
    }

    private static boolean hasHeading(Path doc, String section) throws IOException {
        String wanted = section.toLowerCase(Locale.ROOT);
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") && line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String where(Path file, int index) {
        return ROOT.relativize(file) + ":" + (index + 1);
    }
}
