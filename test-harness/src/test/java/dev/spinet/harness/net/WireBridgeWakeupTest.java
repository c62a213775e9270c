package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.testkit.QueueFrameDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WireBridge#awaitTraffic} is the stack thread's idle wait on the timing model
 * ({@code spinet run --hal sim-* --spi-clock}): it sleeps in the outside device's
 * {@code awaitReceive} ({@code poll(2)} on the TAP and the stack's eventfd). When that sleep ends
 * early with no frame, an application thread has signalled the eventfd for a request it queued
 * (java.net sockets): the wait must end then, not sleep on until the timer it was given, which
 * delayed every socket request on the timing model by up to the stack thread's idle cap.
 */
@Timeout(10)
class WireBridgeWakeupTest {

    private static final long A = 0x0200_0000_000AL;
    private static final long B = 0x0200_0000_000BL;

    /** An outside device whose sleep ends at once with nothing received: a wake-up signal. */
    private static final class SignalledDevice extends FrameDeviceDecorator {
        int sleeps;

        SignalledDevice() {
            super(new QueueFrameDevice(B));
        }

        @Override
        public void awaitReceive(long timeoutNanos) {
            if (++sleeps > 1_000) {
                throw new IllegalStateException("the wait went back to sleep " + sleeps + " times after the wake-up signal");
            }
        }
    }

    @Test
    void aWakeupSignalWithoutAFrameEndsTheWait() throws InterruptedException {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        wire.linkRate(LinkRate.HUNDRED_BASE_TX_FULL);
        wire.connect("chip", A);
        SignalledDevice tap = new SignalledDevice();
        WireBridge bridge = new WireBridge(wire, wire.connect("tap", B), tap);
        bridge.awaitTraffic(10_000_000_000L);
        assertEquals(1, tap.sleeps, "one sleep, ended by the signal");
    }
}
