package dev.spinet.tcp.scenario;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.DeadlineInvariant;
import dev.spinet.iface.Ipv4Output;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;

/**
 * Two {@link TcpLayer}s joined without IP: each one's {@link Ipv4Output} copies the segment into a
 * fixed slot of the other direction's in-flight queue, where a {@link FaultModel} may drop,
 * duplicate, delay (reorder) or corrupt it. Time is virtual: {@link #step} jumps to the next
 * delivery or timer. Nothing allocates after construction, so benchmarks and allocation tests
 * run on it too.
 */
public final class TcpLink {

    public static final int ADDRESS_A = 0x0A00_0001;
    public static final int ADDRESS_B = 0x0A00_0002;
    private static final int OFFSET = 34;

    public final TcpLayer a;
    public final TcpLayer b;
    private final Direction toB;
    private final Direction toA;
    private final Output outputA;
    private final Output outputB;
    private long now;

    public TcpLink(StackConfig configA, StackConfig configB, FaultModel faultsAtoB, FaultModel faultsBtoA,
                   TransitionObserver observerA, TransitionObserver observerB, int mtu, int queueSlots) {
        this(configA, configB, faultsAtoB, faultsBtoA, observerA, observerB, mtu, queueSlots, 0);
    }

    /**
     * With {@code segmentedLimit} above 0 both ends' outputs offer segmentation offload up to that
     * many TCP bytes ({@code Ipv4Output.sendSegmented}) and the link carries such a segment whole
     * to the peer, as Linux delivers a TSO segment to a local socket.
     */
    public TcpLink(StackConfig configA, StackConfig configB, FaultModel faultsAtoB, FaultModel faultsBtoA,
                   TransitionObserver observerA, TransitionObserver observerB, int mtu, int queueSlots, int segmentedLimit) {
        this.toB = new Direction(faultsAtoB, queueSlots, Math.max(mtu, segmentedLimit + 20));
        this.toA = new Direction(faultsBtoA, queueSlots, Math.max(mtu, segmentedLimit + 20));
        this.outputA = new Output(ADDRESS_A, toB, mtu, segmentedLimit);
        this.outputB = new Output(ADDRESS_B, toA, mtu, segmentedLimit);
        this.a = new TcpLayer(configA, outputA, observerA);
        this.b = new TcpLayer(configB, outputB, observerB);
        this.now = 1_000_000_000L;
    }

    /** Segments A handed to segmentation offload, and the segment size of the last one (0 before any). */
    public long segmentedSendsA() {
        return outputA.segmentedSends;
    }

    public int lastSegmentPayloadA() {
        return outputA.lastSegmentPayload;
    }

    /** Segmented sends whose data was no whole number of segments, or whose TCP header was bad. */
    public long malformedSegmentedSends() {
        return outputA.malformedSegmented + outputB.malformedSegmented;
    }

    public long now() {
        return now;
    }

    /** Advances virtual time by {@code nanos} (delivering and polling on the way). */
    public void advance(long nanos) {
        long end = now + nanos;
        while (true) {
            long next = nextEvent();
            if (next - end > 0) {
                break;
            }
            runAt(Math.max(next, now));
        }
        now = end;
        poll(a, now);
        poll(b, now);
    }

    /**
     * Runs the earliest pending event (a delivery or a timer) and everything due at that time.
     * Returns false when nothing at all is scheduled within {@code horizonNanos}.
     */
    public boolean step(long horizonNanos) {
        long next = nextEvent();
        if (next - (now + horizonNanos) > 0) {
            return false;
        }
        runAt(Math.max(next, now));
        return true;
    }

    /** Delivers and polls at the current time without advancing it. */
    public void pump() {
        runAt(now);
    }

    private long nextEvent() {
        long next = a.nextDeadline(now);
        long nb = b.nextDeadline(now);
        if (nb - next < 0) {
            next = nb;
        }
        if (toB.count > 0 && toB.earliest() - next < 0) {
            next = toB.earliest();
        }
        if (toA.count > 0 && toA.earliest() - next < 0) {
            next = toA.earliest();
        }
        return next;
    }

    private void runAt(long time) {
        now = time;
        toB.deliverDue(b, ADDRESS_A, ADDRESS_B, now);
        toA.deliverDue(a, ADDRESS_B, ADDRESS_A, now);
        poll(a, now);
        poll(b, now);
    }

    /** One duty cycle of one side; an idle one must leave no deadline due ({@link DeadlineInvariant}). */
    private static void poll(TcpLayer layer, long time) {
        if (layer.poll(time) == 0) {
            DeadlineInvariant.requireFutureDeadlineWhenIdle(layer, time, layer.nextDeadline(time));
        }
    }

    public long delivered() {
        return toA.delivered + toB.delivered;
    }

    public long dropped() {
        return toA.dropped + toB.dropped;
    }

