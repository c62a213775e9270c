package dev.spinet.udp;

/**
 * A single-producer single-consumer queue of datagrams between an application thread and the
 * stack thread (Agrona's one-to-one ring buffer, with fixed-size slots): {@code slots} datagrams
 * of up to {@code slotBytes} data bytes each, with the peer's address and port. Everything is
 * allocated in the constructor; neither side allocates or locks.
 *
 * <p>The producer {@link #claim}s the next free slot, writes the data into {@link #buffer()} at
 * {@link #offset}, and {@link #publish}es it with its length, address and port; the consumer
 * {@link #peek}s the oldest, reads it, and {@link #release}s it. The producer owns {@code tail},
 * the consumer {@code head}; both are volatile and written after the slot's contents, so a
 * slot's bytes are visible before the index that hands it over. Volatile rather than
 * release/acquire: a waiting side publishes itself as a waiter and then reads the index, the
 * other side writes the index and then reads the waiter, and only sequentially consistent
 * accesses rule out both missing each other (a lost wake-up).
 */
public final class DatagramRing {

    /** {@link #claim} or {@link #peek} found nothing (full or empty). */
    public static final int NONE = -1;

    private final int mask;
    private final int slotBytes;
    private final byte[] data;
    private final int[] lengths;
    private final int[] addresses;
    private final int[] ports;

    /** Next slot to read; written by the consumer only. */
    private volatile long head;
    /** Next slot to write; written by the producer only. */
    private volatile long tail;

    /**
     * @param slots datagrams the ring holds, a power of two
     * @param slotBytes the largest datagram's data
     */
    public DatagramRing(int slots, int slotBytes) {
        if (slots < 1 || (slots & (slots - 1)) != 0 || slotBytes < 1) {
            throw new IllegalArgumentException("a datagram ring needs a power-of-two slot count and slotBytes >= 1; got "
                    + slots + " slots of " + slotBytes + " bytes");
        }
        this.mask = slots - 1;
        this.slotBytes = slotBytes;
        this.data = new byte[Math.multiplyExact(slots, slotBytes)];
        this.lengths = new int[slots];
        this.addresses = new int[slots];
        this.ports = new int[slots];
    }

    public int capacity() {
        return mask + 1;
    }

    /** The largest datagram a slot holds. */
    public int slotBytes() {
        return slotBytes;
    }

    /** The array every slot lives in; a slot's data starts at {@link #offset}. */
    public byte[] buffer() {
        return data;
    }

    public int offset(int slot) {
        return slot * slotBytes;
    }

    // ---- producer ----

    /** The next free slot, or {@link #NONE} when the ring is full. Producer only. */
    public int claim() {
        long t = tail;
        if (t - head > mask) {
            return NONE;
        }
        return (int) t & mask;
    }

    /** Hands the slot {@link #claim} returned to the consumer. Producer only. */
    public void publish(int slot, int length, int address, int port) {
        if (length < 0 || length > slotBytes) {
            throw new IllegalArgumentException("datagram of " + length + " bytes does not fit a slot of " + slotBytes);
        }
        lengths[slot] = length;
        addresses[slot] = address;
        ports[slot] = port;
        tail = tail + 1;
    }

    // ---- consumer ----

    /** The oldest published slot, or {@link #NONE} when the ring is empty. Consumer only. */
    public int peek() {
        long h = head;
        if (h == tail) {
            return NONE;
        }
        return (int) h & mask;
    }

    public int length(int slot) {
        return lengths[slot];
    }

    public int address(int slot) {
        return addresses[slot];
    }

    public int port(int slot) {
        return ports[slot];
    }

    /** Gives the slot {@link #peek} returned back to the producer. Consumer only. */
    public void release() {
        head = head + 1;
    }

    // ---- either side ----

    /** Datagrams queued (a snapshot; exact only on a thread that is producer or consumer). */
    public int size() {
        return (int) (tail - head);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Empties the ring. Only while neither side uses it (a socket being closed or opened). */
    public void clear() {
        head = tail;
    }
}
