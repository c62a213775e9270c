package dev.spinet.wire;

/**
 * Big-endian (network byte order) field access shared by the flyweight views, plus the one
 * range check every {@code wrap} makes before trusting its arguments. Package-private: views
 * expose typed accessors, not raw offsets.
 */
final class WireBytes {

    private WireBytes() {
    }

    static int u8(byte[] buffer, int index) {
        return buffer[index] & 0xFF;
    }

    static int u16(byte[] buffer, int index) {
        return ((buffer[index] & 0xFF) << 8) | (buffer[index + 1] & 0xFF);
    }

    static int i32(byte[] buffer, int index) {
        return ((buffer[index] & 0xFF) << 24)
                | ((buffer[index + 1] & 0xFF) << 16)
                | ((buffer[index + 2] & 0xFF) << 8)
                | (buffer[index + 3] & 0xFF);
    }

    static void put8(byte[] buffer, int index, int value) {
        buffer[index] = (byte) value;
    }

    static void put16(byte[] buffer, int index, int value) {
        buffer[index] = (byte) (value >>> 8);
        buffer[index + 1] = (byte) value;
    }

    static void put32(byte[] buffer, int index, int value) {
        buffer[index] = (byte) (value >>> 24);
        buffer[index + 1] = (byte) (value >>> 16);
        buffer[index + 2] = (byte) (value >>> 8);
        buffer[index + 3] = (byte) value;
    }

    /**
     * Rejects a range that does not lie inside the array. That is a caller's bug (a driver
     * reporting more bytes than it gave), not a malformed packet, so it throws instead of
     * returning a {@link WireError}.
     */
    static void checkRange(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length
                    + " does not lie inside a buffer of " + buffer.length
                    + " bytes; pass the offset and the number of valid bytes actually received");
        }
    }

    /** Same as {@link #checkRange} for writers that need {@code length} bytes at {@code offset}. */
    static void checkWritable(byte[] buffer, int offset, int length) {
        if (offset < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("writing " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + buffer.length + " bytes; use a larger frame buffer");
        }
    }
}
