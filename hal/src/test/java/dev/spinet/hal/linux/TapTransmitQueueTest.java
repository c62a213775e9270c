package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TAP's transmit thread and its ring ({@link TapTransmitQueue}), through {@link TapDevice}
 * over a kernel seam that records every {@code write(2)}: frames leave whole and in the order
 * sent, short frames with nothing queued are written on the caller's thread, a full ring makes
 * the caller wait (counted) and a stuck writer makes it refuse (counted), and close ends the
 * thread.
 */
@Timeout(30)
class TapTransmitQueueTest {

    private static final int FD = 3;

    /** A kernel that takes every write, recording the bytes and the writing thread; writes can be held. */
    private static final class RecordingKernel implements LinuxSyscalls {
        final List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> writers = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold;
        volatile boolean closed;
        /** Answers TUNGETFEATURES with IFF_VNET_HDR. */
        boolean vnet;

        @Override
        public int open(String path, int flags) {
            return FD;
        }

        @Override
        public int close(int fd) {
            closed = true;
            return 0;
        }

        /** Frames of {@link #readLength} bytes the next reads return, then EAGAIN. */
        volatile int pendingReads;
        volatile int readLength = 1514;

        @Override
        public long read(int fd, MemorySegment buffer, long count) {
            if (pendingReads > 0) {
                pendingReads--;
                return readLength;
            }
            return -Errno.EAGAIN;
        }

        @Override
        public long write(int fd, MemorySegment buffer, long count) {
            CountDownLatch latch = hold;
            if (latch != null) {
                try {
                    latch.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            frames.add(buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE));
            writers.add(Thread.currentThread());
            return count;
        }

        @Override
        public int poll(MemorySegment pollFds, int count, int timeoutMillis) {
            return 0;
        }

        @Override
        public int ioctl(int fd, long request, MemorySegment argument) {
            if (request == TunOffload.TUNGETFEATURES && vnet) {
                argument.set(ValueLayout.JAVA_INT, 0, TunOffload.IFF_VNET_HDR);
            }
            return 0;
        }

        @Override
        public String strerror(int errno) {
            return null;
        }

        void awaitFrames(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (frames.size() < count && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(count, frames.size(), "frames written");
        }
    }

    private static byte[] frame(int length, int mark) {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) {
            frame[i] = (byte) (mark * 31 + i);
        }
        return frame;
    }

