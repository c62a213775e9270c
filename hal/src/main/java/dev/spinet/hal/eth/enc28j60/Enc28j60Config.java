package dev.spinet.hal.eth.enc28j60;

/**
 * Settings of an {@link Enc28j60Driver}, read once at construction.
 *
 * @param macAddress the station address (48 bits, first octet highest)
 * @param promiscuous {@code true} writes ERXFCON = 0 (every frame); otherwise unicast to us,
 *     broadcast, CRC checked (UCEN | CRCEN | BCEN)
 * @param fullDuplex the ENC28J60 does not auto-negotiate: a switch port that does falls back to
 *     half duplex, so half is the default; full duplex only against a port forced to full
 * @param txPollLimit how many ECON1 reads a transmit spends waiting for the previous frame to
 *     leave before it reports "no room now" (a 1518-byte frame takes 1.2 ms at 10 Mbit/s)
 * @param lateCollisionRetries how often a frame whose TSV reports a late collision is re-sent
 *     (errata DS80349: the report can be false; Linux retries 16 times)
 * @param transmitTimeoutNanos how long a frame may keep ECON1.TXRTS set before the next
 *     transmit gives it up and resets the transmit logic (errata DS80349 item 12: after an abort
 *     TXRTS may stay set indefinitely without TXERIF). The default, 1 s, is well above the worst
 *     legitimate case (16 attempts with maximal back-off take about 0.37 s at 10 Mbit/s) and below
 *     the 4 s after which Linux's enc28j60 restarts the chip.
 * @param pollIntervalNanos how often the driver reads EIE and EIR whatever INT shows (EIE not as
 *     written: the chip was reset under the driver, which configures it again; EIR flags with INT
 *     high: a lost edge, serviced now), and the longest idle wait in {@code awaitReceive}, so a
 *     lost INT delays nothing by more than this. Default 100 ms: two transactions ten times a
 *     second
 */
public record Enc28j60Config(long macAddress, boolean promiscuous, boolean fullDuplex, int txPollLimit,
                             int lateCollisionRetries, long transmitTimeoutNanos, long pollIntervalNanos) {

    public Enc28j60Config {
        if ((macAddress & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address must fit in 48 bits: " + Long.toHexString(macAddress));
        }
        if ((macAddress & 0x0100_0000_0000L) != 0) {
            throw new IllegalArgumentException("MAC address has the group bit set (first octet odd); use a unicast address such as 02:00:00:00:00:02");
        }
        if (txPollLimit < 1) {
            throw new IllegalArgumentException("txPollLimit must be at least 1");
        }
        if (lateCollisionRetries < 0) {
            throw new IllegalArgumentException("lateCollisionRetries must not be negative");
        }
        if (transmitTimeoutNanos <= 0) {
            throw new IllegalArgumentException("transmitTimeoutNanos must be positive");
        }
        if (pollIntervalNanos <= 0) {
            throw new IllegalArgumentException("pollIntervalNanos must be positive");
        }
    }

    /** Filtering on, half duplex, 200 ECON1 polls, 16 late-collision retries, 1 s transmit timeout, 100 ms poll interval. */
    public static Enc28j60Config defaults(long macAddress) {
        return new Enc28j60Config(macAddress, false, false, 200, 16, 1_000_000_000L, 100_000_000L);
    }

    public Enc28j60Config withPromiscuous(boolean on) {
        return new Enc28j60Config(macAddress, on, fullDuplex, txPollLimit, lateCollisionRetries, transmitTimeoutNanos, pollIntervalNanos);
    }

    public Enc28j60Config withFullDuplex(boolean on) {
        return new Enc28j60Config(macAddress, promiscuous, on, txPollLimit, lateCollisionRetries, transmitTimeoutNanos, pollIntervalNanos);
    }

    public Enc28j60Config withTransmitTimeoutNanos(long nanos) {
        return new Enc28j60Config(macAddress, promiscuous, fullDuplex, txPollLimit, lateCollisionRetries, nanos, pollIntervalNanos);
    }

    public Enc28j60Config withPollIntervalNanos(long nanos) {
        return new Enc28j60Config(macAddress, promiscuous, fullDuplex, txPollLimit, lateCollisionRetries, transmitTimeoutNanos, nanos);
    }
}
