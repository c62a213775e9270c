package dev.spinet.harness.net;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.stats.Counters;

/**
 * A {@link FrameDevice} decorator that damages TRANSMITTED frames the way a bad network does:
 * loss, duplication, reordering, a flipped bit, delay with jitter, and partition. Received
 * frames pass through untouched (put an injector on each side to damage both directions).
 *
 * <h2>Reproducible</h2>
 * Every random choice comes from a {@link SplitMix64} seeded at construction, and every frame
 * draws the same number of random values whatever the settings, so the same seed, settings and
 * traffic give the same faults, frame by frame. The seed is in {@link #toString()} and is
 * recorded with {@link Seeds#record} so {@link SeedReporter} prints it when a test fails.
 *
 * <h2>Order of faults for one frame</h2>
 * partition (drop) &rarr; loss (drop) &rarr; corruption (one bit after the 14-byte Ethernet
 * header, so it reaches the IP/TCP checksums instead of the MAC filter; a real FCS would catch
 * it, so this models a corrupting middlebox) &rarr; duplication (two copies) &rarr; reordering
 * (the first copy is held until a later frame has been forwarded, or until the hold time passes)
 * &rarr; delay ({@code delay + uniform[0, jitter]}; jitter alone may reorder frames).
 *
 * <h2>Memory and who releases held frames</h2>
 * Held (reordered or delayed) frames sit in a ring of fixed slots allocated at construction
 * (default {@value #DEFAULT_HOLD_SLOTS} frames of {@code inner.maxFrameLength()} bytes); when it
 * is full, {@code transmit} returns {@code false} and {@link Fault#HOLD_RING_FULL} counts it.
 * Frames due by the clock are released at the start of every {@link #transmit} and
 * {@link #receive} call, so a stack that polls this device drives it by itself. A test that
 * stops polling calls {@link #flush(long)}. Nothing allocates after construction. Not
 * thread-safe: one thread owns the device, as with every FrameDevice.
 */
public final class FaultInjector extends FrameDeviceDecorator {

    /** Default number of frames that can be held back at once. */
    public static final int DEFAULT_HOLD_SLOTS = 256;
    /** Default longest time a reordered frame waits for a later frame to overtake it: 1 ms. */
    public static final long DEFAULT_REORDER_HOLD_NANOS = 1_000_000L;

    private final NanoClock clock;
    private final long seed;
    private final SplitMix64 random;
    private final Counters<Fault> counters = new Counters<>(Fault.class);

    private double loss;
    private double duplication;
    private double reordering;
    private long reorderHoldNanos = DEFAULT_REORDER_HOLD_NANOS;
    private double corruption;
    private long delayNanos;
    private long jitterNanos;
    private boolean partitioned;

    /** Frames offered so far: orders held frames and tells "a later frame" apart. */
    private long frameNumber;
    private final byte[] scratch;
    private final byte[][] held;
    private final int[] heldLength;
    private final long[] heldDue;
    private final long[] heldNumber;
    /** The held frame waits for a later frame to be forwarded (reordering), not only for its time. */
    private final boolean[] heldUntilOvertaken;
    private final boolean[] heldInUse;
    private int heldCount;

    /** An injector with no faults switched on and {@value #DEFAULT_HOLD_SLOTS} hold slots. */
    public FaultInjector(FrameDevice inner, NanoClock clock, long seed) {
        this(inner, clock, seed, DEFAULT_HOLD_SLOTS);
    }

    /** An injector that can hold {@code holdSlots} frames back at once. */
    public FaultInjector(FrameDevice inner, NanoClock clock, long seed, int holdSlots) {
        if (inner == null || clock == null) {
            throw new IllegalArgumentException("FaultInjector needs the device it decorates and a clock");
        }
        if (holdSlots < 1) {
            throw new IllegalArgumentException("holdSlots must be at least 1, was " + holdSlots);
        }
        super(inner);
        this.clock = clock;
        this.seed = seed;
        this.random = new SplitMix64(seed);
        int frameBytes = inner.maxFrameLength();
        this.scratch = new byte[frameBytes];
        this.held = new byte[holdSlots][frameBytes];
        this.heldLength = new int[holdSlots];
        this.heldDue = new long[holdSlots];
        this.heldNumber = new long[holdSlots];
        this.heldUntilOvertaken = new boolean[holdSlots];
        this.heldInUse = new boolean[holdSlots];
        Seeds.record(seed);
    }