    @Test
    void fullFramesLeaveOnTheWriterThreadWholeAndInOrder() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        List<byte[]> sent = new ArrayList<>();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 8)) {
            assertTrue(tap.transmitThread());
            for (int i = 0; i < 1000; i++) {
                byte[] frame = frame(i % 2 == 0 ? 1514 : 600 + i % 900, i);
                sent.add(frame);
                // A writer kept off the CPU for the whole wait (a loaded machine) makes the caller
                // refuse the frame, as it must; the stack would send it again, and so does this test.
                int offers = 1;
                while (!tap.transmit(frame, 0, frame.length)) {
                    assertTrue(++offers <= 50, "frame " + i + " refused 50 times");
                }
            }
            kernel.awaitFrames(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), kernel.frames.get(i), "frame " + i);
                assertFalse(kernel.writers.get(i) == Thread.currentThread(), "frame " + i + " written by the caller");
            }
            assertEquals(1000, tap.framesTransmitted());
            assertEquals(0, tap.transmitErrors());
        }
    }

    @Test
    void shortFramesWithNothingQueuedAreWrittenByTheCaller() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 8)) {
            byte[] ack = frame(66, 1);
            assertTrue(tap.transmit(ack, 0, ack.length));
            assertEquals(1, kernel.frames.size(), "written before transmit returned");
            assertSame(Thread.currentThread(), kernel.writers.get(0));

            // Behind a queued frame a short one queues too, so the two leave in the order sent.
            kernel.hold = new CountDownLatch(1);
            byte[] full = frame(1514, 2);
            assertTrue(tap.transmit(full, 0, full.length));
            assertTrue(tap.transmit(ack, 0, ack.length));
            kernel.hold.countDown();
            kernel.awaitFrames(3);
            assertArrayEquals(full, kernel.frames.get(1));
            assertArrayEquals(ack, kernel.frames.get(2));
            assertFalse(kernel.writers.get(2) == Thread.currentThread());
        }
    }

    /** A pure TCP/IPv4 ACK: 20-byte IPv4 and TCP headers, no payload, ACK bit only. */
    private static byte[] pureAck() {
        byte[] frame = new byte[54];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[17] = 40;
        frame[23] = 6;
        frame[14 + 20 + 12] = 0x50;
        frame[14 + 20 + 13] = 0x10;
        return frame;
    }

    private static void receive(TapDevice tap, RecordingKernel kernel, int frames, int length) {
        kernel.readLength = length;
        kernel.pendingReads = frames;
        byte[] buffer = new byte[1514];
        for (int i = 0; i < frames; i++) {
            assertEquals(length, tap.receive(buffer, 0, buffer.length));
        }
    }

    @Test
    void pureAcksDuringABulkReceiveLeaveOnTheWriterThread() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 8)) {
            byte[] ack = pureAck();
            receive(tap, kernel, TapDevice.BULK_RECEIVE_FRAMES, 1514);
            assertTrue(tap.transmit(ack, 0, ack.length));
            kernel.awaitFrames(1);
            assertFalse(kernel.writers.get(0) == Thread.currentThread(), "the ACK after two full segments");
            assertArrayEquals(java.util.Arrays.copyOf(ack, 60), kernel.frames.get(0), "padded to 60 bytes");
            assertEquals(1, counter(tap, "TX_QUEUED_ACKS"));

            // The next ACK after only one more full segment: no bulk receive any longer.
            receive(tap, kernel, 1, 1514);
            assertTrue(tap.transmit(ack, 0, ack.length));
            assertEquals(2, kernel.frames.size(), "written before transmit returned");
            assertSame(Thread.currentThread(), kernel.writers.get(1));
            assertEquals(1, counter(tap, "TX_QUEUED_ACKS"));
        }
    }

    @Test
    void aLoneRoundTripIsAnsweredByTheCaller() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 8)) {
            byte[] ack = pureAck();
            // Short frames in: an echo's requests; the ACK that answers them is written at once.
            receive(tap, kernel, 10, 118);
            assertTrue(tap.transmit(ack, 0, ack.length));
            assertSame(Thread.currentThread(), kernel.writers.get(0), "after short frames");

            // After full segments, a reply carrying data (not a pure ACK) is written at once too.
            receive(tap, kernel, 5, 1514);
            byte[] reply = pureAck();
            reply[17] = 41; // one byte of payload
            byte[] withData = java.util.Arrays.copyOf(reply, 55);
            assertTrue(tap.transmit(withData, 0, withData.length));
            assertSame(Thread.currentThread(), kernel.writers.get(1), "a reply with data");

            // One full segment, then its ACK: a request of one frame, answered at once.
            receive(tap, kernel, 1, 1514);
            assertTrue(tap.transmit(ack, 0, ack.length));
            assertSame(Thread.currentThread(), kernel.writers.get(2), "after one full segment");
            assertEquals(0, counter(tap, "TX_QUEUED_ACKS"));
        }
    }

    @Test
    void aFullRingMakesTheCallerWaitAndCountsIt() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        kernel.hold = new CountDownLatch(1);
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 4)) {
            byte[] full = frame(1514, 3);
            // The writer holds the first in write(2) and frees no slot until that returns: four
            // frames fill the ring of four.
            for (int i = 0; i < 4; i++) {
                assertTrue(tap.transmit(full, 0, full.length));
            }
            assertEquals(0, counter(tap, "TX_QUEUE_FULL"));
            Thread release = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                kernel.hold.countDown();
            });
            assertTrue(tap.transmit(full, 0, full.length), "the fifth frame, after the writer freed a slot");
            release.join();
            kernel.awaitFrames(5);
            assertEquals(1, counter(tap, "TX_QUEUE_FULL"));
            assertEquals(0, counter(tap, "TX_QUEUE_REFUSED"));
        }
    }

    @Test
    void aStuckWriterMakesTheCallerRefuseAfterItsWait() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        kernel.hold = new CountDownLatch(1);
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 2)) {
            byte[] full = frame(1514, 4);
            for (int i = 0; i < 2; i++) {
                assertTrue(tap.transmit(full, 0, full.length));
            }
            long start = System.nanoTime();
            assertFalse(tap.transmit(full, 0, full.length), "no slot freed by a writer stuck in write(2)");
            assertTrue(System.nanoTime() - start >= TapTransmitQueue.FULL_WAIT_NANOS, "refused before the wait ended");
            assertEquals(1, counter(tap, "TX_QUEUE_REFUSED"));
            kernel.hold.countDown();
            kernel.awaitFrames(2);
        }
    }

    @Test
    void closeEndsTheWriterBeforeTheDescriptorCloses() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, 8);
        byte[] full = frame(1514, 5);
        assertTrue(tap.transmit(full, 0, full.length));
        kernel.awaitFrames(1);
        Thread writer = writerThread("spinet-tap-tx-sp0");
        assertNotNull(writer, "a thread named spinet-tap-tx-sp0");
        tap.close();
        assertFalse(writer.isAlive(), "the writer thread after close");
        assertTrue(kernel.closed);
    }

    @Test
    void withOffloadsTheCallerWrites() {
        RecordingKernel kernel = new RecordingKernel();
        kernel.vnet = true;
        try (TapDevice tap = new TapDevice(kernel, "sp1", TapDevice.DEFAULT_MAC, 1500, true, 8)) {
            assertTrue(tap.offload());
            assertFalse(tap.transmitThread());
            assertNull(writerThread("spinet-tap-tx-sp1"));
        }
    }

    private static Thread writerThread(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name) && thread.isAlive()) {
                return thread;
            }
        }
        return null;
    }

    private static long counter(TapDevice tap, String name) {
        for (int i = 0; i < tap.counterCount(); i++) {
            if (tap.counterName(i).equals(name)) {
                return tap.counterValue(i);
            }
        }
        throw new AssertionError("no counter " + name);
    }
}
