package dev.spinet.image;

import de.waldheinz.fs.BlockDevice;
import de.waldheinz.fs.ReadOnlyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A fat32-lib {@link BlockDevice} over one partition of a disk image: every offset is shifted by
 * the partition start and checked against its length, so the FAT library can never write outside
 * the boot partition (a bug there would otherwise damage the root file system of the image).
 */
final class PartitionBlockDevice implements BlockDevice {

    private final FileChannel channel;
    private final long start;
    private final long length;
    private final boolean readOnly;
    private boolean closed;

    PartitionBlockDevice(FileChannel channel, BootPartition partition, boolean readOnly) {
        this.channel = channel;
        this.start = partition.offset();
        this.length = partition.length();
        this.readOnly = readOnly;
    }

    @Override
    public long getSize() {
        return length;
    }

    @Override
    public void read(long devOffset, ByteBuffer dest) throws IOException {
        checkRange(devOffset, dest.remaining());
        long at = start + devOffset;
        while (dest.hasRemaining()) {
            int n = channel.read(dest, at);
            if (n < 0) {
                // Past the end of a sparse or short file: the partition reads as zeros there.
                while (dest.hasRemaining()) {
                    dest.put((byte) 0);
                }
                return;
            }
            at += n;
        }
    }

    @Override
    public void write(long devOffset, ByteBuffer src) throws IOException {
        if (readOnly) {
            throw new ReadOnlyException();
        }
        checkRange(devOffset, src.remaining());
        long at = start + devOffset;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    private void checkRange(long devOffset, int count) {
        if (closed) {
            throw new IllegalStateException("partition device already closed");
        }
        if (devOffset < 0 || devOffset + count > length) {
            throw new IllegalArgumentException("access [" + devOffset + ", " + (devOffset + count)
                    + ") outside the partition of " + length + " bytes");
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public int getSectorSize() {
        return BootPartitionLocator.SECTOR;
    }

    @Override
    public void close() throws IOException {
        flush();
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }
}
