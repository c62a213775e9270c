package dev.spinet.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spinet image inspect IMAGE|DIR}: prints the lab manifest and checks every listed file
 * against its SHA-256 (exit 1 on any mismatch or missing file), plus that config.txt enables SPI.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a lab image's manifest and verify every file's SHA-256 (exit 1 on mismatch).")
public final class ImageInspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Lab image, or a mounted boot partition folder.")
    Path image;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        try {
            return inspect(o);
        } catch (ImageException ex) {
            o.flush();
            e.println("spinet image inspect: " + ex.getMessage());
            e.flush();
            return ex.exitCode();
        } catch (IOException ex) {
            e.println("spinet image inspect: I/O error: " + ex);
            e.flush();
            return ImageException.BAD_INPUT;
        }
    }

    private int inspect(PrintWriter o) throws IOException {
        if (!Files.exists(image)) {
            throw new ImageException(ImageException.BAD_INPUT, image + " does not exist");
        }
        try (BootVolume volume = Files.isDirectory(image)
                ? new DirectoryBootVolume(image)
                : FatImageBootVolume.open(image, true)) {
            Optional<byte[]> raw = volume.read(ImageManifest.PATH);
            if (raw.isEmpty()) {
                throw new ImageException(ImageException.VERIFY_FAILED, volume.describe() + " has no "
                        + ImageManifest.PATH + ": not built with spinet image build");
            }
            String text = new String(raw.get(), StandardCharsets.UTF_8);
            ImageManifest manifest = ImageManifest.parse(text);
            o.println(volume.describe());
            o.print(text);
            o.println();
            int bad = 0;
            for (ImageManifest.Entry f : manifest.files()) {
                Optional<byte[]> content = volume.read(f.path());
                String status;
                if (content.isEmpty()) {
                    status = "MISSING ";
                    bad++;
                } else if (!Sha256.hex(content.get()).equals(f.sha256())) {
                    status = "MISMATCH";
                    bad++;
                } else {
                    status = "OK      ";
                }
                o.println(status + "  " + f.path());
            }
            int spiLines = volume.read(LabImageWriter.CONFIG_TXT)
                    .map(b -> ConfigTxtEditor.countActiveSpiOn(new String(b, StandardCharsets.ISO_8859_1)))
                    .orElse(0);
            if (spiLines != 1) {
                o.println("MISMATCH  config.txt has " + spiLines + " all-boards '" + ConfigTxtEditor.SPI_ON + "' lines, expected 1");
                bad++;
            }
            if (bad > 0) {
                o.flush();
                throw new ImageException(ImageException.VERIFY_FAILED, bad + " of "
                        + manifest.files().size() + " checks failed");
            }
            o.println("all " + manifest.files().size() + " files verified");
            o.flush();
            return 0;
        }
    }
}
