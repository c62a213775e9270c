package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spinet.hal.eth.FrameDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The per-transfer and per-frame paths allocate nothing: SpidevBus, TapDevice and the GPIO pins
 * over a fake seam that allocates nothing itself, and the real FFM calls into the C library.
 */
@Tag("allocation")
class LinuxAllocationTest {

    private static final int WARM_UP = 100_000;
    private static final int ITERATIONS = 50_000;

    /** Answers like a kernel that accepts everything; allocation-free. */
    private static final class QuietKernel implements LinuxSyscalls {
        long readResult = -Errno.EAGAIN;
        /** Answers TUNGETFEATURES with IFF_VNET_HDR and reads frames with a virtio header asking for a checksum. */
        boolean vnet;

        @Override
        public int open(String path, int flags) {
            return 3;
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public long read(int fd, MemorySegment buffer, long count) {
            if (readResult > 0 && vnet) {
                VirtioNetHeader.write(buffer, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 66, 1448, 34, 16);
            } else if (readResult > 0) {
                buffer.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
                buffer.set(ValueLayout.JAVA_INT, 8, GpioV2.EVENT_FALLING_EDGE);
            }
            return readResult;
        }

        @Override
        public long write(int fd, MemorySegment buffer, long count) {
            return count;
        }

        @Override
        public int poll(MemorySegment pollFds, int count, int timeoutMillis) {
            pollFds.set(ValueLayout.JAVA_SHORT, PollFd.REVENTS_OFFSET, PollFd.POLLIN);
            return 1;
        }

        @Override
        public int ioctl(int fd, long request, MemorySegment argument) {
            if (request == GpioV2.GET_CHIPINFO_IOCTL) {
                argument.set(ValueLayout.JAVA_INT, GpioV2.CHIP_INFO_LINES_OFFSET, 54);
            } else if (request == TunOffload.TUNGETFEATURES && vnet) {
                argument.set(ValueLayout.JAVA_INT, 0, TunOffload.IFF_VNET_HDR);
            } else if (request == GpioV2.GET_LINE_IOCTL) {
                argument.set(ValueLayout.JAVA_INT, GpioV2.REQUEST_FD_OFFSET, 4);
            }
            return 0;
        }

        @Override
        public String strerror(int errno) {
            return null;
        }
    }