    private static double probability(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(what + " probability must be in [0, 1], was " + p);
        }
        return p;
    }

    /** Drops each frame with probability {@code p}. */
    public FaultInjector loss(double p) {
        loss = probability(p, "loss");
        return this;
    }

    /** Sends each frame twice with probability {@code p}. */
    public FaultInjector duplication(double p) {
        duplication = probability(p, "duplication");
        return this;
    }

    /**
     * Holds a frame back with probability {@code p} until a later frame has been forwarded, or
     * at most {@value #DEFAULT_REORDER_HOLD_NANOS} ns.
     */
    public FaultInjector reordering(double p) {
        return reordering(p, DEFAULT_REORDER_HOLD_NANOS);
    }

    /** As {@link #reordering(double)} with the longest hold set to {@code holdNanos}. */
    public FaultInjector reordering(double p, long holdNanos) {
        if (holdNanos < 0) {
            throw new IllegalArgumentException("reorder hold must be >= 0 ns, was " + holdNanos);
        }
        reordering = probability(p, "reordering");
        reorderHoldNanos = holdNanos;
        return this;
    }

    /** Flips one random bit after the Ethernet header with probability {@code p}. */
    public FaultInjector corruption(double p) {
        corruption = probability(p, "corruption");
        return this;
    }

    /** Delays every frame by {@code nanos} plus a uniform random {@code [0, jitterNanos]}. */
    public FaultInjector delay(long nanos, long jitterNanos) {
        if (nanos < 0 || jitterNanos < 0) {
            throw new IllegalArgumentException("delay and jitter must be >= 0 ns, were " + nanos + " and " + jitterNanos);
        }
        delayNanos = nanos;
        this.jitterNanos = jitterNanos;
        return this;
    }

    /** While on, every transmitted frame is dropped (a cut cable that the link state does not show). */
    public FaultInjector partition(boolean on) {
        partitioned = on;
        return this;
    }

    /** The seed this injector's faults come from. */
    public long seed() {
        return seed;
    }

    /** How often {@code fault} happened. */
    public long count(Fault fault) {
        return counters.get(fault);
    }

    /** All counters (live; {@code snapshot()} for a copy). */
    public Counters<Fault> counters() {
        return counters;
    }

    /** Frames held back (reordered or delayed) right now. */
    public int held() {
        return heldCount;
    }

    /**
     * When the earliest held frame is due by the clock, or {@code now + Long.MAX_VALUE / 4} when
     * none is held (the convention of {@code DutyCycle.nextDeadline}), so a simulator can wake up
     * for a reordered or delayed frame when nothing else would happen before it.
     */
    public long nextReleaseNanos(long nowNanos) {
        long next = nowNanos + Long.MAX_VALUE / 4;
        for (int slot = 0; slot < held.length && heldCount > 0; slot++) {
            if (heldInUse[slot] && heldDue[slot] - next < 0) {
                next = heldDue[slot];
            }
        }
        return next;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > inner.maxFrameLength()) {
            throw new IllegalArgumentException("frame length " + length + " is outside 14.." + inner.maxFrameLength()
                    + " bytes (header .. maxFrameLength()): the caller built a bad frame");
        }
        long now = clock.nanoTime();
        flush(now);
        long number = ++frameNumber;
        counters.increment(Fault.OFFERED);
        // Always the same six draws per frame, so switching one fault on does not shift the others.
        double lossDraw = random.nextDouble();
        double corruptDraw = random.nextDouble();
        double duplicateDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        long bitDraw = random.nextLong();
        long jitterDraw = random.nextLong();

        if (partitioned) {
            counters.increment(Fault.PARTITIONED);
            return true;
        }
        if (lossDraw < loss) {
            counters.increment(Fault.LOST);
            return true;
        }
        byte[] source = frame;
        int sourceOffset = offset;
        if (corruptDraw < corruption) {
            System.arraycopy(frame, offset, scratch, 0, length);
            flipOneBit(scratch, length, bitDraw);
            source = scratch;
            sourceOffset = 0;
            counters.increment(Fault.CORRUPTED);
        }
        int copies = 1;
        if (duplicateDraw < duplication) {
            copies = 2;
            counters.increment(Fault.DUPLICATED);
        }
        long delay = delayNanos;
        if (jitterNanos > 0) {
            delay += Long.remainderUnsigned(jitterDraw, jitterNanos + 1);
        }
        boolean accepted = true;
        for (int copy = 0; copy < copies; copy++) {
            if (copy == 0 && reorderDraw < reordering) {
                if (!hold(source, sourceOffset, length, now + delay + reorderHoldNanos, number, true)) {
                    return false;
                }
                counters.increment(Fault.REORDERED);
            } else if (delay > 0) {
                if (!hold(source, sourceOffset, length, now + delay, number, false)) {
                    return false;
                }
                counters.increment(Fault.DELAYED);
            } else {
                accepted &= forward(source, sourceOffset, length, number);
            }
        }
        return accepted;
    }

    private static void flipOneBit(byte[] frame, int length, long draw) {
        int start = length > ETHERNET_HEADER_LENGTH ? ETHERNET_HEADER_LENGTH : 0;
        long bits = (long) (length - start) * 8;
        long bit = Long.remainderUnsigned(draw, bits);
        frame[start + (int) (bit >>> 3)] ^= (byte) (1 << (int) (bit & 7));
    }

    private boolean hold(byte[] frame, int offset, int length, long due, long number, boolean untilOvertaken) {
        for (int slot = 0; slot < held.length; slot++) {
            if (!heldInUse[slot]) {
                System.arraycopy(frame, offset, held[slot], 0, length);
                heldLength[slot] = length;
                heldDue[slot] = due;
                heldNumber[slot] = number;
                heldUntilOvertaken[slot] = untilOvertaken;
                heldInUse[slot] = true;
                heldCount++;
                return true;
            }
        }
        counters.increment(Fault.HOLD_RING_FULL);
        return false;
    }

    /** Sends to the inner device, then lets out reordered frames that this one has overtaken. */
    private boolean forward(byte[] frame, int offset, int length, long number) {
        boolean accepted = inner.transmit(frame, offset, length);
        if (accepted) {
            counters.increment(Fault.FORWARDED);
        } else {
            counters.increment(Fault.INNER_REJECTED);
        }
        releaseOvertaken(number);
        return accepted;
    }

    private void releaseOvertaken(long number) {
        while (heldCount > 0) {
            int next = -1;
            for (int slot = 0; slot < held.length; slot++) {
                if (heldInUse[slot] && heldUntilOvertaken[slot] && heldNumber[slot] < number
                        && (next < 0 || heldNumber[slot] < heldNumber[next])) {
                    next = slot;
                }
            }
            if (next < 0) {
                return;
            }
            release(next);
        }
    }

    private void release(int slot) {
        heldInUse[slot] = false;
        heldCount--;
        boolean accepted = inner.transmit(held[slot], 0, heldLength[slot]);
        counters.increment(accepted ? Fault.FORWARDED : Fault.INNER_REJECTED);
    }

    /**
     * Forwards every held frame whose time has come by {@code nowNanos}, earliest due first (ties
     * in sending order). Called by {@link #transmit} and {@link #receive}; call it directly when
     * nothing polls this device (for example to drain it at the end of a test).
     *
     * @return how many frames were forwarded
     */
    public int flush(long nowNanos) {
        int released = 0;
        while (heldCount > 0) {
            int next = -1;
            for (int slot = 0; slot < held.length; slot++) {
                if (heldInUse[slot] && heldDue[slot] - nowNanos <= 0
                        && (next < 0 || heldDue[slot] - heldDue[next] < 0
                            || (heldDue[slot] == heldDue[next] && heldNumber[slot] < heldNumber[next]))) {
                    next = slot;
                }
            }
            if (next < 0) {
                break;
            }
            long number = heldNumber[next];
            release(next);
            released++;
            releaseOvertaken(number);
        }
        return released;
    }

    /** Releases due held frames, then receives from the inner device unchanged. */
    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        flush(clock.nanoTime());
        return inner.receive(buffer, offset, capacity);
    }

    /** Closes the inner device; held frames are discarded. */
    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "FaultInjector[seed=" + seed + " (rerun with -D" + Seeds.PROPERTY + "=" + seed + "), loss=" + loss
                + ", duplication=" + duplication + ", reordering=" + reordering + ", corruption=" + corruption
                + ", delay=" + delayNanos + "+" + jitterNanos + " ns, partition=" + partitioned + ", over " + inner + "]";
    }
}
