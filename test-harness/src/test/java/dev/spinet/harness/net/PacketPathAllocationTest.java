package dev.spinet.harness.net;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The harness sits on the stack's packet path in every whole-stack test: it must not allocate either. */
@Tag("allocation")
class PacketPathAllocationTest {

    private final ManualClock clock = new ManualClock();
    private final byte[] frame = VirtualWireTest.frame(2, 1, 0x33, 98);
    private final byte[] buffer = new byte[1514];

    @Test
    void virtualWireTransmitAndReceiveWithLatencyAndTap() {
        VirtualWire wire = new VirtualWire(clock, 8, 1514);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        wire.latencyNanos(100);
        long[] tapped = new long[1];
        wire.tap((port, bytes, off, len, now) -> tapped[0] += len);
        Runnable exchange = () -> {
            a.transmit(frame, 0, frame.length);
            clock.advance(100);
            b.receive(buffer, 0, buffer.length);
        };
        AllocationAssert.assertZeroAllocation("VirtualWire transmit + receive", exchange);
    }

    @Test
    void faultInjectorWithEveryFaultOn() {
        VirtualWire wire = new VirtualWire(clock, 64, 1514);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        FaultInjector faults = new FaultInjector(a, clock, 42L)
                .loss(0.1).duplication(0.1).reordering(0.1).corruption(0.1).delay(1_000, 1_000);
        Runnable exchange = () -> {
            faults.transmit(frame, 0, frame.length);
            clock.advance(1_000);
            faults.receive(buffer, 0, buffer.length);
            while (b.receive(buffer, 0, buffer.length) > 0) {
                // drain
            }
        };
        AllocationAssert.assertZeroAllocation("FaultInjector transmit + flush", exchange);
    }
}
