package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet image flash} onto a regular file standing in for a card: write + read-back, a
 * corrupting write caught by the read-back, and each refusal.
 */
class ImageFlashCommandTest {

    private static final int IMAGE_SIZE = 9 * 1024 * 1024 + 123; // several chunks and a ragged end

    @TempDir
    Path dir;

    Path image;
    Path card;
    byte[] imageBytes;
    byte[] cardBefore;

    @BeforeEach
    void files() throws IOException {
        imageBytes = new byte[IMAGE_SIZE];
        new Random(7).nextBytes(imageBytes);
        image = dir.resolve("lab.img");
        Files.write(image, imageBytes);
        cardBefore = new byte[16 * 1024 * 1024];
        Arrays.fill(cardBefore, (byte) 0xA5);
        card = dir.resolve("card.bin");
        Files.write(card, cardBefore);
    }

    private ImageEnvironment env(List<MountEntry> mounts) {
        return ImageEnvironment.system(FixedLabNames.firstCatalogue()).withMounts(() -> mounts);
    }

    private static final List<MountEntry> NOTHING_RELEVANT = List.of(
            new MountEntry("/dev/nonexistent-root", "/", "254:0"),
            new MountEntry("proc", "/proc", "0:22"));

    @Test
    void writesReadsBackAndKeepsTheRestOfTheCard() throws IOException {
        CommandRun run = CommandRun.image(env(NOTHING_RELEVANT), "flash", image.toString(), "--device", card.toString());
        assertEquals(0, run.exitCode(), run.toString());
        byte[] after = Files.readAllBytes(card);
        assertEquals(cardBefore.length, after.length, "the card must keep its size");
        assertArrayEquals(imageBytes, Arrays.copyOf(after, IMAGE_SIZE));
        assertEquals((byte) 0xA5, after[IMAGE_SIZE]);
        assertTrue(run.out().contains("verified, SHA-256 " + Sha256.hex(imageBytes)), run.out());
        assertTrue(run.err().contains("\rwriting") && run.err().contains("100%"), "progress bar on stderr: " + run.err());
        assertTrue(run.err().contains("\rverifying"), run.err());
    }

    @Test
    void aCorruptedWriteIsCaughtByTheReadBack() throws IOException {
        // A card that silently flips one bit in the second chunk.
        WriteHook flipOneBit = target -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                ByteBuffer copy = ByteBuffer.allocate(src.remaining());
                copy.put(src.duplicate()).flip();
                long at = ImageFlasher.CHUNK + 1000;
                if (at >= written && at < written + copy.remaining()) {
                    int i = (int) (at - written);
                    copy.put(i, (byte) (copy.get(i) ^ 0x10));
                }
                int n = target.write(copy);
                src.position(src.position() + n);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return target.isOpen();
            }

            @Override
            public void close() throws IOException {
                target.close();
            }
        };
        CommandRun run = CommandRun.image(env(NOTHING_RELEVANT).withWriteHook(flipOneBit),
                "flash", image.toString(), "--device", card.toString());
        assertEquals(ImageException.VERIFY_FAILED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("read-back mismatch") && run.err().contains(Sha256.hex(imageBytes)), run.err());
        assertTrue(run.err().contains("do not use it"), run.err());
    }

    @Test
    void refusesAMountedTarget() throws IOException {
        List<MountEntry> mounts = List.of(new MountEntry("/dev/root", "/", "179:2"),
                new MountEntry(card.toString(), "/media/teacher/bootfs", null));
        CommandRun run = CommandRun.image(env(mounts), "flash", image.toString(), "--device", card.toString());
        assertEquals(ImageException.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is in use") && run.err().contains("/media/teacher/bootfs")
                && run.err().contains("--force"), run.err());
        assertArrayEquals(cardBefore, Files.readAllBytes(card), "a refusal writes nothing");
    }

    @Test
    void refusesTheDeviceHoldingTheRunningSystem() throws IOException {
        // The mount source is a symlink to the card: resolved before comparing.
        Path link = dir.resolve("disk-by-id-link");
        Files.createSymbolicLink(link, card);
        List<MountEntry> mounts = List.of(new MountEntry(link.toString(), "/", null));
        CommandRun run = CommandRun.image(env(mounts), "flash", image.toString(), "--device", card.toString());
        assertEquals(ImageException.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("holds the running system") && run.err().contains("--force"), run.err());
        assertArrayEquals(cardBefore, Files.readAllBytes(card));
    }

    @Test
    void forceWritesAMountedTargetWithAWarning() throws IOException {
        List<MountEntry> mounts = List.of(new MountEntry(card.toString(), "/mnt/card", null));
        CommandRun run = CommandRun.image(env(mounts), "flash", image.toString(), "--device", card.toString(), "--force");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("warning: --force"), run.err());
        assertArrayEquals(imageBytes, Arrays.copyOf(Files.readAllBytes(card), IMAGE_SIZE));
    }

    @Test
    void refusesATargetSmallerThanTheImageEvenWithForce() throws IOException {
        Path small = dir.resolve("small-card.bin");
        Files.write(small, new byte[IMAGE_SIZE - 1]);
        CommandRun run = CommandRun.image(env(NOTHING_RELEVANT), "flash", image.toString(), "--device", small.toString(), "--force");
        assertEquals(ImageException.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("holds only " + (IMAGE_SIZE - 1) + " bytes"), run.err());
        assertArrayEquals(new byte[IMAGE_SIZE - 1], Files.readAllBytes(small));
    }

    @Test
    void dryRunChecksAndWritesNothing() throws IOException {
        CommandRun run = CommandRun.image(env(NOTHING_RELEVANT), "flash", image.toString(), "--device", card.toString(), "--dry-run");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("dry run: would write") && run.out().contains(IMAGE_SIZE + " bytes"), run.out());
        assertArrayEquals(cardBefore, Files.readAllBytes(card));

        // A dry run still reports what a real run would refuse.
        List<MountEntry> mounted = List.of(new MountEntry(card.toString(), "/mnt/card", null));
        CommandRun refused = CommandRun.image(env(mounted), "flash", image.toString(), "--device", card.toString(), "--dry-run");
        assertEquals(ImageException.REFUSED, refused.exitCode(), refused.toString());
    }

    @Test
    void missingDeviceAndSameFileAreClearErrors() {
        CommandRun missing = CommandRun.image(env(NOTHING_RELEVANT), "flash", image.toString(), "--device", dir.resolve("nope").toString());
        assertEquals(ImageException.BAD_INPUT, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("does not exist") && missing.err().contains("lsblk"), missing.err());

        CommandRun same = CommandRun.image(env(NOTHING_RELEVANT), "flash", image.toString(), "--device", image.toString());
        assertEquals(ImageException.REFUSED, same.exitCode(), same.toString());
        assertTrue(same.err().contains("same file"), same.err());
    }
}
