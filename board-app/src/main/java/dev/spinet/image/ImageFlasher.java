package dev.spinet.image;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Writes a disk image to a card: safety checks, a progress bar, fsync, then a read-back of the
 * whole written range compared by SHA-256 with the image.
 *
 * <p>Refusals: a target that is (or has a partition that is) mounted or used as swap, or that
 * holds the running system (backs /), unless {@code force}; a target smaller than the image,
 * always. The read-back of a block device uses O_DIRECT where the kernel allows it, so it reads
 * the card and not the page cache the write just filled.
 */
final class ImageFlasher {

    static final int CHUNK = 4 << 20;
    private static final int DIRECT_ALIGN = 4096;

    private final MountTable mounts;
    private final Path sysClassBlock;
    private final WriteHook hook;
    private final LongSupplier nanoTime;

    ImageFlasher(MountTable mounts, Path sysClassBlock, WriteHook hook, LongSupplier nanoTime) {
        this.mounts = mounts;
        this.sysClassBlock = sysClassBlock;
        this.hook = hook;
        this.nanoTime = nanoTime;
    }

    /** Returns the image's SHA-256 when written and verified; throws {@link ImageException} otherwise. */
    String flash(Path image, Path device, boolean force, boolean dryRun, PrintWriter out, PrintWriter err)
            throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new ImageException(ImageException.BAD_INPUT, "image " + image + " is not a file");
        }
        long imageSize = Files.size(image);
        if (imageSize == 0) {
            throw new ImageException(ImageException.BAD_INPUT, "image " + image + " is empty");
        }
        FlashTarget target = FlashTarget.of(device, sysClassBlock);
        if (Files.isSameFile(image, target.path())) {
            throw new ImageException(ImageException.REFUSED, "the image and the target are the same file: " + image);
        }
        long targetSize = target.size();
        if (imageSize > targetSize) {
            throw new ImageException(ImageException.REFUSED, "image " + image + " is " + imageSize
                    + " bytes but " + target.describe() + " holds only " + targetSize
                    + " bytes: use a larger card (--force does not change this)");
        }
        checkNotInUse(target, force, err);

        if (dryRun) {
            out.println("dry run: would write " + image + " (" + imageSize + " bytes) to " + target.describe()
                    + " (" + targetSize + " bytes), fsync, then read " + imageSize
                    + " bytes back and compare SHA-256. Nothing was written.");
            out.flush();
            return null;
        }

        String written = write(image, imageSize, target, err);
        String readBack = readBack(target, imageSize, err);
        if (!written.equals(readBack)) {
            throw new ImageException(ImageException.VERIFY_FAILED, "read-back mismatch on " + target.describe()
                    + ": wrote SHA-256 " + written + " but read back " + readBack
                    + ". The card is faulty, counterfeit (smaller than it claims) or was removed: do not use it.");
        }
        out.println("wrote " + imageSize + " bytes to " + target.describe() + "; read back and verified, SHA-256 " + written);
        out.flush();
        return written;
    }

    private void checkNotInUse(FlashTarget target, boolean force, PrintWriter err) throws IOException {
        List<MountEntry> users = target.usersAmong(mounts.entries());
        if (users.isEmpty()) {
            return;
        }
        MountEntry root = null;
        for (MountEntry m : users) {
            if (m.mountPoint().equals("/")) {
                root = m;
            }
        }
        // /proc/mounts and mountinfo list the same mount twice: name each once.
        java.util.Set<String> places = new java.util.LinkedHashSet<>();
        for (MountEntry m : users) {
            places.add(m.source() + " on " + m.mountPoint());
        }
        String where = String.join(", ", places);
        String problem = root != null
                ? target.describe() + " holds the running system (/ is mounted from " + root.source()
                        + "); writing it would destroy this computer's own disk"
                : target.describe() + " is in use: " + where + ". Unmount it first (udisksctl unmount -b DEVICE or umount)";
        if (!force) {
            throw new ImageException(ImageException.REFUSED, problem + ". Refusing; pass --force to write anyway.");
        }
        err.println("warning: --force: " + problem);
        err.flush();
    }

    private String write(Path image, long imageSize, FlashTarget target, PrintWriter err) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        ProgressBar bar = new ProgressBar(err, "writing  ", imageSize, nanoTime);
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        // No CREATE, no TRUNCATE: a card keeps its size, and so does a file standing in for one.
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target.path(), StandardOpenOption.WRITE)) {
            WritableByteChannel sink = hook.wrap(out);
            long done = 0;
            while (done < imageSize) {
                buffer.clear();
                int n = in.read(buffer, done);
                if (n <= 0) {
                    throw new ImageException(ImageException.BAD_INPUT, "image " + image + " shrank while being written");
                }
                buffer.flip();
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    sink.write(buffer);
                }
                done += n;
                bar.update(done);
            }
            bar.finish(done);
            err.print("syncing ... ");
            err.flush();
            out.force(true);
            err.println("done");
            err.flush();
        }
        return Sha256.hex(digest);
    }

    private String readBack(FlashTarget target, long length, PrintWriter err) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        ProgressBar bar = new ProgressBar(err, "verifying", length, nanoTime);
        FileChannel in = openForReadBack(target, err);
        boolean direct = in != null;
        if (in == null) {
            in = FileChannel.open(target.path(), StandardOpenOption.READ);
        }
        try (FileChannel ch = in) {
            ByteBuffer buffer = direct
                    ? ByteBuffer.allocateDirect(CHUNK + DIRECT_ALIGN).alignedSlice(DIRECT_ALIGN)
                    : ByteBuffer.allocateDirect(CHUNK);
            long done = 0;
            while (done < length) {
                buffer.clear();
                int n = ch.read(buffer, done);
                if (n <= 0) {
                    break; // the target ended early: the digest will not match
                }
                int use = (int) Math.min(n, length - done);
                buffer.flip().limit(use);
                digest.update(buffer);
                done += use;
                bar.update(done);
            }
            bar.finish(done);
        }
        return Sha256.hex(digest);
    }

    /** O_DIRECT for a block device (bypasses the page cache); null to fall back to a buffered read. */
    private static FileChannel openForReadBack(FlashTarget target, PrintWriter err) {
        if (!target.isBlockDevice()) {
            return null;
        }
        try {
            return FileChannel.open(target.path(), StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            err.println("note: cannot open " + target.path() + " with O_DIRECT (" + e.getMessage()
                    + "); the read-back may come from the page cache");
            return null;
        }
    }
}
