package dev.spinet.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spinet/MANIFEST.txt}: what a lab image holds and the SHA-256 of every file
 * {@code spinet image build} wrote. The file lines are in {@code sha256sum} format, so on the
 * board {@code grep '  spinet/' spinet/MANIFEST.txt | sha256sum -c -} checks them too.
 *
 * <pre>
 * # Spinet lab image manifest ...       comment lines start with '#'
 * lab: handshake                         "key: value" facts (lab, chip, spinet-version, built, ...)
 * 3b1f...64 hex...  spinet/spinet.jar    SHA-256, two spaces, path relative to the boot partition
 * </pre>
 */
public record ImageManifest(Map<String, String> facts, List<Entry> files) {

    public static final String PATH = "spinet/MANIFEST.txt";

    /** One written file. */
    public record Entry(String sha256, String path) {
    }

    private static final Pattern FILE_LINE = Pattern.compile("^([0-9a-f]{64})  (.+)$");
    private static final Pattern FACT_LINE = Pattern.compile("^([a-z0-9-]+): ?(.*)$");

    public ImageManifest {
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        files = List.copyOf(files);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Spinet lab image manifest, written by `spinet image build`.\n");
        sb.append("# Check it with `spinet image inspect IMAGE`, or on the board:\n");
        sb.append("#   cd /boot/firmware && grep '  spinet/' spinet/MANIFEST.txt | sha256sum -c -\n");
        for (Map.Entry<String, String> e : facts.entrySet()) {
            sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        sb.append("# SHA-256 of every file written (paths relative to the boot partition):\n");
        for (Entry f : files) {
            sb.append(f.sha256()).append("  ").append(f.path()).append('\n');
        }
        return sb.toString();
    }

    public static ImageManifest parse(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        List<Entry> files = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher f = FILE_LINE.matcher(line);
            if (f.matches()) {
                files.add(new Entry(f.group(1), f.group(2)));
                continue;
            }
            Matcher k = FACT_LINE.matcher(line);
            if (k.matches()) {
                facts.put(k.group(1), k.group(2));
                continue;
            }
            throw new ImageException(ImageException.VERIFY_FAILED, PATH + " line " + lineNo
                    + " is neither 'key: value' nor 'SHA256  path': " + line);
        }
        if (files.isEmpty()) {
            throw new ImageException(ImageException.VERIFY_FAILED, PATH + " lists no files");
        }
        return new ImageManifest(facts, files);
    }
}
