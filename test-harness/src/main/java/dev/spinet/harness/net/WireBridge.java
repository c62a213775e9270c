package dev.spinet.harness.net;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import java.util.concurrent.locks.LockSupport;

/**
 * Connects a {@link VirtualWire} port to an outside {@link FrameDevice} (a Linux TAP), as a
 * two-port bridge: what the outside device receives is sent on the wire through the port, what
 * the port receives goes out of the outside device. With a {@link VirtualWire#linkRate link rate}
 * this puts a kernel behind a TAP on a 10 or 100 Mbit/s wire: frames it sends at once reach the
 * other station one frame time apart, and the other station's frames reach the kernel after
 * their frame time.
 *
 * <p>{@link #pump} moves whatever is waiting, both ways; call it often (every duty cycle and
 * after every modelled transaction), since a frame only starts on the wire when pumped.
 * {@link #awaitTraffic} waits for the outside device, but no longer than until the wire delivers
 * its next frame. Single-threaded; {@link #pump} allocates nothing.
 */
public final class WireBridge {

    private static final long MILLISECOND = 1_000_000L;
    /** Above this a wait sleeps in the outside device's millisecond-grained poll. */
    private static final long COARSE_NANOS = 2 * MILLISECOND;
    /** Longest park below it. */
    private static final long SLICE_NANOS = 100_000L;
    /** The end of a wait is a spin, below a park's timer slack. */
    private static final long SPIN_NANOS = 60_000L;

    private final VirtualWire wire;
    private final VirtualWire.Port port;
    private final FrameDevice outside;
    private final NanoClock clock;
    private final byte[] frame;
    private long toWire;
    private long toOutside;
    private long tooLong;

    /**
     * @param wire the wire {@code port} is on
     * @param port this bridge's port on it
     * @param outside the device on the other side (its frames must fit the wire's frame size)
     */
    public WireBridge(VirtualWire wire, VirtualWire.Port port, FrameDevice outside) {
        if (wire == null || port == null || outside == null) {
            throw new IllegalArgumentException("WireBridge needs a wire, its port and the outside device");
        }
        if (wire.port(port.name()) != port) {
            throw new IllegalArgumentException(port + " is not a port of " + wire);
        }
        this.wire = wire;
        this.port = port;
        this.outside = outside;
        this.clock = wire.clock();
        this.frame = new byte[Math.max(port.maxFrameLength(), outside.maxFrameLength())];
    }

    /** Moves every frame waiting on either side to the other; returns how many moved. */
    public int pump() {
        int moved = 0;
        int length;
        while ((length = outside.receive(frame, 0, frame.length)) != FrameDevice.NO_FRAME) {
            if (length < FrameDevice.ETHERNET_HEADER_LENGTH || length > port.maxFrameLength()) {
                tooLong++;
                continue;
            }
            port.transmit(frame, 0, length);
            toWire++;
            moved++;
        }
        while ((length = port.receive(frame, 0, frame.length)) != FrameDevice.NO_FRAME) {
            if (length > 0 && outside.transmit(frame, 0, length)) {
                toOutside++;
                moved++;
            }
        }
        return moved;
    }

    /**
     * Waits until the wire delivers its next frame to the other station, at most
     * {@code timeoutNanos}, moving frames both ways meanwhile (a frame from the outside device
     * starts on the wire when it arrives; one for the outside device leaves when its last bit is
     * in). Long waits sleep in the outside device's {@code awaitReceive} ({@code poll(2)}: whole
     * milliseconds), the last two milliseconds in parks of at most {@value #SLICE_NANOS} ns and a
     * final spin, so a frame due in 300 µs is not handed over a millisecond late. A sleep in the
     * outside device that ends early without a frame ends the wait: that is the device's wake-up
     * signal ({@code TapDevice.wakeOn}), which the caller waits for as much as for traffic.
     */
    public void awaitTraffic(long timeoutNanos) throws InterruptedException {
        long deadline = clock.nanoTime() + timeoutNanos;
        while (true) {
            if (pump() > 0) {
                continue;
            }
            long now = clock.nanoTime();
            long delivery = wire.nextDeliveryTime(now);
            long remaining = (delivery - deadline < 0 ? delivery : deadline) - now;
            if (remaining <= 0) {
                return;
            }
            if (remaining > COARSE_NANOS) {
                // The outside device sleeps in real time (poll(2)), so its sleep is timed on the
                // system clock: the wire's clock may be a model clock running ahead of it.
                long sleep = remaining - MILLISECOND;
                long asleepAt = System.nanoTime();
                outside.awaitReceive(sleep);
                if (pump() == 0 && System.nanoTime() - asleepAt < sleep) {
                    // Woken before its time with no frame: the device's wake-up signal (an
                    // application thread queued a request for the stack thread), not to be slept through.
                    return;
                }
            } else if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(Math.min(remaining - SPIN_NANOS, SLICE_NANOS));
            } else {
                Thread.onSpinWait();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Frames moved from the outside device onto the wire. */
    public long toWire() {
        return toWire;
    }

    /** Frames moved from the wire out of the outside device. */
    public long toOutside() {
        return toOutside;
    }

    /** Frames from the outside device that did not fit the wire (runts, or above its frame size). */
    public long rejected() {
        return tooLong;
    }
}
