package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.storage.RingRegion;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.MemoryEthernet;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpLayer#writeInPlace} and {@link TcpLayer#readInPlace}: the application fills the send
 * ring and consumes the receive ring where the bytes lie. Two whole stacks on a
 * {@link MemoryEthernet} (checksums offloaded, as in the loopback benchmark).
 */
class InPlaceApiTest {

    static final int CLIENT = 0x0A00_0001;
    static final int SERVER = 0x0A00_0002;

    Stack client;
    Stack server;
    int clientHandle;
    final int[] serverHandle = {-1};
    long now = 1_000_000_000L;

    void open(DeviceCapabilities capabilities) {
        MemoryEthernet link = new MemoryEthernet(128, 1536, capabilities);
        client = new Stack(config(CLIENT), link.a);
        server = new Stack(config(SERVER), link.b);
        server.tcp().listen(7, 1, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                serverHandle[0] = connection;
            }
        });
        clientHandle = client.tcp().connect(SERVER, 7, new TcpHandler() {
        });
        for (int i = 0; i < 20; i++) {
            cycle();
        }
        assertEquals(TcpState.ESTABLISHED, client.tcp().state(clientHandle));
        assertTrue(serverHandle[0] >= 0);
    }

    static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).frameBufferBytes(1536).tcpMss(1482).tcpBuffers(65536, 65536).tcpSecret(address).build();
    }

    void cycle() {
        client.poll(now);
        server.poll(now);
        now += 10_000L;
    }

    /** Writes the stream's pattern bytes where they lie in the send ring. */
    static final class PatternFiller implements RingRegion {
        long position;

        @Override
        public int use(byte[] array, int offset, int length) {
            for (int i = 0; i < length; i++) {
                array[offset + i] = BulkTransfer.patternByte(position + i, 5);
            }
            position += length;
            return length;
        }
    }

    /** Checks the pattern where it lies in the receive ring, consuming at most {@code limit} bytes per call. */
    static final class PatternChecker implements RingRegion {
        long position;
        long mismatches;
        int limit = Integer.MAX_VALUE;

        @Override
        public int use(byte[] array, int offset, int length) {
            int n = Math.min(length, limit);
            for (int i = 0; i < n; i++) {
                if (array[offset + i] != BulkTransfer.patternByte(position + i, 5)) {
                    mismatches++;
                }
            }
            position += n;
            return n;
        }
    }

    @Test
    void aStreamFilledAndConsumedInPlaceArrivesIntactAndEndsWithEndOfStream() {
        open(DeviceCapabilities.CHECKSUMS_OFFLOADED);
        PatternFiller filler = new PatternFiller();
        PatternChecker checker = new PatternChecker();
        checker.limit = 1000; // odd sizes, so regions wrap at every offset of the ring
        long total = 3_000_000;
        int result = 0;
        for (int i = 0; i < 200_000 && result >= 0; i++) {
            while (filler.position < total && client.tcp().writeInPlace(clientHandle, (int) Math.min(7777, total - filler.position), filler) > 0) {
                // until the ring is full or everything is queued
            }
            if (filler.position == total && client.tcp().state(clientHandle) == TcpState.ESTABLISHED) {
                client.tcp().shutdownOutput(clientHandle);
            }
            cycle();
            while ((result = server.tcp().readInPlace(serverHandle[0], 5000, checker)) > 0) {
                // drain
            }
        }
        assertEquals(-1, result, "end of stream after the FIN");
        assertEquals(total, checker.position);
        assertEquals(0, checker.mismatches);
    }

    @Test
    void aReaderThatConsumesNothingDoesNotEndTheStreamEarly() {
        open(DeviceCapabilities.NONE);
        PatternFiller filler = new PatternFiller();
        client.tcp().writeInPlace(clientHandle, 100, filler);
        client.tcp().shutdownOutput(clientHandle);
        for (int i = 0; i < 20; i++) {
            cycle();
        }
        assertEquals(0, server.tcp().readInPlace(serverHandle[0], 100, (array, offset, length) -> 0),
                "data is still there: not the end of the stream");
        assertEquals(100, server.tcp().readInPlace(serverHandle[0], 100, (array, offset, length) -> length));
        assertEquals(-1, server.tcp().readInPlace(serverHandle[0], 100, (array, offset, length) -> length));
    }

    @Test
    void aFillerThatReportsMoreThanItWasGivenIsRefused() {
        open(DeviceCapabilities.NONE);
        assertThrows(IllegalStateException.class,
                () -> client.tcp().writeInPlace(clientHandle, 10, (array, offset, length) -> length + 1));
        assertEquals(0, client.tcp().writable(clientHandle) - 65536);
    }

    @Test
    @Tag("allocation")
    void theInPlaceLoopbackPathAllocatesNothing() {
        open(DeviceCapabilities.CHECKSUMS_OFFLOADED);
        RingRegion claim = (array, offset, length) -> length;
        Runnable body = () -> {
            while (client.tcp().writeInPlace(clientHandle, Integer.MAX_VALUE, claim) > 0) {
                // fill
            }
            cycle();
            while (server.tcp().readInPlace(serverHandle[0], Integer.MAX_VALUE, claim) > 0) {
                // discard
            }
        };
        AllocationAssert.assertZeroAllocation("loopback transfer with in-place send and receive", body);
    }
}
