package dev.spinet.tcp;

/**
 * TSval offsets keyed per 4-tuple with {@link SipHash24}, as RFC 6528 keys ISNs: the peer cannot
 * read this host's uptime from its timestamps, and no two connections' clocks can be compared
 * (Linux randomises its offsets per address pair since 4.10 for the same reason). The same 4-tuple
 * always gets the same offset, so timestamps keep growing across incarnations of a connection.
 */
public final class KeyedTimestampOffsets implements TimestampOffsets {

    /** Kept in the hashed words so these values share nothing with the ISNs of the same key. */
    private static final long TAG = 0x5453_7661_6C00_0000L; // "TSval"

    private final SipHash24 prf;

    /** @param secret {@code StackConfig.tcpSecret}; 0 draws a random key */
    public KeyedTimestampOffsets(long secret) {
        this.prf = new SipHash24(secret);
    }

    @Override
    public int offset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long block0 = ((long) localAddress << 32) | (remoteAddress & 0xFFFF_FFFFL);
        long block1 = TAG | ((long) (localPort & 0xFFFF) << 16) | (remotePort & 0xFFFF);
        return (int) prf.hash(block0, block1);
    }
}
