package dev.spinet.harness.net;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import java.util.Arrays;

/**
 * An in-memory Ethernet hub: any number of {@link FrameDevice} ports, and a frame transmitted on
 * one port is copied into the receive queue of every other port. Like a real hub it does no MAC
 * filtering (each receiver drops frames not addressed to it) and it never reorders.
 *
 * <h2>Time</h2>
 * A frame sent at clock time {@code t} becomes receivable once the clock reads at least
 * {@code t + latencyNanos()} (default 0: at once). With a {@code ManualClock} the test decides when
 * that is; queues are FIFO, so a frame never overtakes an earlier one.
 *
 * <p>With a {@link #linkRate(LinkRate) link rate} a frame also occupies the wire for its length
 * ({@link LinkRate#frameNanos}): it starts when its sender's transmitter (full duplex) or the
 * shared medium (half duplex) is free, and becomes receivable when its last bit has arrived, plus
 * the latency. So a burst handed over at once arrives one frame time apart, and on a half-duplex
 * wire the two directions take turns. {@link Port#transmitDoneAt()} tells a sender when its last
 * frame has left (a chip with one transmit buffer cannot take the next frame before).
 *
 * <h2>Memory</h2>
 * Each port owns a fixed queue, allocated by {@link #connect}: {@value #DEFAULT_QUEUE_FRAMES}
 * frames of {@value #DEFAULT_FRAME_BYTES} bytes unless set by
 * {@link #VirtualWire(NanoClock, int, int)}. When a port's queue is full the copy for that port
 * is dropped and counted ({@link Port#dropped()}); nothing grows. {@code transmit} and
 * {@code receive} allocate nothing.
 *
 * <h2>What the wire does to frames</h2>
 * Frames shorter than 60 bytes are zero-padded to 60, as a real MAC pads them, so receivers see
 * the padding they see on a real network (an IPv4 total length shorter than the frame). The tap
 * ({@link #tap(FrameListener)}) sees each frame once, as it travels. A port whose link is down
 * ({@link #setLinkUp}) refuses to transmit ({@code transmit} returns false) and receives nothing
 * (copies for it are counted in {@link Port#lostLinkDown()}); frames already queued stay.
 *
 * <h2>Threads</h2>
 * The norm is single-threaded: one test thread polls every stack on the wire in turn, which makes
 * runs exact and repeatable. Every method still synchronizes on the wire (uncontended locks cost
 * little and allocate nothing), so a board running on its own thread (the demo, an emulator) is
 * safe; ordering across threads is then up to the scheduler.
 */
public final class VirtualWire {

    /** Frames each port's receive queue holds by default. */
    public static final int DEFAULT_QUEUE_FRAMES = 512;
    /** Largest frame by default: a 1500-byte MTU plus the 14-byte Ethernet header (no FCS). */
    public static final int DEFAULT_FRAME_BYTES = 1514;
    /** The minimum Ethernet frame without FCS; shorter frames are zero-padded to this. */
    public static final int MIN_FRAME_LENGTH = 60;

    private final NanoClock clock;
    private final int queueFrames;
    private final int frameBytes;
    private Port[] ports = new Port[0];
    private long latencyNanos;
    private LinkRate linkRate;
    /** Half duplex: when the shared medium is free again. */
    private long mediumFreeAt;
    private FrameListener tap;
    private long transmitted;
    private long delivered;

    /** A hub with default queues ({@value #DEFAULT_QUEUE_FRAMES} frames of {@value #DEFAULT_FRAME_BYTES} bytes per port). */
    public VirtualWire(NanoClock clock) {
        this(clock, DEFAULT_QUEUE_FRAMES, DEFAULT_FRAME_BYTES);
    }

