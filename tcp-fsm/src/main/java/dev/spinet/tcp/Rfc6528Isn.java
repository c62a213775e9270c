package dev.spinet.tcp;

/**
 * RFC 6528 section 3: {@code ISN = M + F(localip, localport, remoteip, remoteport, secretkey)},
 * where M is "a 4 microsecond timer" and F a keyed pseudo-random function. F here is
 * {@link SipHash24} over the 4-tuple, keyed with the configured secret (0: a random key).
 */
public final class Rfc6528Isn implements InitialSequenceNumbers {

    private final SipHash24 prf;

    public Rfc6528Isn(long secret) {
        this.prf = new SipHash24(secret);
    }

    @Override
    public int next(int localAddress, int localPort, int remoteAddress, int remotePort, long nowNanos) {
        long m = nowNanos / 4_000L; // RFC 6528: M is a 4 microsecond timer
        long block0 = ((long) localAddress << 32) | (remoteAddress & 0xFFFF_FFFFL);
        long block1 = ((long) (localPort & 0xFFFF) << 16) | (remotePort & 0xFFFF);
        return (int) (m + prf.hash(block0, block1));
    }

    /** The keyed PRF itself, for other secrets derived from this key (SYN cookies). */
    long sipHash(long m0, long m1) {
        return prf.hash(m0, m1);
    }
}
