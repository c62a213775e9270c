package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A board started exactly as a lab image configures it, on a desktop: {@code spinet image build
 * --overlay} writes the boot partition into a folder; {@link #install} does what the image's
 * provision.sh does with it (copies spinet.properties, roster.csv and control.keys into
 * {@code ROOT/opt/spinet}); {@link #command} is the ExecStart of the image's spinet.service with
 * systemd's specifiers filled in ({@code %S}: the state directory's parent, {@code %d}: the
 * credentials directory) and every absolute path moved under ROOT. The one option added is the
 * HAL: the image's chip (w5500) becomes the same driver on the W5500 emulator, bridged to a TAP
 * ({@code --hal sim-w5500 --tap NAME}), since this machine has no SPI controller.
 */
final class ImagedBoard {

    private final Path boot;
    private final Path root;

    private ImagedBoard(Path boot, Path root) {
        this.boot = boot;
        this.root = root;
    }

    /** Runs {@code spinet image build --chip w5500 --overlay DIR/boot ARGS} in process; fails the test unless it succeeds. */
    static ImagedBoard build(Path dir, String... args) throws IOException {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Path jar = dir.resolve("spinet.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {'P', 'K', 3, 4}); // the board runs this JVM's class path, not a jar
        }
        List<String> all = new ArrayList<>(List.of("image", "build", "--chip", "w5500", "--jar", jar.toString(), "--overlay", boot.toString()));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = SpinetMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(all.toArray(new String[0]));
        assertEquals(0, status, () -> "image build failed:\n" + out + err);
        return new ImagedBoard(boot, dir.resolve("root"));
    }

    /** What provision.sh installs, under DIR/root instead of /. */
    ImagedBoard install() throws IOException {
        return installAt(root);
    }

    /**
     * What provision.sh installs, under {@code newRoot} instead of /: one more board flashed with
     * the same image (each board has its own state directory).
     */
    ImagedBoard installAt(Path newRoot) throws IOException {
        return new ImagedBoard(boot, newRoot).installHere();
    }

    private ImagedBoard installHere() throws IOException {
        Path opt = Files.createDirectories(root.resolve("opt/spinet"));
        for (String name : List.of("spinet.properties", "roster.csv", "control.keys")) {
            Path file = boot.resolve("spinet").resolve(name);
            if (Files.exists(file)) {
                // Absolute paths in the file name the board's file system: put them under ROOT.
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Files.writeString(opt.resolve(name), relocate(text), StandardCharsets.UTF_8);
            }
        }
        Files.createDirectories(root.resolve("var/lib"));
        Path credentials = Files.createDirectories(root.resolve("run/credentials/spinet.service"));
        if (Files.exists(opt.resolve("control.keys"))) {
            Files.copy(opt.resolve("control.keys"), credentials.resolve("control.keys")); // LoadCredential=
        }
        return this;
    }

    private String relocate(String text) {
        return text.replace("=/opt/spinet/", "=" + root.resolve("opt/spinet") + "/")
                .replace("=/boot/firmware/", "=" + boot + "/");
    }

    /** The image's spinet.properties, as the board reads it. */
    String properties() throws IOException {
        return Files.readString(root.resolve("opt/spinet/spinet.properties"));
    }

    Path boot() {
        return boot;
    }

    Path root() {
        return root;
    }

    /**
     * The arguments of {@code spinet} in the unit's ExecStart (after {@code -jar .../spinet.jar}),
     * specifiers and paths resolved, then {@code --hal sim-w5500 --tap TAP} and {@code extra}.
     */
    String[] command(String tap, String... extra) throws IOException {
        String unit = Files.readString(boot.resolve("spinet/spinet.service"));
        String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        String[] words = execStart.substring("ExecStart=".length()).split(" ");
        int jar = Arrays.asList(words).indexOf("-jar");
        assertTrue(jar > 0 && words[jar + 1].equals("/opt/spinet/spinet.jar"), execStart);
        List<String> args = new ArrayList<>();
        for (int i = jar + 2; i < words.length; i++) {
            assertTrue(!words[i].contains("%") || words[i].startsWith("%S/") || words[i].startsWith("%d/"),
                    "a systemd specifier ImagedBoard does not fill in: " + words[i]);
            args.add(words[i].replace("%S/", root.resolve("var/lib") + "/")
                    .replace("%d/", root.resolve("run/credentials/spinet.service") + "/")
                    .replace("/opt/spinet/", root.resolve("opt/spinet") + "/"));
        }
        args.addAll(List.of("--hal", "sim-w5500", "--tap", tap));
        args.addAll(Arrays.asList(extra));
        return args.toArray(new String[0]);
    }
}
