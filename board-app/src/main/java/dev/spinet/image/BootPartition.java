package dev.spinet.image;

/**
 * Where the FAT boot partition lies inside a disk image.
 *
 * @param offset byte offset of the partition's first sector in the image
 * @param length partition length in bytes
 * @param description how it was found, for messages ("MBR partition 1, type 0x0C")
 */
public record BootPartition(long offset, long length, String description) {

    public BootPartition {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("partition offset must be >= 0 and length > 0, got "
                    + offset + " / " + length);
        }
    }
}
