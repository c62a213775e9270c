package dev.spinet.tcp;

/**
 * SYN cookies (RFC 4987 section 3.6): when a listener's backlog is full, the SYN,ACK carries all
 * the state the listener would have kept in its initial sequence number, and the connection is
 * built only when the ACK returning that number arrives. No memory is taken per SYN.
 *
 * <pre>
 *  The cookie (our ISS), Bernstein's layout:
 *
 *   31       27 26  24 23                                            0
 *  +-----------+------+-----------------------------------------------+
 *  | t mod 32  | MSS  |  24 bits of SipHash(secret; local address,     |
 *  | (5 bits)  | index|  local port, remote address, remote port,      |
 *  |           |(3 b) |  client ISN, t, MSS index)                     |
 *  +-----------+------+-----------------------------------------------+
 *
 *  t: a coarse counter, now / {@link #TICK_NANOS} (64 s). A cookie is accepted while t is the
 *  current or the previous tick (64..128 s of validity, RFC 4987: "t is a slowly incrementing
 *  timer"). The MSS index selects a row of {@link #MSS_TABLE}: the largest not above the
 *  client's MSS option (536 when absent).
 * </pre>
 *
 * <p>The returning ACK carries SEG.ACK = cookie + 1 and SEG.SEQ = client ISN + 1, so everything
 * the hash covers is known again; a blind attacker has to guess 24 bits (per tick and MSS row)
 * and, as in Linux, cookies are only checked while cookies were sent in the last two ticks.
 *
 * <p>What a cookie cannot carry: the window-scale and SACK-permitted options of the SYN. A
 * connection made from a cookie therefore runs without window scaling (both directions); the
 * SYN,ACK sent with a cookie offers none, so both ends agree.
 *
 * <p>Keyed with {@code StackConfig.tcpSecret} (a secret of 0 draws a random key at start-up), via
 * a key separate from the ISN generator's. Allocation-free.
 */
final class SynCookies {

    /** The coarse counter's period: 64 s (2^36 ns is 68.7 s; a power of two keeps it a shift). */
    static final long TICK_NANOS = 64_000_000_000L;
    /** MSS values a cookie can announce, ascending (3 bits). */
    static final int[] MSS_TABLE = {88, 216, 536, 1024, 1220, 1360, 1440, 1460};

    private static final long KEY_SEPARATION = 0x5C00_C1E5_5EC2_E7A1L;

    private final Rfc6528Isn prf;
    private boolean everSent;
    private long lastSentTick;

    SynCookies(long secret) {
        long derived = secret == 0 ? 0 : secret ^ KEY_SEPARATION;
        this.prf = new Rfc6528Isn(derived == 0 && secret != 0 ? KEY_SEPARATION : derived);
    }

    static long tick(long nowNanos) {
        return Math.floorDiv(nowNanos, TICK_NANOS);
    }

    /** The row of {@link #MSS_TABLE} to announce for a client that offered {@code peerMss}. */
    static int mssIndex(int peerMss) {
        int index = 0;
        for (int i = 0; i < MSS_TABLE.length; i++) {
            if (MSS_TABLE[i] <= peerMss) {
                index = i;
            }
        }
        return index;
    }

    /** The ISS of a SYN,ACK sent instead of keeping state for a SYN with {@code clientIsn}. */
    int make(int localAddress, int localPort, int remoteAddress, int remotePort, int clientIsn, int mssIndex, long nowNanos) {
        long t = tick(nowNanos);
        everSent = true;
        lastSentTick = t;
        return encode(t, mssIndex, hash24(localAddress, localPort, remoteAddress, remotePort, clientIsn, t, mssIndex));
    }

    /** Whether cookies went out recently enough that a returning ACK may carry one. */
    boolean recentlySent(long nowNanos) {
        return everSent && tick(nowNanos) - lastSentTick <= 1;
    }

    /**
     * Checks the cookie an ACK returns ({@code cookie} = SEG.ACK - 1, {@code clientIsn} =
     * SEG.SEQ - 1).
     *
     * @return the MSS index it encodes, or -1 when it is not a cookie of this or the previous tick
     */
    int check(int localAddress, int localPort, int remoteAddress, int remotePort, int clientIsn, int cookie, long nowNanos) {
        long now = tick(nowNanos);
        int encodedTick = cookie >>> 27;
        int mssIndex = (cookie >>> 24) & 7;
        for (long t = now; t >= now - 1; t--) {
            if ((int) (t & 31) != encodedTick) {
                continue;
            }
            int expected = encode(t, mssIndex, hash24(localAddress, localPort, remoteAddress, remotePort, clientIsn, t, mssIndex));
            if (expected == cookie) {
                return mssIndex;
            }
        }
        return -1;
    }

    private static int encode(long t, int mssIndex, int hash) {
        return (int) ((t & 31) << 27) | (mssIndex << 24) | (hash & 0xFF_FFFF);
    }

    private int hash24(int localAddress, int localPort, int remoteAddress, int remotePort, int clientIsn, long t, int mssIndex) {
        long first = prf.sipHash(((long) localAddress << 32) | (remoteAddress & 0xFFFF_FFFFL),
                ((long) ((localPort << 16) | (remotePort & 0xFFFF)) << 32) | (clientIsn & 0xFFFF_FFFFL));
        long second = prf.sipHash(first, (t << 3) | mssIndex);
        return (int) (second & 0xFF_FFFF);
    }
}