    @Test
    void spidevTransfersAllocateNothing() throws Exception {
        try (SpidevBus bus = new SpidevBus(new QuietKernel(), SpidevConfig.of(0, 0, 20_000_000))) {
            byte[] header = {0x00, 0x28, 0x18};
            byte[] frame = new byte[1514];
            byte[] rx = new byte[1514];
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                bus.transfer(frame, 0, rx, 0, 64);
                bus.transfer(null, 0, rx, 0, 4);
                bus.transfer(header, 0, 3, frame, 0, null, 0, 1514);
                bus.transfer(header, 0, 3, null, 0, rx, 0, 1514);
            });
            assertEquals(0, bytes, "bytes allocated over " + ITERATIONS + " rounds of 4 transfers");
        }
    }

    @Test
    void tapFramesAllocateNothing() throws Exception {
        QuietKernel kernel = new QuietKernel();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500)) {
            byte[] frame = new byte[1514];
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                kernel.readResult = 60;
                tap.receive(frame, 0, frame.length);
                kernel.readResult = -Errno.EAGAIN;
                if (tap.receive(frame, 0, frame.length) != FrameDevice.NO_FRAME) {
                    throw new AssertionError();
                }
                tap.transmit(frame, 0, 42);
                tap.transmit(frame, 0, 1514);
                tap.awaitReceive(1_000_000L);
            });
            assertEquals(0, bytes);
        }
    }

    /**
     * With a transmit thread both sides of the ring allocate nothing: the caller's (this thread,
     * full frames into slots, short ones written at once) and the writer thread's, whose bytes
     * are read from the JVM's per-thread counter.
     */
    @Test
    void tapTransmitThreadAllocatesNothing() throws Exception {
        QuietKernel kernel = new QuietKernel();
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, false, TapDevice.TRANSMIT_QUEUE_FRAMES)) {
            byte[] frame = new byte[1514];
            Thread writer = null;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("spinet-tap-tx-sp0")) {
                    writer = thread;
                }
            }
            assertEquals(true, writer != null, "the transmit thread");
            long writerId = writer.threadId();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            // A pure ACK (IPv4, TCP, no payload, ACK bit) after two full frames received: the
            // bulk-receive path through the ring.
            byte[] ack = new byte[54];
            ack[12] = 0x08;
            ack[14] = 0x45;
            ack[17] = 40;
            ack[23] = 6;
            ack[46] = 0x50;
            ack[47] = 0x10;
            byte[] received = new byte[1514];
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                tap.transmit(frame, 0, 1514);
                tap.transmit(frame, 0, 1514);
                tap.transmit(frame, 0, 60);
                kernel.readResult = 1514;
                tap.receive(received, 0, received.length);
                tap.receive(received, 0, received.length);
                kernel.readResult = -Errno.EAGAIN;
                tap.transmit(ack, 0, ack.length);
            });
            assertEquals(0, bytes, "bytes the caller allocated");
            long writerBefore = threads.getThreadAllocatedBytes(writerId);
            for (int i = 0; i < ITERATIONS; i++) {
                tap.transmit(frame, 0, 1514);
            }
            long sent = (WARM_UP + 5L * ITERATIONS) * 4 + ITERATIONS; // the probe's five samples and this loop
            // A frame refused because the writer was kept off the CPU for the whole wait (a
            // loaded machine) is counted, not written: every frame is one or the other.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tap.framesTransmitted() + refusedFrames(tap) < sent && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(sent, tap.framesTransmitted() + refusedFrames(tap), "frames written or refused");
            long writerAfter = threads.getThreadAllocatedBytes(writerId);
            assertEquals(0, writerAfter - writerBefore, "bytes the transmit thread allocated writing " + ITERATIONS + " frames");
        }
    }

    @Test
    void tapOffloadFramesAllocateNothing() throws Exception {
        QuietKernel kernel = new QuietKernel();
        kernel.vnet = true;
        try (TapDevice tap = new TapDevice(kernel, "sp0", TapDevice.DEFAULT_MAC, 1500, true)) {
            assertEquals(true, tap.offload());
            byte[] frame = new byte[TapDevice.OFFLOAD_FRAME_LENGTH];
            byte[] received = new byte[TapDevice.OFFLOAD_FRAME_LENGTH];
            // An IPv4/TCP frame of 64 000 bytes: the header fields the device reads.
            frame[12] = 0x08;
            frame[14] = 0x45;
            frame[16] = (byte) (63_986 >> 8);
            frame[17] = (byte) 63_986;
            frame[23] = 6;
            frame[46] = 0x50;
            long bytes = AllocationProbe.bytesAllocated(WARM_UP / 10, ITERATIONS / 10, () -> {
                kernel.readResult = VirtioNetHeader.SIZE + 64_000;
                tap.receive(received, 0, received.length); // completes the partial checksum of 64 000 bytes
                kernel.readResult = -Errno.EAGAIN;
                tap.transmit(frame, 0, 1514);
                if (!tap.transmitSegmented(frame, 0, 64_000, 1448)) {
                    throw new AssertionError();
                }
            });
            assertEquals(0, bytes, "bytes allocated by receiving and sending 64 KB segments");
        }
    }

    @Test
    void gpioPinsAllocateNothing() throws Exception {
        QuietKernel kernel = new QuietKernel();
        try (GpioChip chip = new GpioChip(kernel, 0);
             GpioInputPin input = chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, "int");
             GpioOutputPin output = chip.requestOutput(24, true, "reset")) {
            kernel.readResult = GpioV2.LINE_EVENT_SIZE;
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                input.isHigh();
                input.awaitEdge(1_000_000L);
                output.set(false);
                output.set(true);
            });
            assertEquals(0, bytes);
        }
    }

    @Test
    void realLibcCallsAllocateNothing() throws Exception {
        assumeTrue(Libc.isSupportedPlatform(), "Libc binding needs 64-bit Linux");
        Libc libc = Libc.instance();
        int zero = libc.open("/dev/zero", OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        int nul = libc.open("/dev/null", OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1514);
            MemorySegment fds = arena.allocate(PollFd.SIZE);
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                libc.read(zero, buffer, 1514);
                libc.write(nul, buffer, 1514);
                PollFd.set(fds, 0, zero, PollFd.POLLIN);
                libc.poll(fds, 1, 0);
                if (libc.ioctl(nul, SpiIocTransfer.SPI_IOC_MESSAGE_1, buffer) != -Errno.ENOTTY) {
                    throw new AssertionError("expected ENOTTY");
                }
            });
            assertEquals(0, bytes, "bytes allocated by " + ITERATIONS + " rounds of read/write/poll/failing ioctl");
        } finally {
            libc.close(zero);
            libc.close(nul);
        }
    }

    private static long refusedFrames(TapDevice tap) {
        for (int i = 0; i < tap.counterCount(); i++) {
            if (tap.counterName(i).equals("TX_QUEUE_REFUSED")) {
                return tap.counterValue(i);
            }
        }
        throw new AssertionError("no counter TX_QUEUE_REFUSED");
    }
}