    public long overflowed() {
        return toA.overflowed + toB.overflowed;
    }

    public boolean idle() {
        return toA.count == 0 && toB.count == 0;
    }

    /** In-flight segments of one direction in fixed slots, each with a delivery time. */
    private static final class Direction {
        final FaultModel faults;
        final byte[][] slots;
        final int[] lengths;
        final long[] deliverAt;
        final boolean[] used;
        /**
         * One past the highest slot in use: the scans stop there. freeSlot takes the lowest free
         * slot, so in-flight segments stay packed at the bottom; a benchmark with a few dozen in
         * flight scans those instead of every slot (the full scans were a quarter of TcpBulkBenchmark's samples).
         */
        int highWater;
        int count;
        long delivered;
        long dropped;
        long overflowed;

        Direction(FaultModel faults, int slots, int mtu) {
            this.faults = faults;
            this.slots = new byte[slots][OFFSET + mtu];
            this.lengths = new int[slots];
            this.deliverAt = new long[slots];
            this.used = new boolean[slots];
        }

        void enqueue(byte[] buffer, int offset, int length, long now) {
            if (faults.loss > 0 && faults.nextDouble() < faults.loss) {
                dropped++;
                return;
            }
            int copies = faults.duplicate > 0 && faults.nextDouble() < faults.duplicate ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                int slot = freeSlot();
                if (slot < 0) {
                    overflowed++;
                    return;
                }
                System.arraycopy(buffer, offset, slots[slot], OFFSET, length);
                if (faults.corrupt > 0 && faults.nextDouble() < faults.corrupt) {
                    int bit = faults.nextInt(length * 8);
                    slots[slot][OFFSET + bit / 8] ^= (byte) (1 << (bit & 7));
                }
                long delay = faults.latencyNanos;
                if (faults.reorder > 0 && faults.nextDouble() < faults.reorder) {
                    delay += faults.reorderDelayNanos;
                }
                lengths[slot] = length;
                deliverAt[slot] = now + delay + c;
                used[slot] = true;
                count++;
            }
        }

        private int freeSlot() {
            if (count == used.length) {
                return -1;
            }
            for (int i = 0; i < used.length; i++) {
                if (!used[i]) {
                    if (i >= highWater) {
                        highWater = i + 1;
                    }
                    return i;
                }
            }
            return -1;
        }

        long earliest() {
            long best = 0;
            boolean found = false;
            for (int i = 0; i < highWater; i++) {
                if (used[i] && (!found || deliverAt[i] - best < 0)) {
                    best = deliverAt[i];
                    found = true;
                }
            }
            return best;
        }

        /** Delivers every due segment, earliest first. */
        void deliverDue(TcpLayer receiver, int source, int destination, long now) {
            while (count > 0) {
                int best = -1;
                for (int i = 0; i < highWater; i++) {
                    if (used[i] && deliverAt[i] - now <= 0 && (best < 0 || deliverAt[i] - deliverAt[best] < 0)) {
                        best = i;
                    }
                }
                if (best < 0) {
                    return;
                }
                used[best] = false;
                count--;
                while (highWater > 0 && !used[highWater - 1]) {
                    highWater--;
                }
                delivered++;
                receiver.receive(source, destination, false, slots[best], OFFSET, lengths[best], now);
            }
        }
    }

    /** What each layer sends through. */
    private static final class Output extends FrameBufferIpv4Output {
        private final Direction direction;
        private final int segmentedLimit;
        long segmentedSends;
        int lastSegmentPayload;
        long malformedSegmented;

        Output(int address, Direction direction, int mtu, int segmentedLimit) {
            super(address, mtu, segmentedLimit);
            this.direction = direction;
            this.segmentedLimit = segmentedLimit;
        }

        @Override
        public int maxSegmentedTransportLength() {
            return segmentedLimit;
        }

        @Override
        public boolean sendSegmented(int destination, int transportLength, int segmentPayload, long nowNanos) {
            byte[] buffer = transmitBuffer();
            int header = ((buffer[TRANSPORT_OFFSET + 12] >> 4) & 0x0F) * 4;
            if (transportLength > segmentedLimit || segmentPayload <= 0 || (transportLength - header) % segmentPayload != 0
                    || !dev.spinet.wire.Checksum.verifies(dev.spinet.wire.Checksum.pseudoHeaderSum(localAddress(), destination,
                            6, transportLength) + dev.spinet.wire.Checksum.sum(buffer, TRANSPORT_OFFSET, transportLength))) {
                malformedSegmented++;
            }
            segmentedSends++;
            lastSegmentPayload = segmentPayload;
            direction.enqueue(buffer, TRANSPORT_OFFSET, transportLength, nowNanos);
            return true;
        }

        @Override
        public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
            direction.enqueue(transmitBuffer(), TRANSPORT_OFFSET, transportLength, nowNanos);
            return true;
        }
    }
}
