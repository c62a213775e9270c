package dev.spinet.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code spinet image}: build a flashable lab image from a Raspberry Pi OS image, write it to a
 * card, and check one. The CLI registers it as a subcommand of {@code spinet}; construct it with
 * the lab catalogue's names ({@link #ImageCommand(LabNames)}).
 */
@Command(name = "image",
        description = "Lab images for Raspberry Pi boards: build, flash, inspect.",
        mixinStandardHelpOptions = true,
        subcommands = {ImageBuildCommand.class, ImageFlashCommand.class, ImageInspectCommand.class})
public final class ImageCommand implements Callable<Integer> {

    private final ImageEnvironment environment;

    @Spec
    CommandSpec spec;

    /** With the first catalogue's nine labs ({@link FixedLabNames#firstCatalogue()}); prefer {@link #ImageCommand(LabNames)} with the catalogue. */
    public ImageCommand() {
        this(FixedLabNames.firstCatalogue());
    }

    public ImageCommand(LabNames labNames) {
        this(ImageEnvironment.system(labNames));
    }

    public ImageCommand(ImageEnvironment environment) {
        this.environment = environment;
    }

    ImageEnvironment environment() {
        return environment;
    }

    @Override
    public Integer call() {
        // `spinet image` alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getErr());
        return ImageException.BAD_INPUT;
    }
}
