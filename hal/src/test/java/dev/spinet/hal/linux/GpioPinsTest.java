package dev.spinet.hal.linux;

import static dev.spinet.hal.linux.SyscallRecorder.u32;
import static dev.spinet.hal.linux.SyscallRecorder.u64;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GpioPinsTest {

    private static final int CHIP_FD = 5;
    private static final int LINE_FD = 11;

    private LinuxSyscalls syscalls;
    private SyscallRecorder recorder;
    private int chipLines = 54;
    private int requestResult = 0;
    private long lineLevelBits = 0;
    private int pendingEvents = 0;
    private int pollResult = 1;
    private final java.util.List<Integer> pollTimeouts = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        syscalls = mock(LinuxSyscalls.class);
        recorder = new SyscallRecorder();
        when(syscalls.open(eq("/dev/gpiochip0"), anyInt())).thenReturn(CHIP_FD);
        when(syscalls.open(eq("/dev/gpiochip4"), anyInt())).thenReturn(-Errno.ENOENT);
        when(syscalls.strerror(anyInt())).thenReturn("text");
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            int fd = invocation.getArgument(0);
            long request = invocation.getArgument(1);
            MemorySegment argument = invocation.getArgument(2);
            recorder.record(fd, request, argument);
            if (request == GpioV2.GET_CHIPINFO_IOCTL) {
                argument.fill((byte) 0);
                MemorySegment.copy("gpiochip0".getBytes(StandardCharsets.US_ASCII), 0, argument, ValueLayout.JAVA_BYTE, 0, 9);
                MemorySegment.copy("pinctrl-bcm2711".getBytes(StandardCharsets.US_ASCII), 0, argument, ValueLayout.JAVA_BYTE, 32, 15);
                argument.set(ValueLayout.JAVA_INT, 64, chipLines);
            } else if (request == GpioV2.GET_LINE_IOCTL) {
                if (requestResult < 0) {
                    return requestResult;
                }
                argument.set(ValueLayout.JAVA_INT, GpioV2.REQUEST_FD_OFFSET, LINE_FD);
            } else if (request == GpioV2.LINE_GET_VALUES_IOCTL) {
                argument.set(ValueLayout.JAVA_LONG, 0, lineLevelBits & argument.get(ValueLayout.JAVA_LONG, 8));
            }
            return 0;
        });
        when(syscalls.poll(any(), eq(1), anyInt())).thenAnswer(invocation -> {
            MemorySegment fds = invocation.getArgument(0);
            assertEquals(LINE_FD, fds.get(ValueLayout.JAVA_INT, 0));
            assertEquals(PollFd.POLLIN, fds.get(ValueLayout.JAVA_SHORT, 4));
            int timeout = invocation.getArgument(2);
            pollTimeouts.add(timeout);
            if (pollResult > 0) {
                fds.set(ValueLayout.JAVA_SHORT, 6, PollFd.POLLIN);
            } else {
                Thread.sleep(timeout); // a kernel that waits the whole timeout
            }
            return pollResult;
        });
        when(syscalls.read(eq(LINE_FD), any(), anyLong())).thenAnswer(invocation -> {
            MemorySegment buffer = invocation.getArgument(1);
            long capacity = invocation.getArgument(2);
            assertEquals(GpioV2.LINE_EVENT_SIZE * GpioInputPin.EVENTS_PER_READ, capacity);
            for (int i = 0; i < pendingEvents; i++) {
                long base = (long) i * GpioV2.LINE_EVENT_SIZE;
                buffer.set(ValueLayout.JAVA_LONG, base, 1_000L + i);
                buffer.set(ValueLayout.JAVA_INT, base + 8, GpioV2.EVENT_FALLING_EDGE);
                buffer.set(ValueLayout.JAVA_INT, base + 12, 25);
            }
            return (long) pendingEvents * GpioV2.LINE_EVENT_SIZE;
        });
    }

    private SyscallRecorder.Call lineRequest() {
        return recorder.calls.stream().filter(c -> c.request() == GpioV2.GET_LINE_IOCTL).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void chipInfoIsReadAtOpen() {
        try (GpioChip chip = new GpioChip(syscalls, 0)) {
            verify(syscalls).open("/dev/gpiochip0", OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
            assertEquals(GpioV2.GET_CHIPINFO_IOCTL, recorder.calls.get(0).request());
            assertEquals(68, recorder.calls.get(0).argument().length);
            assertEquals("gpiochip0", chip.name());
            assertEquals("pinctrl-bcm2711", chip.label());
            assertEquals(54, chip.lines());
        }
        verify(syscalls).close(CHIP_FD);
    }

    @Test
    void inputRequestAsksForOneLineWithFallingEdgeAndPullUp() {
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioInputPin pin = chip.requestInput(25, GpioEdge.FALLING, GpioBias.PULL_UP, "spinet-int")) {
            SyscallRecorder.Call call = lineRequest();
            assertEquals(CHIP_FD, call.fd());
            assertEquals(0xC250B407L, call.request());
            byte[] r = call.argument();
            assertEquals(592, r.length);
            assertEquals(25, u32(r, 0), "offsets[0]");
            assertEquals(0, u32(r, 4), "offsets[1] unused");
            assertEquals("spinet-int", new String(r, 256, 10, StandardCharsets.US_ASCII));
            assertEquals(0, r[266], "consumer NUL-terminated");
            assertEquals(GpioV2.FLAG_INPUT | GpioV2.FLAG_EDGE_FALLING | GpioV2.FLAG_BIAS_PULL_UP, u64(r, 288));
            assertEquals(0x4L | 0x20L | 0x100L, u64(r, 288));
            assertEquals(0, u32(r, 296), "num_attrs");
            assertEquals(1, u32(r, 560), "num_lines");
            assertEquals(0, u32(r, 564), "event_buffer_size: kernel default");
            for (int i = 568; i < 592; i++) {
                assertEquals(0, r[i], "padding and fd zero on the way in, byte " + i);
            }
            assertTrue(pin.toString().contains("GPIO25 on /dev/gpiochip0"));
        }
        verify(syscalls).close(LINE_FD);
    }

    @Test
    void outputRequestCarriesTheInitialLevelAsAnAttribute() {
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioOutputPin pin = chip.requestOutput(24, true, "spinet-reset")) {
            byte[] r = lineRequest().argument();
            assertEquals(24, u32(r, 0));
            assertEquals(GpioV2.FLAG_OUTPUT, u64(r, 288));
            assertEquals(1, u32(r, 296), "num_attrs");
            assertEquals(GpioV2.ATTR_ID_OUTPUT_VALUES, u32(r, 320), "attrs[0].attr.id");
            assertEquals(1L, u64(r, 328), "attrs[0].attr.values: high");
            assertEquals(1L, u64(r, 336), "attrs[0].mask: line 0 of the request");
            assertTrue(pin.isHigh());

            pin.set(false);
            SyscallRecorder.Call set = recorder.last();
            assertEquals(LINE_FD, set.fd());
            assertEquals(0xC010B40FL, set.request());
            assertEquals(16, set.argument().length);
            assertEquals(0L, u64(set.argument(), 0), "bits");
            assertEquals(1L, u64(set.argument(), 8), "mask");
            assertFalse(pin.isHigh());
            pin.set(true);
            assertEquals(1L, u64(recorder.last().argument(), 0));
            assertTrue(pin.isHigh());
        }
    }

    @Test
    void inputLevelIsReadWithGetValues() {
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioInputPin pin = chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, null)) {
            lineLevelBits = 1;
            assertTrue(pin.isHigh());
            assertEquals(0xC010B40EL, recorder.last().request());
            assertEquals(LINE_FD, recorder.last().fd());
            assertEquals(1L, u64(recorder.last().argument(), 8), "mask asks for line 0");
            lineLevelBits = 0;
            assertFalse(pin.isHigh());
            assertEquals("spinet", new String(lineRequest().argument(), 256, 6, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void awaitEdgeReadsAllQueuedEvents() throws InterruptedException {
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioInputPin pin = chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, "x")) {
            pendingEvents = 3;
            assertTrue(pin.awaitEdge(1_000_000_000L));
            assertEquals(3, pin.eventCount());
            assertEquals(1_002L, pin.lastEventTimestampNanos());
            assertEquals(GpioV2.EVENT_FALLING_EDGE, pin.lastEventId());
        }
    }

    @Test
    void awaitEdgeTimesOutWithPollTimeoutsRoundedUpAndSliced() throws InterruptedException {
        pollResult = 0;
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioInputPin pin = chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, "x")) {
            assertFalse(pin.awaitEdge(1_500_000L));
            assertEquals(2, pollTimeouts.getFirst(), "1.5 ms rounds up to 2 ms, never down to 1");
            pollTimeouts.clear();
            assertFalse(pin.awaitEdge(250_000_000L));
            assertEquals(100, pollTimeouts.getFirst(), "long waits are cut into 100 ms slices");
            // How many slices a 250 ms wait takes depends on how late the (real) sleeps wake on a
            // loaded machine; what must hold is that no single poll waits longer than a slice.
            assertTrue(pollTimeouts.stream().allMatch(t -> t > 0 && t <= 100), "every slice 1..100 ms: " + pollTimeouts);
            pollTimeouts.clear();
            assertFalse(pin.awaitEdge(0));
            assertEquals(java.util.List.of(0), pollTimeouts, "a zero timeout is one non-blocking poll");
        }
        assertEquals(100, PollFd.timeoutMillis(5_000_000_000L, 100));
        assertEquals(1, PollFd.timeoutMillis(1, 100));
        assertEquals(0, PollFd.timeoutMillis(-5, 100));
    }

    @Test
    void interruptedThreadGetsInterruptedException() {
        try (GpioChip chip = new GpioChip(syscalls, 0);
             GpioInputPin pin = chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, "x")) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> pin.awaitEdge(1_000_000L));
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void wrongChipNumberSaysPassGpiochip() {
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class, () -> new GpioChip(syscalls, 4));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("open /dev/gpiochip4 failed: ENOENT (text)"), e.getMessage());
        assertTrue(e.getMessage().contains("--gpiochip"), e.getMessage());
    }

    @Test
    void permissionDeniedSaysGroupGpio() {
        when(syscalls.open(eq("/dev/gpiochip1"), anyInt())).thenReturn(-Errno.EACCES);
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class, () -> new GpioChip(syscalls, 1));
        assertTrue(e.getMessage().contains("group gpio"), e.getMessage());
    }

    @Test
    void lineBeyondTheChipSaysWrongChip() {
        chipLines = 8;
        try (GpioChip chip = new GpioChip(syscalls, 0)) {
            LinuxDeviceException e = assertThrows(LinuxDeviceException.class,
                    () -> chip.requestInput(25, GpioEdge.FALLING, GpioBias.AS_IS, "x"));
            assertTrue(e.getMessage().contains("GPIO line 25 does not exist on /dev/gpiochip0"), e.getMessage());
            assertTrue(e.getMessage().contains("wrong chip"), e.getMessage());
            assertTrue(e.getMessage().contains("--gpiochip"), e.getMessage());
        }
    }

    @Test
    void busyLineNamesTheLikelyCulprits() {
        requestResult = -Errno.EBUSY;
        try (GpioChip chip = new GpioChip(syscalls, 0)) {
            LinuxDeviceException e = assertThrows(LinuxDeviceException.class,
                    () -> chip.requestOutput(24, true, "x"));
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertTrue(e.getMessage().contains("overlay"), e.getMessage());
        }
    }

    @Test
    void requestStructIsRewrittenCompletely() {
        MemorySegment request = java.lang.foreign.Arena.ofAuto().allocate(GpioV2.LINE_REQUEST_SIZE, 8);
        request.fill((byte) 0x5A);
        GpioV2.writeSingleLineRequest(request, 3, "a-consumer-label-longer-than-31-bytes", GpioV2.FLAG_INPUT, false, false);
        byte[] r = request.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(0, r[256 + 31], "consumer truncated and NUL-terminated");
        assertEquals(0, Arrays.stream(new int[] {4, 300, 588}).map(i -> r[i]).sum());
    }
}
