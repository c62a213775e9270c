package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.harness.mock.ManualClock;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.TcpSegment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gate the lab studio puts in front of a board's link is on the packet path: asking it and
 * passing, dropping or delaying a frame (then letting it go) allocate nothing, as the rules do.
 */
@Tag("allocation")
class FilteredLinkGateAllocationTest {

    private final byte[] frame = InjectedSegment.frame(Side.A, 40000, 4000, 1, 0, TcpSegment.SYN, 4096);
    private final QueueFrameDevice wire = new QueueFrameDevice(LabRun.mac(Side.A)).discardSent();
    private final ManualClock clock = new ManualClock();
    private final FilteredLink.Verdict[] verdict = {FilteredLink.Verdict.PASS};
    private final FilteredLink link = new FilteredLink(wire, clock).gate((f, o, l) -> verdict[0], LabSession.DELAY_NANOS)
            .drop(FilteredLink.Direction.OUT, TcpMatch.flags(TcpSegment.FIN), -1);

    @Test
    void passingAFrameThroughTheGateAndTheRulesAllocatesNothing() {
        verdict[0] = FilteredLink.Verdict.PASS;
        long before = wire.sentCount();
        link.transmit(frame, 0, frame.length);
        assertEquals(before + 1, wire.sentCount());
        AllocationAssert.assertZeroAllocation("FilteredLink.transmit, gate says PASS", () -> link.transmit(frame, 0, frame.length));
    }

    @Test
    void droppingAFrameAtTheGateAllocatesNothing() {
        verdict[0] = FilteredLink.Verdict.DROP;
        long before = wire.sentCount();
        link.transmit(frame, 0, frame.length);
        assertEquals(before, wire.sentCount(), "dropped before the wire");
        AllocationAssert.assertZeroAllocation("FilteredLink.transmit, gate says DROP", () -> link.transmit(frame, 0, frame.length));
    }

    @Test
    void delayingAFrameAndLettingItGoAllocatesNothing() {
        verdict[0] = FilteredLink.Verdict.DELAY;
        long before = wire.sentCount();
        link.transmit(frame, 0, frame.length);
        assertEquals(1, link.heldCount());
        clock.advance(LabSession.DELAY_NANOS);
        link.pump(clock.nanoTime());
        assertEquals(0, link.heldCount());
        assertEquals(before + 1, wire.sentCount(), "sent once its delay is over");
        AllocationAssert.assertZeroAllocation("FilteredLink.transmit, gate says DELAY, then pump", () -> {
            link.transmit(frame, 0, frame.length);
            clock.advance(LabSession.DELAY_NANOS);
            link.pump(clock.nanoTime());
        });
    }
}
