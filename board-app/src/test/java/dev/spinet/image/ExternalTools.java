package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent tools the image tests check against (mtools, dosfstools). A missing tool
 * skips the test with a message, except under CI=true, where it fails: CI must install them.
 */
final class ExternalTools {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalTools() {
    }

    static void require(String tool, String debianPackage) {
        if (onPath(tool)) {
            return;
        }
        String message = tool + " not found: install Debian package " + debianPackage
                + " (apt-get install -y -q " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true: " + message);
        }
        Assumptions.abort(message);
    }

    static boolean onPath(String tool) {
        return locate(tool).isPresent();
    }

    /**
     * The first executable {@code tool} in a PATH directory, else in /usr/sbin or /sbin, where
     * mkfs.fat and fsck.fat live but which a non-root PATH often lacks.
     */
    private static Optional<Path> locate(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Optional.of(Path.of(dir, tool));
            }
        }
        return Optional.empty();
    }

    static Result run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        locate(cmd.getFirst()).ifPresent(found -> cmd.set(0, found.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // mtools checks that the sector count is a multiple of the track size, which images need not be.
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        byte[][] collected = new byte[2][];
        Thread errReader = Thread.ofPlatform().start(() -> {
            try {
                collected[1] = err.readAllBytes();
            } catch (IOException e) {
                collected[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        collected[0] = out.readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        errReader.join(10_000);
        return new Result(p.exitValue(), new String(collected[0], StandardCharsets.ISO_8859_1),
                collected[1] == null ? "" : new String(collected[1], StandardCharsets.UTF_8));
    }

    /** Binary-safe stdout, for hashing files read back with mtype. */
    static byte[] runBytes(String... command) throws IOException, InterruptedException {
        return run(command).stdout().getBytes(StandardCharsets.ISO_8859_1);
    }
}
