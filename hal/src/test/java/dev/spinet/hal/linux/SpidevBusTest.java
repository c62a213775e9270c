package dev.spinet.hal.linux;

import static dev.spinet.hal.linux.SyscallRecorder.nativeBytes;
import static dev.spinet.hal.linux.SyscallRecorder.u16;
import static dev.spinet.hal.linux.SyscallRecorder.u32;
import static dev.spinet.hal.linux.SyscallRecorder.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.spinet.hal.spi.SpiException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpidevBusTest {

    private static final int FD = 7;

    private LinuxSyscalls syscalls;
    private SyscallRecorder recorder;
    /** What the fake controller clocks in during the next payload: echo of tx + 1. */
    private boolean loopbackPlusOne;

    @BeforeEach
    void setUp() {
        syscalls = mock(LinuxSyscalls.class);
        recorder = new SyscallRecorder();
        when(syscalls.open(eq("/dev/spidev0.0"), anyInt())).thenReturn(FD);
        when(syscalls.strerror(anyInt())).thenReturn("Some error");
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            MemorySegment argument = invocation.getArgument(2);
            long request = invocation.getArgument(1);
            int result = recorder.record(invocation.getArgument(0), request, argument);
            if (loopbackPlusOne && (request == SpiIocTransfer.SPI_IOC_MESSAGE_1 || request == SpiIocTransfer.SPI_IOC_MESSAGE_2)) {
                int segments = request == SpiIocTransfer.SPI_IOC_MESSAGE_1 ? 1 : 2;
                long base = (long) (segments - 1) * SpiIocTransfer.SIZE;
                long tx = argument.get(ValueLayout.JAVA_LONG, base);
                long rx = argument.get(ValueLayout.JAVA_LONG, base + 8);
                int len = argument.get(ValueLayout.JAVA_INT, base + 16);
                if (rx != 0) {
                    MemorySegment out = MemorySegment.ofAddress(rx).reinterpret(len);
                    for (int i = 0; i < len; i++) {
                        byte sent = tx == 0 ? 0 : MemorySegment.ofAddress(tx).reinterpret(len).get(ValueLayout.JAVA_BYTE, i);
                        out.set(ValueLayout.JAVA_BYTE, i, (byte) (sent + 1));
                    }
                }
            }
            return result;
        });
    }

    private SpidevBus open(int mode, int speed) {
        return new SpidevBus(syscalls, SpidevConfig.of(0, 0, speed).withMode(mode));
    }

    @Test
    void openSetsModeBitsAndSpeedInThatOrder() {
        try (SpidevBus bus = open(3, 20_000_000)) {
            verify(syscalls).open("/dev/spidev0.0", OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
            assertEquals(3, recorder.calls.size());
            assertEquals(SpiIocTransfer.SPI_IOC_WR_MODE, recorder.calls.get(0).request());
            assertEquals(3, recorder.calls.get(0).argument()[0]);
            assertEquals(SpiIocTransfer.SPI_IOC_WR_BITS_PER_WORD, recorder.calls.get(1).request());
            assertEquals(8, recorder.calls.get(1).argument()[0]);
            assertEquals(SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ, recorder.calls.get(2).request());
            assertEquals(20_000_000, u32(recorder.calls.get(2).argument(), 0));
            for (SyscallRecorder.Call call : recorder.calls) {
                assertEquals(FD, call.fd());
            }
            assertEquals(4096, bus.bufferSize());
        }
        verify(syscalls).close(FD);
    }

    @Test
    void singleTransferIsOneMessageWithTheExactStruct() {
        loopbackPlusOne = true;
        try (SpidevBus bus = open(0, 12_000_000)) {
            byte[] tx = {9, 9, 0x0F, 0x00, 0x2C, 0x55, 9};
            byte[] rx = new byte[8];
            bus.transfer(tx, 2, rx, 1, 4);

            assertEquals(4, recorder.calls.size());
            SyscallRecorder.Call call = recorder.last();
            assertEquals(0x40206B00L, call.request());
            assertEquals(FD, call.fd());
            byte[] s = java.util.Arrays.copyOf(call.argument(), 32);
            long txBuf = u64(s, 0);
            long rxBuf = u64(s, 8);
            assertNotEquals(0, txBuf);
            assertNotEquals(0, rxBuf);
            assertEquals(4, u32(s, 16), "len");
            assertEquals(12_000_000, u32(s, 20), "speed_hz");
            assertEquals(0, u16(s, 24), "delay_usecs");
            assertEquals(8, s[26], "bits_per_word");
            assertEquals(0, s[27], "cs_change");
            assertEquals(0, s[28], "tx_nbits");
            assertEquals(0, s[29], "rx_nbits");
            assertEquals(0, s[30], "word_delay_usecs");
            assertEquals(0, s[31], "pad");
            assertArrayEquals(new byte[] {0x0F, 0x00, 0x2C, 0x55}, nativeBytes(txBuf, 4));
            assertArrayEquals(new byte[] {0, 0x10, 0x01, 0x2D, 0x56, 0, 0, 0}, rx);
        }
    }

    @Test
    void nullTxSendsZerosAndNullRxDiscards() {
        loopbackPlusOne = true;
        try (SpidevBus bus = open(0, 1_000_000)) {
            byte[] rx = new byte[3];
            bus.transfer(null, 0, rx, 0, 3);
            byte[] s = recorder.last().argument();
            assertEquals(0, u64(s, 0), "tx_buf NULL: the controller shifts out zeros");
            assertNotEquals(0, u64(s, 8));
            assertArrayEquals(new byte[] {1, 1, 1}, rx);

            bus.transfer(new byte[] {5, 6}, 0, null, 0, 2);
            s = recorder.last().argument();
            assertNotEquals(0, u64(s, 0));
            assertEquals(0, u64(s, 8), "rx_buf NULL: received bytes discarded");
            assertEquals(2, u32(s, 16));
        }
    }

    @Test
    void headerAndPayloadAreTwoSegmentsInOneIoctlWithChipSelectHeld() {
        loopbackPlusOne = true;
        try (SpidevBus bus = open(0, 30_000_000)) {
            byte[] header = {0x00, 0x28, 0x1C};
            byte[] rx = new byte[6];
            bus.transfer(header, 0, 3, null, 0, rx, 0, 6);

            SyscallRecorder.Call call = recorder.last();
            assertEquals(0x40406B00L, call.request());
            byte[] s = call.argument();
            assertEquals(64, s.length);
            // Segment 0: header out, nothing kept.
            long headerTx = u64(s, 0);
            assertNotEquals(0, headerTx);
            assertEquals(0, u64(s, 8));
            assertEquals(3, u32(s, 16));
            assertEquals(30_000_000, u32(s, 20));
            assertEquals(8, s[26]);
            assertEquals(0, s[27], "cs_change 0 between segments keeps CS asserted");
            assertArrayEquals(header, nativeBytes(headerTx, 3));
            // Segment 1: payload read (zeros out).
            assertEquals(0, u64(s, 32));
            assertNotEquals(0, u64(s, 40));
            assertEquals(6, u32(s, 48));
            assertEquals(30_000_000, u32(s, 52));
            assertEquals(8, s[58]);
            assertEquals(0, s[59], "cs_change 0 on the last segment: CS rises at the end");
            assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1}, rx);

            byte[] frame = {0x11, 0x22, 0x33, 0x44, 0x55};
            bus.transfer(new byte[] {0x7A}, 0, 1, frame, 1, null, 0, 4);
            s = recorder.last().argument();
            assertEquals(0x40406B00L, recorder.last().request());
            long payloadTx = u64(s, 32);
            assertEquals(u64(s, 0) + 1, payloadTx, "payload follows the header in the transmit buffer");
            assertEquals(0, u64(s, 40));
            assertEquals(1, u32(s, 16));
            assertEquals(4, u32(s, 48));
            assertArrayEquals(new byte[] {0x7A, 0x22, 0x33, 0x44, 0x55}, nativeBytes(u64(s, 0), 5));
        }
    }

    @Test
    void transfersLargerThanTheBufferAreRejectedBeforeTheKernel() {
        try (SpidevBus bus = new SpidevBus(syscalls, SpidevConfig.of(0, 0, 1_000_000).withBufferSize(1024))) {
            int before = recorder.calls.size();
            IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                    () -> bus.transfer(new byte[1025], 0, null, 0, 1025));
            assertTrue(single.getMessage().contains("1024-byte spidev buffer"), single.getMessage());
            // Header + payload that only fits without the header.
            IllegalArgumentException gather = assertThrows(IllegalArgumentException.class,
                    () -> bus.transfer(new byte[3], 0, 3, new byte[1024], 0, null, 0, 1022));
            assertTrue(gather.getMessage().contains("1025 bytes"), gather.getMessage());
            assertEquals(before, recorder.calls.size(), "nothing reached the kernel");
            // Exactly the buffer is fine: header 3 (one 128-byte slot) + write 896, or a 1024-byte read after a header.
            bus.transfer(new byte[3], 0, 3, new byte[896], 0, null, 0, 896);
            bus.transfer(new byte[3], 0, 3, null, 0, new byte[1024], 0, 1024);
            assertEquals(before + 2, recorder.calls.size());
        }
    }

    @Test
    void badRangesAreIndexErrors() {
        try (SpidevBus bus = open(0, 1_000_000)) {
            assertThrows(IndexOutOfBoundsException.class, () -> bus.transfer(new byte[4], 2, null, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> bus.transfer(null, 0, new byte[4], 3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> bus.transfer(new byte[2], 0, 3, null, 0, null, 0, 1));
        }
    }

    @Test
    void missingDeviceSaysToEnableSpi() {
        when(syscalls.open(eq("/dev/spidev0.1"), anyInt())).thenReturn(-Errno.ENOENT);
        SpiException e = assertThrows(SpiException.class,
                () -> new SpidevBus(syscalls, SpidevConfig.of(0, 1, 1_000_000)));
        assertTrue(e.getMessage().contains("open /dev/spidev0.1 failed: ENOENT (Some error)"), e.getMessage());
        assertTrue(e.getMessage().contains("dtparam=spi=on"), e.getMessage());
        assertTrue(e.getMessage().contains("overlay"), e.getMessage());
    }

    @Test
    void permissionDeniedSaysWhichGroup() {
        when(syscalls.open(eq("/dev/spidev0.0"), anyInt())).thenReturn(-Errno.EACCES);
        SpiException e = assertThrows(SpiException.class, () -> open(0, 1_000_000));
        assertTrue(e.getMessage().contains("EACCES"), e.getMessage());
        assertTrue(e.getMessage().contains("group spi"), e.getMessage());
    }

    @Test
    void refusedModeClosesTheDeviceAndExplains() {
        doReturn(-Errno.EINVAL).when(syscalls).ioctl(eq(FD), eq(SpiIocTransfer.SPI_IOC_WR_MODE), any());
        SpiException e = assertThrows(SpiException.class, () -> open(2, 1_000_000));
        assertTrue(e.getMessage().contains("SPI_IOC_WR_MODE 2"), e.getMessage());
        assertTrue(e.getMessage().contains("mode 0"), e.getMessage());
        verify(syscalls).close(FD);
    }

    @Test
    void failingTransferThrowsSpiExceptionWithErrno() {
        try (SpidevBus bus = open(0, 1_000_000)) {
            doReturn(-Errno.EMSGSIZE).when(syscalls).ioctl(eq(FD), eq(SpiIocTransfer.SPI_IOC_MESSAGE_1), any());
            SpiException e = assertThrows(SpiException.class, () -> bus.transfer(new byte[10], 0, null, 0, 10));
            assertTrue(e.getMessage().contains("EMSGSIZE"), e.getMessage());
            assertTrue(e.getMessage().contains("bufsiz"), e.getMessage());
        }
    }

    @Test
    void closedBusRefusesTransfers() {
        SpidevBus bus = open(0, 1_000_000);
        bus.close();
        bus.close();
        verify(syscalls).close(FD);
        assertThrows(IllegalStateException.class, () -> bus.transfer(new byte[1], 0, null, 0, 1));
        verify(syscalls, never()).ioctl(eq(FD), eq(SpiIocTransfer.SPI_IOC_MESSAGE_1), any());
    }

    @Test
    void configParsesBusDotChipSelect() {
        SpidevConfig config = SpidevConfig.parse("1.2", 8_000_000);
        assertEquals("/dev/spidev1.2", config.devicePath());
        assertEquals(0, config.mode());
        assertEquals(4096, config.bufferSize());
        assertThrows(IllegalArgumentException.class, () -> SpidevConfig.parse("0", 1));
        assertThrows(IllegalArgumentException.class, () -> SpidevConfig.parse("a.b", 1));
        assertThrows(IllegalArgumentException.class, () -> SpidevConfig.parse("0.0", 0));
        assertThrows(IllegalArgumentException.class, () -> SpidevConfig.of(0, 0, 1).withMode(4));
    }
}
