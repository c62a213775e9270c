package dev.spinet.image;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * What {@code spinet image} takes from the world, in one place so tests can replace it: the lab
 * names, the mount table, sysfs, the clock, the jar this command runs from, and a hook on the
 * channel that writes the card.
 *
 * @param labNames       valid {@code --lab} values (the CLI passes the lab catalogue)
 * @param mounts         what is mounted (refusal checks of {@code flash})
 * @param sysClassBlock  normally /sys/class/block
 * @param clock          build time recorded in the manifest
 * @param nanoTime       for progress rates
 * @param codeSource     the jar (or classes folder) this code runs from; null if unknown
 * @param writeHook      wraps the card's channel ({@link WriteHook#NONE} outside tests)
 */
public record ImageEnvironment(LabNames labNames, MountTable mounts, Path sysClassBlock, Clock clock,
        LongSupplier nanoTime, Path codeSource, WriteHook writeHook) {

    /** The real machine, with the given lab names. */
    public static ImageEnvironment system(LabNames labNames) {
        return new ImageEnvironment(labNames, ProcMountTable.system(), Path.of("/sys/class/block"),
                Clock.systemUTC(), System::nanoTime, RunningJar.codeSource(), WriteHook.NONE);
    }

    public ImageEnvironment withLabNames(LabNames names) {
        return new ImageEnvironment(names, mounts, sysClassBlock, clock, nanoTime, codeSource, writeHook);
    }

    public ImageEnvironment withMounts(MountTable table) {
        return new ImageEnvironment(labNames, table, sysClassBlock, clock, nanoTime, codeSource, writeHook);
    }

    public ImageEnvironment withWriteHook(WriteHook hook) {
        return new ImageEnvironment(labNames, mounts, sysClassBlock, clock, nanoTime, codeSource, hook);
    }

    public ImageEnvironment withCodeSource(Path source) {
        return new ImageEnvironment(labNames, mounts, sysClassBlock, clock, nanoTime, source, writeHook);
    }

    public ImageEnvironment withClock(Clock c) {
        return new ImageEnvironment(labNames, mounts, sysClassBlock, c, nanoTime, codeSource, writeHook);
    }
}
