package dev.spinet.hal.eth.w5500;

/**
 * Settings of a {@link W5500Driver}, read once at construction.
 *
 * @param macAddress the station address written to SHAR (48 bits, first octet highest)
 * @param promiscuous {@code true} clears Sn_MR.MFEN so socket 0 receives every frame on the wire
 * @param splitAtWrap {@code false} (default): buffer bursts start at the raw free-running pointer
 *     and the chip wraps them inside the 16 KiB block (what WIZnet's ioLibrary relies on), so a
 *     receive batch is always one burst; {@code true}: the pointer is masked and a burst crossing
 *     the end is split in two (what Linux's w5100.c does)
 * @param maxBurstBytes the largest data phase of one SPI transaction; Linux spidev refuses an
 *     ioctl whose receive or transmit segments, each rounded up to 128 bytes, exceed its
 *     {@code bufsiz} (4096 by default): a receive burst of 4093 after the 3-byte header fits
 *     (see {@code SpidevBus})
 * @param linkPollIntervalNanos how often the driver re-reads PHYCFGR (from {@code linkUp},
 *     {@code transmit} and {@code receive}) and reads Sn_MR back to notice a chip reset under it;
 *     also the longest idle wait in {@code awaitReceive}, so a lost INT delays frames by at most this
 * @param sendPollLimit how many times a transmit reads Sn_TX_RD waiting for the previous SEND
 *     before it reports "no room now"
 * @param transmitTimeoutNanos how long a SEND may stay unfinished (Sn_TX_RD short of its end)
 *     before a transmit gives its frame up and reopens socket 0 (Linux's w5100 resets the chip
 *     on a transmit timeout; after a cable was unplugged and plugged back SEND_OK may never
 *     come). Default 1 s: far above one frame's time on the wire, even in half duplex with the
 *     maximum back-off (about 0.37 s for 16 attempts at 10 Mbit/s)
 */
public record W5500Config(long macAddress, boolean promiscuous, boolean splitAtWrap, int maxBurstBytes,
                          long linkPollIntervalNanos, int sendPollLimit, long transmitTimeoutNanos) {

    public static final int SPIDEV_DEFAULT_BUFSIZ = 4096;

    public W5500Config {
        if ((macAddress & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address must fit in 48 bits: " + Long.toHexString(macAddress));
        }
        if ((macAddress & 0x0100_0000_0000L) != 0) {
            throw new IllegalArgumentException("MAC address has the group bit set (first octet odd); use a unicast address such as 02:00:00:00:00:01");
        }
        if (maxBurstBytes < 1516 + 2) {
            throw new IllegalArgumentException("maxBurstBytes " + maxBurstBytes + " cannot hold one full MACRAW record (1516 bytes); raise it or spidev's bufsiz");
        }
        if (sendPollLimit < 1) {
            throw new IllegalArgumentException("sendPollLimit must be at least 1");
        }
        if (transmitTimeoutNanos <= 0) {
            throw new IllegalArgumentException("transmitTimeoutNanos must be positive");
        }
    }

    /** Filtering on, raw-pointer bursts, spidev's default buffer size, link re-read every 100 ms, 1 s transmit timeout. */
    public static W5500Config defaults(long macAddress) {
        return new W5500Config(macAddress, false, false, SPIDEV_DEFAULT_BUFSIZ - W5500Registers.HEADER_LENGTH,
                100_000_000L, 64, 1_000_000_000L);
    }

    public W5500Config withPromiscuous(boolean on) {
        return new W5500Config(macAddress, on, splitAtWrap, maxBurstBytes, linkPollIntervalNanos, sendPollLimit, transmitTimeoutNanos);
    }

    public W5500Config withSplitAtWrap(boolean on) {
        return new W5500Config(macAddress, promiscuous, on, maxBurstBytes, linkPollIntervalNanos, sendPollLimit, transmitTimeoutNanos);
    }

    public W5500Config withMaxBurstBytes(int bytes) {
        return new W5500Config(macAddress, promiscuous, splitAtWrap, bytes, linkPollIntervalNanos, sendPollLimit, transmitTimeoutNanos);
    }

    public W5500Config withTransmitTimeoutNanos(long nanos) {
        return new W5500Config(macAddress, promiscuous, splitAtWrap, maxBurstBytes, linkPollIntervalNanos, sendPollLimit, nanos);
    }
}
