package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab image's board finds the header's GPIO chip by its label unless --gpiochip names one. */
class ImageBuildGpioChipTest {

    @TempDir
    Path dir;

    private final ImageEnvironment env = ImageEnvironment.system(FixedLabNames.firstCatalogue());

    private String buildProperties(String... extra) throws IOException {
        Path boot = Files.createDirectories(dir.resolve("bootfs" + extra.length));
        Files.writeString(boot.resolve("config.txt"), TestDisks.STOCK_CONFIG);
        Path jar = TestDisks.fakeJar(dir, 1000);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("build", "--lab", "handshake",
                "--chip", "w5500", "--jar", jar.toString(), "--overlay", boot.toString()));
        args.addAll(java.util.List.of(extra));
        CommandRun build = CommandRun.image(env, args.toArray(String[]::new));
        assertEquals(0, build.exitCode(), build.toString());
        return Files.readString(boot.resolve("spinet/spinet.properties"));
    }

    @Test
    void withoutTheOptionTheBoardFindsTheHeaderChipByLabel() throws IOException {
        String properties = buildProperties();
        assertTrue(properties.contains("\ngpiochip=auto\n"), properties);
    }

    @Test
    void anExplicitChipNumberIsWrittenAsGiven() throws IOException {
        String properties = buildProperties("--gpiochip", "4");
        assertTrue(properties.contains("\ngpiochip=4\n"), properties);
    }
}
