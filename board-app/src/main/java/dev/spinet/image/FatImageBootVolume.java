package dev.spinet.image;

import de.waldheinz.fs.FsDirectory;
import de.waldheinz.fs.FsDirectoryEntry;
import de.waldheinz.fs.FsFile;
import de.waldheinz.fs.fat.FatFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The FAT boot partition inside a disk image, read and written with fat32-lib: no mount, no loop
 * device, no root. Changes reach the image file on {@link #close()}.
 */
final class FatImageBootVolume implements BootVolume {

    private final Path image;
    private final FileChannel channel;
    private final BootPartition partition;
    private final FatFileSystem fs;
    private final boolean readOnly;

    private FatImageBootVolume(Path image, FileChannel channel, BootPartition partition,
            FatFileSystem fs, boolean readOnly) {
        this.image = image;
        this.channel = channel;
        this.partition = partition;
        this.fs = fs;
        this.readOnly = readOnly;
    }

    static FatImageBootVolume open(Path image, boolean readOnly) throws IOException {
        FileChannel channel = readOnly
                ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            BootPartition partition = BootPartitionLocator.locate(channel, image.toString());
            FatFileSystem fs;
            try {
                fs = FatFileSystem.read(new PartitionBlockDevice(channel, partition, readOnly), readOnly);
            } catch (IOException | RuntimeException e) {
                throw new ImageException(ImageException.BAD_INPUT, image + ": cannot read the FAT file"
                        + " system in " + partition.description() + ": " + e.getMessage(), e);
            }
            return new FatImageBootVolume(image, channel, partition, fs, readOnly);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    BootPartition partition() {
        return partition;
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        FsDirectory dir = fs.getRoot();
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            FsDirectoryEntry e = dir.getEntry(parts[i]);
            if (e == null || !e.isDirectory()) {
                return Optional.empty();
            }
            dir = e.getDirectory();
        }
        FsDirectoryEntry e = dir.getEntry(parts[parts.length - 1]);
        if (e == null || !e.isFile()) {
            return Optional.empty();
        }
        FsFile file = e.getFile();
        long length = file.getLength();
        if (length > Integer.MAX_VALUE - 16) {
            throw new ImageException(ImageException.BAD_INPUT, path + " is too large to read (" + length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        file.read(0, buffer);
        return Optional.of(buffer.array());
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        if (readOnly) {
            throw new IllegalStateException("volume opened read-only");
        }
        FsDirectory dir = fs.getRoot();
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            FsDirectoryEntry e = dir.getEntry(parts[i]);
            if (e == null) {
                e = dir.addDirectory(parts[i]);
            } else if (!e.isDirectory()) {
                throw new ImageException(ImageException.BAD_INPUT, image + ": " + parts[i]
                        + " exists on the boot partition but is a file, not a folder; remove it first");
            }
            dir = e.getDirectory();
        }
        String name = parts[parts.length - 1];
        FsDirectoryEntry e = dir.getEntry(name);
        if (e != null && e.isDirectory()) {
            throw new ImageException(ImageException.BAD_INPUT, image + ": " + path
                    + " exists on the boot partition as a folder; remove it first");
        }
        if (e == null) {
            e = dir.addFile(name);
        }
        FsFile file = e.getFile();
        // Truncate first: a shorter new content must not leave the old tail behind.
        file.setLength(0);
        file.write(0, ByteBuffer.wrap(content));
        file.flush();
        e.setLastModified(System.currentTimeMillis());
        dir.flush();
    }

    @Override
    public long freeBytes() throws IOException {
        // fat32-lib 0.6.5 answers -1 for free space, so count free FAT entries ourselves. Called
        // before this volume writes anything, so the on-disk FAT is current.
        FatGeometry g = FatGeometry.read(channel, partition);
        return g.countFreeClusters(channel, partition) * g.clusterBytes();
    }

    @Override
    public long allocationUnit() throws IOException {
        return FatGeometry.read(channel, partition).clusterBytes();
    }

    @Override
    public String describe() {
        return image + " (" + partition.description() + ", " + fs.getFatType() + ")";
    }

    @Override
    public void close() throws IOException {
        try {
            if (!readOnly) {
                fs.flush();
            }
            fs.close();
            if (!readOnly) {
                channel.force(true);
            }
        } finally {
            channel.close();
        }
    }
}
