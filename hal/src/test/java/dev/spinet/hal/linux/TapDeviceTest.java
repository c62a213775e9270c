package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.spinet.hal.eth.FrameDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TapDeviceTest {

    private static final int FD = 9;
    private static final long MAC = 0x02_00_00_99_00_02L;

    private LinuxSyscalls syscalls;
    private SyscallRecorder recorder;
    private int setIffResult;
    private long nextRead;
    private byte[] nextFrame = new byte[0];
    private final List<byte[]> written = new ArrayList<>();
    private long writeResult = Long.MIN_VALUE;

    @BeforeEach
    void setUp() {
        syscalls = mock(LinuxSyscalls.class);
        recorder = new SyscallRecorder();
        when(syscalls.open(eq(TapDevice.TUN_PATH), anyInt())).thenReturn(FD);
        when(syscalls.strerror(anyInt())).thenReturn("text");
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            recorder.record(invocation.getArgument(0), invocation.getArgument(1), invocation.getArgument(2));
            return setIffResult;
        });
        when(syscalls.read(eq(FD), any(), anyLong())).thenAnswer(invocation -> {
            MemorySegment buffer = invocation.getArgument(1);
            assertEquals(TapDevice.RECEIVE_BUFFER_SIZE, (long) invocation.getArgument(2));
            MemorySegment.copy(nextFrame, 0, buffer, ValueLayout.JAVA_BYTE, 0, nextFrame.length);
            return nextRead;
        });
        when(syscalls.write(eq(FD), any(), anyLong())).thenAnswer(invocation -> {
            MemorySegment buffer = invocation.getArgument(1);
            long count = invocation.getArgument(2);
            written.add(buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE));
            return writeResult == Long.MIN_VALUE ? count : writeResult;
        });
    }

    @Test
    void opensNonblockingAndAsksForTapWithoutPacketInfo() {
        try (TapDevice tap = new TapDevice(syscalls, "sp0", MAC, 1500)) {
            verify(syscalls).open("/dev/net/tun", OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
            SyscallRecorder.Call call = recorder.last();
            assertEquals(FD, call.fd());
            assertEquals(0x400454CAL, call.request());
            byte[] ifreq = call.argument();
            assertEquals(40, ifreq.length);
            assertEquals("sp0", new String(ifreq, 0, 3, StandardCharsets.US_ASCII));
            for (int i = 3; i < 16; i++) {
                assertEquals(0, ifreq[i], "name NUL-padded");
            }
            assertEquals(0x1002, SyscallRecorder.u16(ifreq, 16), "IFF_TAP | IFF_NO_PI");
            for (int i = 18; i < 40; i++) {
                assertEquals(0, ifreq[i]);
            }
            assertEquals("sp0", tap.name());
            assertEquals(MAC, tap.macAddress());
            assertEquals(1514, tap.maxFrameLength());
            assertTrue(tap.linkUp());
        }
        verify(syscalls).close(FD);
    }

    @Test
    void receiveCopiesOneFrameOrReportsNoneOrTooLong() {
        try (TapDevice tap = new TapDevice(syscalls, "sp0", MAC, 1500)) {
            byte[] buffer = new byte[100];
            nextFrame = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06, 42};
            nextRead = nextFrame.length;
            assertEquals(15, tap.receive(buffer, 10, 90));
            assertEquals(1, buffer[10]);
            assertEquals(42, buffer[24]);
            assertEquals(0, buffer[25]);

            nextRead = -Errno.EAGAIN;
            assertEquals(FrameDevice.NO_FRAME, tap.receive(buffer, 0, 100));
            assertEquals(0, tap.receiveErrors(), "EAGAIN is the normal empty queue");

            nextRead = 60;
            assertEquals(FrameDevice.FRAME_TOO_LONG, tap.receive(buffer, 0, 59));
            assertEquals(1, tap.oversizeFrames());

            nextRead = -Errno.EBADFD;
            assertEquals(FrameDevice.NO_FRAME, tap.receive(buffer, 0, 100));
            assertEquals(1, tap.receiveErrors());
            assertEquals(Errno.EBADFD, tap.lastErrno());
        }
    }

    @Test
    void transmitWritesOneFramePaddedToSixtyBytes() {
        try (TapDevice tap = new TapDevice(syscalls, "sp0", MAC, 1500)) {
            byte[] frame = new byte[50];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (i + 1);
            }
            assertTrue(tap.transmit(frame, 8, 42));
            byte[] out = written.getLast();
            assertEquals(60, out.length);
            assertEquals(9, out[0]);
            assertEquals(50, out[41]);
            assertArrayEquals(new byte[18], java.util.Arrays.copyOfRange(out, 42, 60));

            byte[] full = new byte[1514];
            full[1513] = 77;
            assertTrue(tap.transmit(full, 0, 1514));
            assertEquals(1514, written.getLast().length);
            assertEquals(77, written.getLast()[1513]);

            writeResult = -Errno.EAGAIN;
            assertFalse(tap.transmit(full, 0, 100));
            assertEquals(0, tap.transmitErrors());
            writeResult = -Errno.EIO;
            assertFalse(tap.transmit(full, 0, 100));
            assertEquals(1, tap.transmitErrors());
            assertEquals(Errno.EIO, tap.lastErrno());
        }
    }

    @Test
    void transmitRejectsCallerBugs() {
        try (TapDevice tap = new TapDevice(syscalls, "sp0", MAC, 1500)) {
            assertThrows(IllegalArgumentException.class, () -> tap.transmit(new byte[20], 0, 13));
            assertThrows(IllegalArgumentException.class, () -> tap.transmit(new byte[2000], 0, 1515));
            assertThrows(IndexOutOfBoundsException.class, () -> tap.transmit(new byte[20], 10, 14));
        }
    }

    @Test
    void awaitReceivePollsTheDescriptorForInput() throws InterruptedException {
        when(syscalls.poll(any(), eq(1), anyInt())).thenAnswer(invocation -> {
            MemorySegment fds = invocation.getArgument(0);
            assertEquals(FD, fds.get(ValueLayout.JAVA_INT, 0));
            assertEquals(PollFd.POLLIN, fds.get(ValueLayout.JAVA_SHORT, 4));
            return 1;
        });
        try (TapDevice tap = new TapDevice(syscalls, "sp0", MAC, 1500)) {
            tap.awaitReceive(250_000_000L);
            verify(syscalls).poll(any(), eq(1), eq(100));
        }
    }

    @Test
    void missingTunDeviceSaysModprobe() {
        when(syscalls.open(eq(TapDevice.TUN_PATH), anyInt())).thenReturn(-Errno.ENOENT);
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class, () -> new TapDevice(syscalls, "sp0", MAC, 1500));
        assertTrue(e.getMessage().contains("open /dev/net/tun failed: ENOENT (text)"), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
    }

    @Test
    void missingCapabilitySaysCapNetAdmin() {
        setIffResult = -Errno.EPERM;
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class, () -> new TapDevice(syscalls, "sp0", MAC, 1500));
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().contains("TUNSETIFF sp0 failed: EPERM"), e.getMessage());
        assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
        assertTrue(e.getMessage().contains("ip tuntap add dev sp0 mode tap user"), e.getMessage());
        verify(syscalls).close(FD);
    }

    @Test
    void badNamesAndMacsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TapDevice(syscalls, "", MAC, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapDevice(syscalls, "sixteen-chars-xx", MAC, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapDevice(syscalls, "a/b", MAC, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapDevice(syscalls, "sp0", 0x01_00_5E_00_00_01L, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapDevice(syscalls, "sp0", MAC, 40));
    }
}
