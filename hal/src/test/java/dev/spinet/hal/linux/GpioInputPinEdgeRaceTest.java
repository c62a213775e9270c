package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The character-device pin keeps no count of its own: the kernel queues each edge on the line's
 * descriptor until it is read, and {@code awaitEdge} polls that queue. An edge between the
 * driver's level check and the wait is therefore still queued when the wait starts, and the first
 * poll returns it.
 */
class GpioInputPinEdgeRaceTest {

    private static final int LINE_FD = 11;

    @Test
    void edgeQueuedAfterTheLevelCheckEndsTheWaitOnTheFirstPoll() throws InterruptedException {
        LinuxSyscalls syscalls = mock(LinuxSyscalls.class);
        List<Integer> pollTimeouts = new ArrayList<>();
        int[] queuedEvents = {0};
        when(syscalls.ioctl(eq(LINE_FD), eq(GpioV2.LINE_GET_VALUES_IOCTL), any())).thenAnswer(invocation -> {
            MemorySegment values = invocation.getArgument(2);
            values.set(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_BITS_OFFSET, 1L); // INT idle high
            return 0;
        });
        when(syscalls.poll(any(), eq(1), anyInt())).thenAnswer(invocation -> {
            MemorySegment fds = invocation.getArgument(0);
            pollTimeouts.add(invocation.getArgument(2));
            if (queuedEvents[0] > 0) {
                fds.set(ValueLayout.JAVA_SHORT, 6, PollFd.POLLIN);
                return 1;
            }
            return 0;
        });
        when(syscalls.read(eq(LINE_FD), any(), anyLong())).thenAnswer(invocation -> {
            MemorySegment buffer = invocation.getArgument(1);
            buffer.set(ValueLayout.JAVA_INT, GpioV2.EVENT_ID_OFFSET, GpioV2.EVENT_FALLING_EDGE);
            int events = queuedEvents[0];
            queuedEvents[0] = 0;
            return (long) events * GpioV2.LINE_EVENT_SIZE;
        });
        try (GpioInputPin pin = new GpioInputPin(syscalls, LINE_FD, "GPIO25 on /dev/gpiochip0")) {
            assertTrue(pin.isHigh(), "the driver sees INT idle and decides to wait");
            queuedEvents[0] = 1; // the chip pulls INT low now: the kernel queues a falling edge
            assertTrue(pin.awaitEdge(30_000_000_000L));
            assertEquals(1, pollTimeouts.size(), "returned on the first poll");
            assertEquals(1, pin.eventCount());
        }
    }
}
