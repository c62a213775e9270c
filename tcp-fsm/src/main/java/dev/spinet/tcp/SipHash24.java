package dev.spinet.tcp;

import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein), a keyed pseudo-random function designed for short
 * inputs, over two 64-bit words, allocation-free. The 128-bit key comes from
 * {@code StackConfig.tcpSecret}; a secret of 0 means "draw a key from SecureRandom at
 * construction" (RFC 6528: the secret key "SHOULD be ... of at least 128 bits" and generated at
 * boot). Users keep their inputs apart by what they put in the words (see {@link Rfc6528Isn},
 * {@link EphemeralPorts}, and the DNS resolver's query IDs and source ports).
 */
public final class SipHash24 {

    private final long key0;
    private final long key1;

    /** @param secret the key's seed; 0 draws a 128-bit key from SecureRandom */
    public SipHash24(long secret) {
        if (secret == 0) {
            SecureRandom random = new SecureRandom();
            key0 = random.nextLong();
            key1 = random.nextLong();
        } else {
            key0 = secret;
            key1 = Long.rotateLeft(secret * 0x9E37_79B9_7F4A_7C15L, 31) ^ 0x5DEE_CE66_DL;
        }
    }

    /** SipHash-2-4 of two 64-bit words (16 bytes of input). */
    public long hash(long m0, long m1) {
        long v0 = 0x736f_6d65_7073_6575L ^ key0;
        long v1 = 0x646f_7261_6e64_6f6dL ^ key1;
        long v2 = 0x6c79_6765_6e65_7261L ^ key0;
        long v3 = 0x7465_6462_7974_6573L ^ key1;
        // message block 0
        v3 ^= m0;
        for (int i = 0; i < 2; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= m0;
        // message block 1
        v3 ^= m1;
        for (int i = 0; i < 2; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= m1;
        // final block: length 16 in the top byte, no remaining bytes
        long last = 16L << 56;
        v3 ^= last;
        for (int i = 0; i < 2; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xFF;
        for (int i = 0; i < 4; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
