package dev.spinet.bench;

import dev.spinet.harness.net.LinkRate;
import dev.spinet.harness.timing.SpiTiming;

/**
 * The goodput of one bulk TCP connection through an SPI Ethernet controller when the board's
 * SPI work and the wire are the only limits: per full-size data segment the board spends
 * {@code transactions} x overhead + {@code bytes} x 8 / clock on its bus (its share of ACKs and
 * polls included), the wire carries the segment's frame (and, half duplex, half an ACK frame:
 * one ACK every second segment, RFC 5681 4.2), and a driver that holds one frame to transmit at
 * a time must write a frame and wait for it to leave before writing the next. The slowest of the
 * three sets the rate: SPI and wire overlap perfectly otherwise, and the TCP window is taken to
 * be large enough (the simulation in {@link ModeledGoodputReport} has the real window).
 *
 * <p>The same formula is applied to Spinet's measured counts and to the Linux drivers' counted
 * ones, so the two are compared under one model.
 */
public final class SpiThroughputModel {

    /** TCP/IPv4/Ethernet headers of a data segment without options. */
    public static final int HEADERS = 14 + 20 + 20;
    /** A bare ACK's frame: 54 bytes, padded to 60 on the wire. */
    public static final int ACK_FRAME = HEADERS;

    private SpiThroughputModel() {
    }

    /**
     * Board cost per full-size data segment.
     *
     * @param transactions SPI transactions per segment, everything the board does for it included
     * @param bytes SPI bytes per segment, headers included
     * @param serialTransactions transactions of the one data-frame transmit that must finish before the
     *     wire time of the frame starts and the next can be written (0 when transmits overlap the wire)
     * @param serialBytes bytes of that transmit
     */
    public record SegmentCost(double transactions, double bytes, double serialTransactions, double serialBytes) {
    }

    /** Goodput in bit/s for segments of {@code mss} payload bytes. */
    public static double goodput(SpiTiming spi, LinkRate link, int mss, boolean upload, SegmentCost cost) {
        return mss * 8 * 1e9 / nanosPerSegment(spi, link, mss, upload, cost);
    }

    /** Nanoseconds per segment: the largest of the SPI time, the wire time and the serial transmit chain. */
    public static double nanosPerSegment(SpiTiming spi, LinkRate link, int mss, boolean upload, SegmentCost cost) {
        double spiNanos = spi.nanos(cost.transactions(), cost.bytes());
        double dataFrame = link.frameNanos(mss + HEADERS);
        double ackShare = link.halfDuplex() ? link.frameNanos(ACK_FRAME) / 2.0 : 0;
        double wire = dataFrame + ackShare;
        double serial = 0;
        if (!upload && cost.serialTransactions() > 0) {
            serial = spi.nanos(cost.serialTransactions(), cost.serialBytes()) + dataFrame + ackShare;
        }
        return Math.max(spiNanos, Math.max(wire, serial));
    }

    /** Which of the three limits the rate: "SPI", "wire" or "transmit chain". */
    public static String limit(SpiTiming spi, LinkRate link, int mss, boolean upload, SegmentCost cost) {
        double total = nanosPerSegment(spi, link, mss, upload, cost);
        if (spi.nanos(cost.transactions(), cost.bytes()) >= total) {
            return "SPI";
        }
        double wire = link.frameNanos(mss + HEADERS) + (link.halfDuplex() ? link.frameNanos(ACK_FRAME) / 2.0 : 0);
        return wire >= total ? "wire" : "transmit chain";
    }

    /** The Linux driver's cost per segment, {@code framesPerInterrupt} received frames found by one interrupt. */
    public static SegmentCost linux(LinuxDriverCost driver, int mss, boolean upload, int framesPerInterrupt) {
        int dataFrame = mss + HEADERS;
        // The chips store a frame shorter than 60 bytes padded to 60.
        int ackStored = LinkRate.MIN_FRAME_BYTES;
        if (upload) {
            return new SegmentCost(
                    driver.rxTransactions(framesPerInterrupt) + driver.txTransactions() / 2.0,
                    driver.rxBytes(dataFrame, framesPerInterrupt) + driver.txBytes(ACK_FRAME) / 2.0,
                    0, 0);
        }
        // Both Linux drivers stop the queue in start_xmit until the chip reports the frame sent.
        return new SegmentCost(
                driver.txTransactions() + driver.rxTransactions(framesPerInterrupt) / 2.0,
                driver.txBytes(dataFrame) + driver.rxBytes(ackStored, framesPerInterrupt) / 2.0,
                driver.txTransactions(), driver.txBytes(dataFrame));
    }
}
