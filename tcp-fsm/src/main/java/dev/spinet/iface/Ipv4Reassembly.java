package dev.spinet.iface;

import dev.spinet.stats.Counters;
import dev.spinet.wire.Ipv4Packet;

/**
 * IPv4 reassembly (RFC 791 "Reassembly", RFC 815) in fixed memory: {@code slots} datagrams at
 * once, each rebuilt in its own buffer of {@code capacity} payload bytes, given up
 * {@code timeoutNanos} after its first fragment arrived.
 *
 * <h2>Which fragments belong together</h2>
 * RFC 791: "the combination of source, destination, protocol, and identifier". A fragment of a
 * datagram with no slot takes a free one; when every slot is busy it takes the slot whose
 * datagram started longest ago (an abandoned slot first), so that a sender that never completes
 * its datagrams cannot lock reassembly for a whole timeout: {@link IfaceCounter#IP_REASM_EVICTED}.
 *
 * <h2>Holes and overlaps</h2>
 * RFC 815 tracks the holes still missing; here every fragment but the last covers whole 8-octet
 * blocks (RFC 791: "the data portion of each fragment except the last must be a multiple of 8
 * octets", checked), so a bitmap with one bit per block records what arrived, and the datagram is
 * complete when the last fragment fixed its length and that many bytes arrived without overlap.
 * A fragment that overlaps data already held abandons the whole datagram: RFC 5722 ("if any of
 * the fragments being reassembled is an overlapping fragment, the entire datagram ... MUST be
 * silently discarded"), written for IPv6 and applied to IPv4 here, because two overlapping
 * fragments with different bytes let a sender show one datagram to a filter and another to this
 * host. An exact duplicate (the same start, end and bytes as a fragment taken: networks duplicate
 * fragments, and RFC 8200 4.5 lets such a copy be told apart) is dropped alone. The slot of an abandoned datagram stays
 * until its timeout as a tombstone, so its later fragments are dropped too instead of starting
 * a datagram that can never complete.
 *
 * <h2>Limits</h2>
 * A fragment reaching beyond 65535 bytes of datagram (the "ping of death") or beyond the slot's
 * capacity, a last fragment disagreeing with the length another one implied, an empty fragment:
 * each drops with its own counter. Nothing here allocates after construction.
 */
public final class Ipv4Reassembly {

    /** {@link #accept} result: the fragment was kept, dropped or counted; nothing to deliver yet. */
    public static final int PENDING = -1;

    private static final int BLOCK = 8;

    private final int capacity;
    private final long timeoutNanos;
    private final Counters<IfaceCounter> counters;

    private final boolean[] inUse;
    private final boolean[] abandoned;
    private final int[] source;
    private final int[] destination;
    private final int[] protocol;
    private final int[] identification;
    private final long[] startedAt;
    /** Payload bytes received so far (no block counted twice). */
    private final int[] received;
    /** Payload length fixed by the last fragment (MF clear), or -1 until it arrives. */
    private final int[] totalLength;
    /** The largest end offset seen, to check a late last fragment against. */
    private final int[] highestEnd;
    /** The offset-0 fragment's IPv4 header (for an ICMP time exceeded), its length, 0 = not yet. */
    private final byte[][] firstHeader;
    private final int[] firstHeaderLength;
    private final byte[][] data;
    /** One bit per 8-byte block held. */
    private final long[][] blocks;
    /** The first and the last block of each fragment taken: an exact duplicate starts and ends where one did. */
    private final long[][] fragmentStarts;
    private final long[][] fragmentEnds;

    /**
     * @param slots datagrams reassembled at once (0 = none: {@link #accept} drops every fragment)
     * @param capacity the largest payload one slot holds
     * @param timeoutNanos how long a slot waits for its missing fragments
     * @param counters where drops and completions are counted
     */
    public Ipv4Reassembly(int slots, int capacity, long timeoutNanos, Counters<IfaceCounter> counters) {
        if (slots < 0 || capacity < BLOCK || capacity > 65535 || timeoutNanos <= 0) {
            throw new IllegalArgumentException("reassembly needs slots >= 0, capacity 8..65535 and a positive timeout; got "
                    + slots + ", " + capacity + ", " + timeoutNanos);
        }
        this.capacity = capacity;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
        this.inUse = new boolean[slots];
        this.abandoned = new boolean[slots];
        this.source = new int[slots];
        this.destination = new int[slots];
        this.protocol = new int[slots];
        this.identification = new int[slots];
        this.startedAt = new long[slots];
        this.received = new int[slots];
        this.totalLength = new int[slots];
        this.highestEnd = new int[slots];
        this.firstHeader = new byte[slots][Ipv4Packet.MAX_HEADER_LENGTH];
        this.firstHeaderLength = new int[slots];
        this.data = new byte[slots][capacity];
        int blockCount = (capacity + BLOCK - 1) / BLOCK;
        this.blocks = new long[slots][(blockCount + 63) / 64];
        this.fragmentStarts = new long[slots][(blockCount + 63) / 64];
        this.fragmentEnds = new long[slots][(blockCount + 63) / 64];
    }

