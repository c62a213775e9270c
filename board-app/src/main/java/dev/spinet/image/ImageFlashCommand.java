package dev.spinet.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code spinet image flash IMAGE --device DEV}: write a lab image to a card and verify it by
 * reading it back. Exit 0 when verified, 1 on a read-back mismatch, 2 on bad input, 3 when a
 * safety check refused.
 */
@Command(name = "flash", mixinStandardHelpOptions = true,
        description = {"Write a lab image to a card (progress on stderr), fsync, read it back and compare SHA-256.",
            "Refuses a mounted device or the one holding the running system unless --force,",
            "and always a device smaller than the image."},
        footer = {"", "Exit status: 0 verified, 1 read-back mismatch, 2 bad input, 3 refused."})
public final class ImageFlashCommand implements Callable<Integer> {

    @ParentCommand
    ImageCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Lab image from spinet image build.")
    Path image;

    @Option(names = "--device", required = true, paramLabel = "DEV", description = "Card to write: /dev/sdX, /dev/mmcblkN (or a regular file).")
    Path device;

    @Option(names = "--force", description = "Write even if the device is mounted or holds the running system.")
    boolean force;

    @Option(names = "--dry-run", description = "Run the checks and say what would be written; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        ImageEnvironment env = parent.environment();
        try {
            new ImageFlasher(env.mounts(), env.sysClassBlock(), env.writeHook(), env.nanoTime())
                    .flash(image, device, force, dryRun, o, e);
            return 0;
        } catch (ImageException ex) {
            e.println("spinet image flash: " + ex.getMessage());
            e.flush();
            return ex.exitCode();
        } catch (IOException ex) {
            e.println("spinet image flash: I/O error on " + device + ": " + ex
                    + (ex.getMessage() != null && ex.getMessage().contains("ermission") ? " (run with sudo, or join group disk)" : ""));
            e.flush();
            return ImageException.BAD_INPUT;
        }
    }
}
