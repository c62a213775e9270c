package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.AllocationAssert;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Echo, discard and chargen move data on the stack thread without allocating: each measured
 * iteration is a whole exchange between two stacks on a virtual wire (client write, segments
 * both ways, service callbacks, ACKs), and the allocation counter of this thread must not move.
 */
@Tag("allocation")
class ServicesAllocationTest {

    private static final long ONE_SECOND = 1_000_000_000L;
    private final TwoBoards boards = new TwoBoards();
    private final byte[] chunk = new byte[1024];

    @Test
    void echoRoundTripsAllocateNothing() {
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        TestClient c = boards.connect(ServiceKind.ECHO, chunk.length);
        BooleanSupplier echoed = () -> c.receivedLength == chunk.length;
        Runnable exchange = () -> {
            c.resetReceived();
            c.send(chunk, chunk.length, false);
            if (!boards.sim.runUntil(echoed, ONE_SECOND)) {
                throw new AssertionError("echo did not come back");
            }
        };
        AllocationAssert.assertZeroAllocation("echo service round trip", exchange);
        assertTrue(c.receivedLength == chunk.length);
    }

    @Test
    void discardAllocatesNothing() {
        TestClient c = boards.connect(ServiceKind.DISCARD, 16);
        ConnectionTable table = boards.services.table();
        long[] expected = new long[1];
        BooleanSupplier counted = () -> table.bytesIn(ServiceKind.DISCARD) == expected[0];
        Runnable exchange = () -> {
            expected[0] += chunk.length;
            c.send(chunk, chunk.length, false);
            if (!boards.sim.runUntil(counted, ONE_SECOND)) {
                throw new AssertionError("discard did not take the data");
            }
        };
        AllocationAssert.assertZeroAllocation("discard service", exchange);
    }

    @Test
    void chargenStreamingAllocatesNothing() {
        TestClient c = boards.connect(ServiceKind.CHARGEN, 4096);
        BooleanSupplier full = () -> c.receivedLength == c.received.length;
        Runnable exchange = () -> {
            c.resetReceived();
            if (!boards.sim.runUntil(full, ONE_SECOND)) {
                throw new AssertionError("chargen stalled");
            }
        };
        AllocationAssert.assertZeroAllocation("chargen service", exchange);
    }
}
