package dev.spinet.tcp;

/**
 * RFC 6056 section 3.3.4, algorithm 4 ("Double-Hash Port Selection"):
 *
 * <pre>
 *   offset = F(local_IP, remote_IP, remote_port, secret_key1)
 *   index  = G(local_IP, remote_IP, remote_port, secret_key2)
 *   port   = min_ephemeral + (offset + table[index]) % num_ephemeral;  table[index]++
 * </pre>
 *
 * F and G are {@link SipHash24} keyed like the ISNs ({@code StackConfig.tcpSecret}), kept apart
 * from the ISN's input and from each other by a tag in the second word. The next port towards
 * one destination therefore depends on the secret and on earlier connections that hashed to the
 * same table slot, not on connections elsewhere (RFC 6056 3.3.4: "the increments ... are
 * separated"), and an outsider cannot predict it. The table starts from hashed, not zero, values
 * (RFC 6056: "table[i] = random() % 65536").
 *
 * <p>Use: {@link #start} for a destination, then {@link #nextCandidate} until a suitable port
 * comes up (at most {@link TcpLayer#EPHEMERAL_COUNT} times). No allocation.
 */
final class EphemeralPorts {

    /** Slots of the increment table: one int each, 1 KiB. */
    static final int TABLE_LENGTH = 256;

    private static final long TAG_F = 0x5046L << 48;  // "PF"
    private static final long TAG_G = 0x5047L << 48;  // "PG"
    private static final long TAG_TABLE = 0x5054L << 48; // "PT"

    private final SipHash24 prf;
    private final int[] table = new int[TABLE_LENGTH];
    private int offset;
    private int index;

    EphemeralPorts(SipHash24 prf) {
        this.prf = prf;
        for (int i = 0; i < TABLE_LENGTH; i++) {
            table[i] = (int) (prf.hash(TAG_TABLE, i) & 0xFFFF);
        }
    }

    /** Begins a selection towards (remoteAddress, remotePort) from localAddress. */
    void start(int localAddress, int remoteAddress, int remotePort) {
        long block0 = ((long) localAddress << 32) | (remoteAddress & 0xFFFF_FFFFL);
        offset = (int) (prf.hash(block0, TAG_F | (remotePort & 0xFFFF)) & 0x7FFF_FFFF);
        index = (int) ((prf.hash(block0, TAG_G | (remotePort & 0xFFFF)) & 0x7FFF_FFFF) % TABLE_LENGTH);
    }

    /** The next candidate port of the selection begun by {@link #start}. */
    int nextCandidate() {
        // floorMod: the slot counts up without bound and wraps negative after 2^31 uses.
        int port = TcpLayer.EPHEMERAL_FIRST + (int) Math.floorMod((long) offset + table[index], (long) TcpLayer.EPHEMERAL_COUNT);
        table[index]++;
        return port;
    }
}
