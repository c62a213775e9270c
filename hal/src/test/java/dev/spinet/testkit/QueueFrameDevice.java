package dev.spinet.testkit;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The {@link FrameDevice} for tests that drive a stack frame by frame: the test queues frames for
 * the stack to receive and takes the frames the stack sent.
 *
 * <h2>Receiving</h2>
 * {@link #inject} queues a copy of a frame; {@link #injectWithoutCopy} queues the array itself,
 * so a test can prepare a few frames once, change them in place between polls and hand them out
 * without allocating (the allocation tests and the benchmarks do). A queued frame longer than the
 * caller's capacity is consumed and reported as {@link #FRAME_TOO_LONG}, as the contract says.
 * Queued frames are not checked against {@link #maxFrameLength()}: fuzz tests feed any bytes.
 *
 * <h2>Sending</h2>
 * An accepted frame is copied into {@link #sent()} exactly as the stack handed it over (the
 * padding to 60 bytes belongs to the hardware, so it is not added here), unless
 * {@link #discardSent} was called, in which case it is only counted: transmit then allocates
 * nothing. {@link #refuseTransmit} makes every transmit return false (a full transmit buffer),
 * and so does a link taken down with {@link #setLinkUp}. Refused frames are not counted.
 *
 * <p>Not thread-safe: one test thread owns it, like any FrameDevice.
 */
public final class QueueFrameDevice implements FrameDevice {

    private final long mac;
    private final ArrayDeque<byte[]> toReceive = new ArrayDeque<>();
    private final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    private int mtu = 1500;
    private boolean keepSent = true;
    private boolean refuseTransmit;
    private boolean linkUp = true;
    private long sentCount;

    /** A device with MAC {@code mac} (48 bits, see {@link MacAddress}) and a 1500-byte MTU. */
    public QueueFrameDevice(long mac) {
        this.mac = mac;
    }

    /** Queues a copy of {@code frame} to be received. */
    public void inject(byte[] frame) {
        toReceive.add(frame.clone());
    }

    /**
     * Queues {@code frame} itself to be received: its bytes are read when the stack receives it,
     * so the caller may still change them until then. Allocates nothing once the queue has held
     * as many frames before.
     */
    public void injectWithoutCopy(byte[] frame) {
        toReceive.add(frame);
    }

    /** Frames queued and not yet received. */
    public int pendingReceive() {
        return toReceive.size();
    }

    /** Takes the oldest sent frame, or returns null when none is left. */
    public byte[] takeSent() {
        return sent.poll();
    }

    /**
     * The sent frames, oldest first, as a live queue the test may inspect and edit (put a taken
     * frame back, drop the ARP traffic, clear it).
     */
    public Deque<byte[]> sent() {
        return sent;
    }

    /** Frames accepted by {@link #transmit} so far, kept or discarded. */
    public long sentCount() {
        return sentCount;
    }

    /** From now on accepted frames are only counted, not kept: transmit allocates nothing. */
    public QueueFrameDevice discardSent() {
        keepSent = false;
        sent.clear();
        return this;
    }

    /** While {@code true}, transmit returns false, as a device whose transmit buffer is full. */
    public void refuseTransmit(boolean refuse) {
        refuseTransmit = refuse;
    }

    /** Sets the MTU, and with it {@link #maxFrameLength()} (MTU + 14). */
    public QueueFrameDevice mtu(int mtu) {
        if (mtu < 68) {
            throw new IllegalArgumentException("IPv4 needs an MTU of at least 68 (RFC 791), was " + mtu);
        }
        this.mtu = mtu;
        return this;
    }

    /** Plugs or pulls the cable: while the link is down, transmit returns false. */
    public void setLinkUp(boolean up) {
        linkUp = up;
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        byte[] frame = toReceive.poll();
        if (frame == null) {
            return NO_FRAME;
        }
        if (frame.length > capacity) {
            return FRAME_TOO_LONG;
        }
        System.arraycopy(frame, 0, buffer, offset, frame.length);
        return frame.length;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > maxFrameLength()) {
            throw new IllegalArgumentException("frame length " + length + " outside " + ETHERNET_HEADER_LENGTH + ".."
                    + maxFrameLength() + " (MTU " + mtu + " + 14-byte header)");
        }
        if (refuseTransmit || !linkUp) {
            return false;
        }
        sentCount++;
        if (keepSent) {
            sent.add(Arrays.copyOfRange(frame, offset, offset + length));
        }
        return true;
    }

    /** Returns at once when a frame is queued; otherwise sleeps as the default does. */
    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        if (toReceive.isEmpty()) {
            FrameDevice.super.awaitReceive(timeoutNanos);
        }
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public boolean linkUp() {
        return linkUp;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public String toString() {
        return "QueueFrameDevice[" + MacAddress.format(mac) + ", " + toReceive.size() + " to receive, " + sent.size()
                + " sent kept, " + sentCount + " sent]";
    }
}
