package dev.spinet.harness.mock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MockSpiBusTest {

    @Test
    void recordsCopiesAndAnswersInOrder() {
        MockSpiBus bus = new MockSpiBus().answer((byte) 0xAA, (byte) 0xBB).answer((byte) 1);
        byte[] tx = {1, 2, 3};
        byte[] rx = new byte[4];
        rx[3] = 9;
        bus.transfer(tx, 1, rx, 1, 2);
        tx[1] = 42; // the record is a copy
        assertArrayEquals(new byte[] {2, 3}, bus.transaction(0));
        assertArrayEquals(new byte[] {0, (byte) 0xAA, (byte) 0xBB, 9}, rx);

        bus.transfer(null, 0, rx, 0, 3);
        assertArrayEquals(new byte[] {0, 0, 0}, bus.transaction(1), "null tx clocks out zeros");
        assertArrayEquals(new byte[] {1, 0, 0, 9}, rx, "short answer: the rest reads as zeros");
        assertEquals(2, bus.transactionCount());
        assertEquals(0, bus.pendingAnswers());
    }

    @Test
    void twoPartTransferIsOneTransactionWithHeaderThenPayload() {
        MockSpiBus bus = new MockSpiBus().answer((byte) 7, (byte) 8);
        byte[] header = {0x00, 0x28, 0x00};
        byte[] rx = new byte[2];
        bus.transfer(header, 0, 3, null, 0, rx, 0, 2);
        bus.transfer(header, 1, 2, new byte[] {5, 6}, 0, null, 0, 2);
        assertEquals(2, bus.transactionCount());
        assertArrayEquals(new byte[] {0x00, 0x28, 0x00, 0, 0}, bus.transaction(0));
        assertEquals(3, bus.headerLength(0));
        assertArrayEquals(new byte[] {7, 8}, rx, "the answer covers the payload phase");
        assertArrayEquals(new byte[] {0x28, 0x00, 5, 6}, bus.transaction(1));
        assertEquals(2, bus.headerLength(1));
    }

    @Test
    void badRangesAreDriverBugs() {
        MockSpiBus bus = new MockSpiBus();
        assertThrows(IndexOutOfBoundsException.class, () -> bus.transfer(new byte[2], 1, null, 0, 2));
        assertThrows(NullPointerException.class, () -> bus.transfer(null, 0, 0, null, 0, null, 0, 1));
    }
}