    /**
     * A hub whose ports each queue {@code queueFrames} frames of at most {@code frameBytes} bytes
     * (the ports' {@link FrameDevice#maxFrameLength()}; their MTU is {@code frameBytes - 14}).
     */
    public VirtualWire(NanoClock clock, int queueFrames, int frameBytes) {
        if (clock == null) {
            throw new IllegalArgumentException("VirtualWire needs a clock: pass a ManualClock in tests or NanoClock.SYSTEM");
        }
        if (queueFrames < 1) {
            throw new IllegalArgumentException("queueFrames must be at least 1, was " + queueFrames);
        }
        if (frameBytes < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("frameBytes must be at least " + MIN_FRAME_LENGTH + " (the minimum Ethernet frame), was " + frameBytes);
        }
        this.clock = clock;
        this.queueFrames = queueFrames;
        this.frameBytes = frameBytes;
    }

    /**
     * Plugs a new port into the hub (allocates its queue).
     *
     * @param name a unique name, used by the tap and in messages
     * @param mac the port's MAC address (48 bits, see {@link MacAddress})
     * @throws IllegalArgumentException if the name is taken
     */
    public synchronized Port connect(String name, long mac) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a port needs a non-empty name");
        }
        for (Port port : ports) {
            if (port.name.equals(name)) {
                throw new IllegalArgumentException("a port named '" + name + "' is already connected to this wire: pick another name");
            }
        }
        Port port = new Port(name, mac & 0xFFFF_FFFF_FFFFL);
        Port[] grown = Arrays.copyOf(ports, ports.length + 1);
        grown[ports.length] = port;
        ports = grown;
        return port;
    }

    /** The port called {@code name}, or {@code null}. */
    public synchronized Port port(String name) {
        for (Port port : ports) {
            if (port.name.equals(name)) {
                return port;
            }
        }
        return null;
    }

    /** How many ports are connected. */
    public synchronized int portCount() {
        return ports.length;
    }

    /** Sets the one-way latency for frames sent from now on (0 = receivable at once). */
    public synchronized void latencyNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must be >= 0 ns, was " + nanos);
        }
        latencyNanos = nanos;
    }

    /** The current one-way latency. */
    public synchronized long latencyNanos() {
        return latencyNanos;
    }

    /**
     * Gives the wire a bit rate for frames sent from now on, or with {@code null} takes it away
     * (frames then travel in no time, the default).
     */
    public synchronized void linkRate(LinkRate rate) {
        linkRate = rate;
        mediumFreeAt = clock.nanoTime();
        for (Port port : ports) {
            port.transmitterFreeAt = mediumFreeAt;
        }
    }

    /** The bit rate, or null when frames take no time. */
    public synchronized LinkRate linkRate() {
        return linkRate;
    }

    /** Sets (or with {@code null} removes) the tap that sees every frame put on the wire. */
    public synchronized void tap(FrameListener listener) {
        tap = listener;
    }

    /** Plugs or unplugs a port's cable. */
    public synchronized void setLinkUp(FrameDevice port, boolean up) {
        own(port).linkUp = up;
    }

    /** Frames dropped because {@code port}'s queue was full. */
    public synchronized long dropped(FrameDevice port) {
        return own(port).dropped;
    }

    /** Frames put on the wire (accepted by some port's {@code transmit}). */
    public synchronized long transmitted() {
        return transmitted;
    }

    /** Copies enqueued into receivers' queues, summed over ports (a frame reaching 3 ports counts 3). */
    public synchronized long delivered() {
        return delivered;
    }

    /** Copies dropped on full queues, summed over ports. */
    public synchronized long dropped() {
        long sum = 0;
        for (Port port : ports) {
            sum += port.dropped;
        }
        return sum;
    }

    /** The clock the wire stamps frames with. */
    public NanoClock clock() {
        return clock;
    }

    /**
     * When the earliest queued frame becomes receivable on any port, or
     * {@code now + Long.MAX_VALUE / 4} if nothing is in flight (lets a simulator jump time).
     */
    public synchronized long nextDeliveryTime(long now) {
        long next = now + Long.MAX_VALUE / 4;
        for (Port port : ports) {
            if (port.count > 0 && port.readyAt[port.head] - next < 0) {
                next = port.readyAt[port.head];
            }
        }
        return next;
    }

    /**
     * Like {@link #nextDeliveryTime(long)} for every port but {@code except}: when the other
     * stations next have a frame to take (a simulation stepping a peer through time while the
     * station on {@code except} is busy).
     */
    public synchronized long nextDeliveryTimeExcept(Port except, long now) {
        long next = now + Long.MAX_VALUE / 4;
        for (Port port : ports) {
            if (port != except && port.count > 0 && port.readyAt[port.head] - next < 0) {
                next = port.readyAt[port.head];
            }
        }
        return next;
    }

    private Port own(FrameDevice device) {
        if (device instanceof Port port && port.wire() == this) {
            return port;
        }
        throw new IllegalArgumentException(device + " is not a port of this wire: pass the FrameDevice that connect() returned");
    }

    /** Called with the wire's lock held. */
    private boolean send(Port from, byte[] frame, int offset, int length) {
        if (length < FrameDevice.ETHERNET_HEADER_LENGTH || length > frameBytes) {
            throw new IllegalArgumentException("frame length " + length + " is outside 14.." + frameBytes
                    + " bytes (header .. maxFrameLength()): the caller built a bad frame");
        }
        java.util.Objects.checkFromIndexSize(offset, length, frame.length);
        if (!from.linkUp) {
            from.rejectedLinkDown++;
            return false;
        }
        long now = clock.nanoTime();
        int wireLength = Math.max(length, MIN_FRAME_LENGTH);
        long arrives = now;
        LinkRate rate = linkRate;
        if (rate != null) {
            long free = rate.halfDuplex() ? mediumFreeAt : from.transmitterFreeAt;
            long start = free - now > 0 ? free : now;
            arrives = start + rate.frameNanos(length);
            if (rate.halfDuplex()) {
                mediumFreeAt = arrives;
            }
        }
        from.transmitterFreeAt = arrives;
        long readyAt = arrives + latencyNanos;
        transmitted++;
        from.transmitted++;
        Port[] all = ports;
        // The first receiver's slot doubles as the padded copy the tap sees; with no receiver the
        // sender's scratch buffer does.
        byte[] padded = null;
        for (int i = 0; i < all.length; i++) {
            Port to = all[i];
            if (to == from) {
                continue;
            }
            if (!to.linkUp) {
                to.lostLinkDown++;
                continue;
            }
            byte[] slot = to.enqueue(frame, offset, length, wireLength, readyAt);
            if (slot == null) {
                continue;
            }
            delivered++;
            if (padded == null) {
                padded = slot;
            }
        }
        FrameListener listener = tap;
        if (listener != null) {
            if (padded == null) {
                padded = from.scratch;
                System.arraycopy(frame, offset, padded, 0, length);
                Arrays.fill(padded, length, wireLength, (byte) 0);
            }
            listener.onFrame(from.name, padded, 0, wireLength, now);
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "VirtualWire[ports=" + ports.length + ", latency=" + latencyNanos + " ns, transmitted=" + transmitted
                + ", delivered=" + delivered + ", dropped=" + dropped() + "]";
    }

    /**
     * One port of the hub: a {@link FrameDevice} with a fixed receive queue. Obtain it from
     * {@link VirtualWire#connect}. Its methods lock the wire.
     */
    public final class Port implements FrameDevice {

        private final String name;
        private final long mac;
        private final byte[][] slots;
        private final int[] lengths;
        private final long[] readyAt;
        /** Used only to show the tap a padded frame when no other port is connected. */
        private final byte[] scratch;
        private int head;
        private int count;
        private boolean linkUp = true;
        /** With a link rate: when this port's last frame has left (its transmitter is free). */
        private long transmitterFreeAt;
        private long transmitted;
        private long queued;
        private long received;
        private long dropped;
        private long tooLong;
        private long rejectedLinkDown;
        private long lostLinkDown;

        private Port(String name, long mac) {
            this.name = name;
            this.mac = mac;
            this.slots = new byte[queueFrames][frameBytes];
            this.lengths = new int[queueFrames];
            this.readyAt = new long[queueFrames];
            this.scratch = new byte[frameBytes];
            this.transmitterFreeAt = clock.nanoTime();
        }

        private VirtualWire wire() {
            return VirtualWire.this;
        }

        /** Copies a frame into the tail slot; returns the slot, or null (and counts) when full. */
        private byte[] enqueue(byte[] frame, int offset, int length, int wireLength, long ready) {
            if (count == slots.length) {
                dropped++;
                return null;
            }
            int tail = head + count;
            if (tail >= slots.length) {
                tail -= slots.length;
            }
            byte[] slot = slots[tail];
            System.arraycopy(frame, offset, slot, 0, length);
            if (wireLength > length) {
                Arrays.fill(slot, length, wireLength, (byte) 0);
            }
            lengths[tail] = wireLength;
            readyAt[tail] = ready;
            count++;
            queued++;
            return slot;
        }

        @Override
        public int receive(byte[] buffer, int offset, int capacity) {
            synchronized (VirtualWire.this) {
                if (count == 0 || readyAt[head] - clock.nanoTime() > 0) {
                    return NO_FRAME;
                }
                int length = lengths[head];
                int result;
                if (length > capacity) {
                    tooLong++;
                    result = FRAME_TOO_LONG;
                } else {
                    System.arraycopy(slots[head], 0, buffer, offset, length);
                    received++;
                    result = length;
                }
                head = head + 1 == slots.length ? 0 : head + 1;
                count--;
                return result;
            }
        }

        @Override
        public boolean transmit(byte[] frame, int offset, int length) {
            synchronized (VirtualWire.this) {
                return send(this, frame, offset, length);
            }
        }

        /** Returns at once when a frame is receivable, else sleeps for the timeout (real time). */
        @Override
        public void awaitReceive(long timeoutNanos) throws InterruptedException {
            synchronized (VirtualWire.this) {
                if (count > 0 && readyAt[head] - clock.nanoTime() <= 0) {
                    return;
                }
            }
            FrameDevice.super.awaitReceive(timeoutNanos);
        }

        @Override
        public long macAddress() {
            return mac;
        }

        @Override
        public boolean linkUp() {
            synchronized (VirtualWire.this) {
                return linkUp;
            }
        }

        @Override
        public int maxFrameLength() {
            return frameBytes;
        }

        @Override
        public int mtu() {
            return frameBytes - ETHERNET_HEADER_LENGTH;
        }

        /**
         * When the last frame this port sent has completely left it (with a
         * {@link VirtualWire#linkRate link rate}; the time of the last send without one). On a
         * half-duplex wire that frame may first have waited for the medium.
         */
        public long transmitDoneAt() {
            synchronized (VirtualWire.this) {
                return transmitterFreeAt;
            }
        }

        /** The name given to {@link VirtualWire#connect}. */
        public String name() {
            return name;
        }

        /** Frames waiting in this port's queue, receivable or not yet. */
        public int pending() {
            synchronized (VirtualWire.this) {
                return count;
            }
        }

        /** Frames this port put on the wire. */
        public long transmitted() {
            synchronized (VirtualWire.this) {
                return transmitted;
            }
        }

        /** Frames copied into this port's queue. */
        public long queued() {
            synchronized (VirtualWire.this) {
                return queued;
            }
        }

        /** Frames taken out by {@link #receive} (not counting {@link #tooLong()}). */
        public long received() {
            synchronized (VirtualWire.this) {
                return received;
            }
        }

        /** Frames lost because this port's queue was full. */
        public long dropped() {
            synchronized (VirtualWire.this) {
                return dropped;
            }
        }

        /** Frames discarded by {@link #receive} because the caller's capacity was too small. */
        public long tooLong() {
            synchronized (VirtualWire.this) {
                return tooLong;
            }
        }

        /** Transmit attempts refused because this port's link was down. */
        public long rejectedLinkDown() {
            synchronized (VirtualWire.this) {
                return rejectedLinkDown;
            }
        }

        /** Frames that would have reached this port while its link was down. */
        public long lostLinkDown() {
            synchronized (VirtualWire.this) {
                return lostLinkDown;
            }
        }

        @Override
        public String toString() {
            return "VirtualWire.Port[" + name + " " + MacAddress.format(mac) + "]";
        }
    }
}
