package dev.spinet.harness.net;

/**
 * The bit rate of a {@link VirtualWire} and whether its stations share the medium (half duplex:
 * one frame on the wire at a time, both directions together) or each transmit on their own pair
 * (full duplex: one frame at a time per sender).
 *
 * <p>A frame occupies the wire for its bytes padded to 60, plus the 4-byte FCS, the 8-byte
 * preamble and start-of-frame delimiter and the 12-byte (96 bit times) inter-frame gap (IEEE
 * 802.3 clauses 3.1.1 and 4.4.2): a 1514-byte frame takes 1538 byte times, 1.2304 ms at
 * 10 Mbit/s. Collisions and back-off are not modelled: on a half-duplex wire frames take turns
 * in the order they were handed over.
 *
 * @param bitsPerSecond line rate, at least 1000
 * @param halfDuplex true when both directions share one medium
 */
public record LinkRate(long bitsPerSecond, boolean halfDuplex) {

    /** The ENC28J60's 10BASE-T: it does not auto-negotiate, so a switch port falls back to half duplex. */
    public static final LinkRate TEN_BASE_T_HALF = new LinkRate(10_000_000L, true);
    /** The W5500's PHY auto-negotiates 100BASE-TX full duplex with any current switch. */
    public static final LinkRate HUNDRED_BASE_TX_FULL = new LinkRate(100_000_000L, false);

    /** Bytes on the wire besides the frame: FCS 4, preamble and SFD 8, inter-frame gap 12. */
    public static final int FRAMING_BYTES = 4 + 8 + 12;
    /** A frame without FCS is padded to this many bytes. */
    public static final int MIN_FRAME_BYTES = 60;

    public LinkRate {
        if (bitsPerSecond < 1000) {
            throw new IllegalArgumentException("a link rate must be at least 1000 bit/s, was " + bitsPerSecond);
        }
    }

    /** How long a frame of {@code length} bytes (without FCS) keeps the wire busy, in nanoseconds. */
    public long frameNanos(int length) {
        long bytes = Math.max(length, MIN_FRAME_BYTES) + FRAMING_BYTES;
        return (bytes * 8 * 1_000_000_000L + bitsPerSecond - 1) / bitsPerSecond;
    }

    /** The largest TCP goodput this link carries with {@code mss}-byte segments and no ACKs (bit/s): the line's ceiling. */
    public double goodputCeiling(int mss) {
        int frame = mss + 40 + 14;
        return (double) bitsPerSecond * mss / (Math.max(frame, MIN_FRAME_BYTES) + FRAMING_BYTES);
    }

    @Override
    public String toString() {
        String rate = bitsPerSecond % 1_000_000 == 0 ? bitsPerSecond / 1_000_000 + " Mbit/s" : bitsPerSecond / 1e6 + " Mbit/s";
        return rate + " " + (halfDuplex ? "half" : "full") + " duplex";
    }
}