    /** Slots (datagrams reassembled at once). */
    public int slots() {
        return inUse.length;
    }

    /** Slots holding a datagram (abandoned ones included). */
    public int slotsInUse() {
        int used = 0;
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i]) {
                used++;
            }
        }
        return used;
    }

    /**
     * Takes the fragment {@code ip} views (already validated and addressed to this host).
     *
     * @return the slot whose datagram this fragment completed (deliver {@link #data}[0,
     *     {@link #length}) with {@link #source}, {@link #destination} and {@link #protocol}, then
     *     {@link #release} it), or {@link #PENDING}
     */
    public int accept(Ipv4Packet ip, long nowNanos) {
        if (inUse.length == 0) {
            counters.increment(IfaceCounter.IP_REASM_DROP_DISABLED);
            return PENDING;
        }
        int offset = ip.fragmentOffset();
        int length = ip.payloadLength();
        int end = offset + length;
        boolean more = ip.moreFragments();
        if (length == 0 || more && length % BLOCK != 0) {
            // RFC 791: every fragment but the last carries a multiple of 8 octets; an empty one
            // carries nothing a datagram could be built from.
            counters.increment(IfaceCounter.IP_REASM_DROP_BAD_FRAGMENT);
            return PENDING;
        }
        if (end > Ipv4Packet.MAX_TOTAL_LENGTH - ip.headerLength()) {
            // RFC 791: total length is 16 bits; more is the "ping of death" (CVE-1999-0128).
            counters.increment(IfaceCounter.IP_REASM_DROP_OVERSIZE);
            abandonIfHeld(ip);
            return PENDING;
        }
        int slot = find(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if (slot >= 0 && abandoned[slot]) {
            counters.increment(IfaceCounter.IP_REASM_DROP_ABANDONED);
            return PENDING;
        }
        if (end > capacity) {
            counters.increment(IfaceCounter.IP_REASM_DROP_TOO_BIG);
            if (slot >= 0) {
                abandon(slot);
            } else {
                tombstone(ip, nowNanos);
            }
            return PENDING;
        }
        if (slot < 0) {
            slot = allocate(ip, nowNanos);
        }
        if (inconsistentLength(slot, end, more)) {
            counters.increment(IfaceCounter.IP_REASM_DROP_INCONSISTENT);
            abandon(slot);
            return PENDING;
        }
        byte[] frame = ip.buffer();
        int payload = ip.payloadOffset();
        int firstBlock = offset / BLOCK;
        int lastBlock = (end - 1) / BLOCK;
        int held = heldBlocks(slot, firstBlock, lastBlock);
        if (held > 0) {
            if (isFragmentTaken(slot, firstBlock, lastBlock) && sameBytes(slot, frame, payload, offset, length)) {
                counters.increment(IfaceCounter.IP_REASM_DUPLICATES);
                return PENDING;
            }
            counters.increment(IfaceCounter.IP_REASM_DROP_OVERLAP);
            abandon(slot);
            return PENDING;
        }
        System.arraycopy(frame, payload, data[slot], offset, length);
        markBlocks(slot, firstBlock, lastBlock);
        fragmentStarts[slot][firstBlock >>> 6] |= 1L << firstBlock;
        fragmentEnds[slot][lastBlock >>> 6] |= 1L << lastBlock;
        received[slot] += length;
        if (end > highestEnd[slot]) {
            highestEnd[slot] = end;
        }
        if (!more) {
            totalLength[slot] = end;
        }
        if (offset == 0) {
            int headerLength = ip.headerLength();
            System.arraycopy(frame, ip.offset(), firstHeader[slot], 0, headerLength);
            firstHeaderLength[slot] = headerLength;
        }
        if (totalLength[slot] >= 0 && received[slot] == totalLength[slot]) {
            counters.increment(IfaceCounter.IP_REASM_COMPLETED);
            return slot;
        }
        return PENDING;
    }

    private boolean inconsistentLength(int slot, int end, boolean more) {
        int known = totalLength[slot];
        if (more) {
            // Data at or past the end the last fragment fixed: no fragment can follow it.
            return known >= 0 && end >= known;
        }
        return known >= 0 ? end != known : highestEnd[slot] > end;
    }

    private int heldBlocks(int slot, int firstBlock, int lastBlock) {
        long[] bits = blocks[slot];
        int held = 0;
        for (int block = firstBlock; block <= lastBlock; block++) {
            if ((bits[block >>> 6] & (1L << block)) != 0) {
                held++;
            }
        }
        return held;
    }

    /**
     * Whether blocks firstBlock..lastBlock are exactly one fragment taken earlier: one started at
     * firstBlock, one ended at lastBlock, and none started in between (taken fragments never
     * overlap, so that is a single fragment).
     */
    private boolean isFragmentTaken(int slot, int firstBlock, int lastBlock) {
        if (!isSet(fragmentStarts[slot], firstBlock) || !isSet(fragmentEnds[slot], lastBlock)
                || heldBlocks(slot, firstBlock, lastBlock) != lastBlock - firstBlock + 1) {
            return false;
        }
        for (int block = firstBlock + 1; block <= lastBlock; block++) {
            if (isSet(fragmentStarts[slot], block)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSet(long[] bits, int block) {
        return (bits[block >>> 6] & (1L << block)) != 0;
    }

    private void markBlocks(int slot, int firstBlock, int lastBlock) {
        long[] bits = blocks[slot];
        for (int block = firstBlock; block <= lastBlock; block++) {
            bits[block >>> 6] |= 1L << block;
        }
    }

    private boolean sameBytes(int slot, byte[] frame, int payload, int offset, int length) {
        return java.util.Arrays.equals(frame, payload, payload + length, data[slot], offset, offset + length);
    }

    private int find(int src, int dst, int proto, int id) {
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i] && identification[i] == id && source[i] == src && destination[i] == dst && protocol[i] == proto) {
                return i;
            }
        }
        return -1;
    }

    private int allocate(Ipv4Packet ip, long nowNanos) {
        int slot = -1;
        for (int i = 0; i < inUse.length; i++) {
            if (!inUse[i]) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = oldest();
            if (!abandoned[slot]) {
                counters.increment(IfaceCounter.IP_REASM_EVICTED);
            }
        }
        inUse[slot] = true;
        abandoned[slot] = false;
        source[slot] = ip.source();
        destination[slot] = ip.destination();
        protocol[slot] = ip.protocol();
        identification[slot] = ip.identification();
        startedAt[slot] = nowNanos;
        received[slot] = 0;
        totalLength[slot] = -1;
        highestEnd[slot] = 0;
        firstHeaderLength[slot] = 0;
        java.util.Arrays.fill(blocks[slot], 0L);
        java.util.Arrays.fill(fragmentStarts[slot], 0L);
        java.util.Arrays.fill(fragmentEnds[slot], 0L);
        return slot;
    }

    /** The abandoned slot that started first, else the live slot that started first. */
    private int oldest() {
        int best = -1;
        for (int i = 0; i < inUse.length; i++) {
            if (best < 0 || abandoned[i] && !abandoned[best]
                    || abandoned[i] == abandoned[best] && startedAt[i] - startedAt[best] < 0) {
                best = i;
            }
        }
        return best;
    }

    private void abandonIfHeld(Ipv4Packet ip) {
        int slot = find(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if (slot >= 0 && !abandoned[slot]) {
            abandon(slot);
        }
    }

    /** A datagram seen for the first time with a fragment it can never hold: remember it as abandoned. */
    private void tombstone(Ipv4Packet ip, long nowNanos) {
        abandon(allocate(ip, nowNanos));
    }

    private void abandon(int slot) {
        abandoned[slot] = true;
        counters.increment(IfaceCounter.IP_REASM_ABANDONED);
    }

    // ---- the completed datagram ----

    /** The payload bytes of a slot (the transport header and data from index 0). */
    public byte[] data(int slot) {
        return data[slot];
    }

    public int length(int slot) {
        return totalLength[slot];
    }

    public int source(int slot) {
        return source[slot];
    }

    public int destination(int slot) {
        return destination[slot];
    }

    public int protocol(int slot) {
        return protocol[slot];
    }

    /** Frees a slot after its datagram was delivered. */
    public void release(int slot) {
        inUse[slot] = false;
        abandoned[slot] = false;
    }

    // ---- timeout ----

    /**
     * Frees every slot whose time ran out. A live datagram whose first fragment arrived is
     * reported to {@code timedOut} before its slot is freed (RFC 792: "If fragment zero is not
     * available then no time exceeded need be sent at all").
     *
     * @return slots freed
     */
    public int expire(long nowNanos, TimeoutListener timedOut) {
        int freed = 0;
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i] && startedAt[i] + timeoutNanos - nowNanos <= 0) {
                if (!abandoned[i]) {
                    counters.increment(IfaceCounter.IP_REASM_TIMEOUTS);
                    if (firstHeaderLength[i] > 0) {
                        timedOut.onTimedOut(firstHeader[i], firstHeaderLength[i], data[i], destination[i], nowNanos);
                    }
                }
                release(i);
                freed++;
            }
        }
        return freed;
    }

    /** When {@link #expire} next has work, or {@code nowNanos + Long.MAX_VALUE / 4}. */
    public long nextDeadline(long nowNanos) {
        long deadline = nowNanos + Long.MAX_VALUE / 4;
        for (int i = 0; i < inUse.length; i++) {
            if (inUse[i] && startedAt[i] + timeoutNanos - deadline < 0) {
                deadline = startedAt[i] + timeoutNanos;
            }
        }
        return deadline;
    }

    /** Told about a datagram given up on whose first fragment is known (stack thread, no allocation). */
    @FunctionalInterface
    public interface TimeoutListener {
        /**
         * @param header the first fragment's IPv4 header, {@code headerLength} bytes
         * @param payload the datagram's payload from offset 0 (at least its first 8 bytes are there)
         * @param destination the address the datagram was sent to (ours or a broadcast)
         * @param nowNanos the duty cycle's time
         */
        void onTimedOut(byte[] header, int headerLength, byte[] payload, int destination, long nowNanos);
    }
}
