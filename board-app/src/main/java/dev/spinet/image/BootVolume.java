package dev.spinet.image;

import java.io.IOException;
import java.util.Optional;

/**
 * The boot partition a lab image is written into: a FAT partition inside a disk image
 * ({@link FatImageBootVolume}) or a mounted boot partition ({@link DirectoryBootVolume}, for
 * {@code --overlay}). Paths use '/' and are relative to the partition root ("spinet/spinet.jar").
 */
interface BootVolume extends AutoCloseable {

    /** The file's content, or empty if it does not exist. */
    Optional<byte[]> read(String path) throws IOException;

    /** Creates or replaces the file, creating parent folders as needed. */
    void write(String path, byte[] content) throws IOException;

    /** Bytes still free for file data, for a clear "does not fit" message before writing. */
    long freeBytes() throws IOException;

    /** Files occupy whole allocation units (FAT clusters): sizes are rounded up to this. */
    long allocationUnit() throws IOException;

    /** What this volume is, for messages. */
    String describe();

    @Override
    void close() throws IOException;
}
