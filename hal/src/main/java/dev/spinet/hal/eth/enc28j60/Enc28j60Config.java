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
 */
public record Enc28j60Config(long macAddress, boolean promiscuous, boolean fullDuplex, int txPollLimit,
                             int lateCollisionRetries) {

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
    }

    /** Filtering on, half duplex, 200 ECON1 polls, 16 late-collision retries. */
    public static Enc28j60Config defaults(long macAddress) {
        return new Enc28j60Config(macAddress, false, false, 200, 16);
    }

    public Enc28j60Config withPromiscuous(boolean on) {
        return new Enc28j60Config(macAddress, on, fullDuplex, txPollLimit, lateCollisionRetries);
    }

    public Enc28j60Config withFullDuplex(boolean on) {
        return new Enc28j60Config(macAddress, promiscuous, on, txPollLimit, lateCollisionRetries);
    }
}
