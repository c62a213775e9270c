package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.spinet.hal.eth.DeviceCounters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A TAP's counters as the status page reads them ({@link DeviceCounters}): frames and errors each way. */
class TapDeviceCountersTest {

    private static final int FD = 9;

    private long readResult;
    private long writeResult;

    private TapDevice tap() {
        LinuxSyscalls syscalls = mock(LinuxSyscalls.class);
        when(syscalls.open(eq(TapDevice.TUN_PATH), anyInt())).thenReturn(FD);
        when(syscalls.strerror(anyInt())).thenReturn("text");
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenReturn(0);
        when(syscalls.read(eq(FD), any(), anyLong())).thenAnswer(invocation -> readResult);
        when(syscalls.write(eq(FD), any(), anyLong())).thenAnswer(invocation -> writeResult);
        return new TapDevice(syscalls, "sp0", 0x02_00_00_99_00_02L, 1500);
    }

    private static List<String> names(DeviceCounters counters) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < counters.counterCount(); i++) {
            names.add(counters.counterName(i));
        }
        return names;
    }

    @Test
    void framesAndErrorsEachWayAreNamedCounters() {
        TapDevice tap = tap();
        assertEquals(List.of("RX_FRAMES", "TX_FRAMES", "RX_ERRORS", "TX_ERRORS", "RX_TOO_LONG", "RX_SEGMENTED", "TX_SEGMENTED",
                "RX_CHECKSUMS_COMPLETED", "RX_BAD_VNET_HEADER", "TX_QUEUE_FULL", "TX_QUEUE_REFUSED", "TX_QUEUED_ACKS",
                "TX_BATCHES", "RX_CHECKSUMS_TRUSTED"), names(tap));
        byte[] buffer = new byte[1514];
        readResult = 60;
        tap.receive(buffer, 0, buffer.length);
        tap.receive(buffer, 0, 20);             // longer than the caller's capacity
        readResult = -Errno.EAGAIN;
        tap.receive(buffer, 0, buffer.length);  // nothing waiting: not an error
        readResult = -5;                        // EIO
        tap.receive(buffer, 0, buffer.length);
        writeResult = 60;
        tap.transmit(buffer, 0, 60);
        writeResult = 30;                       // short write
        tap.transmit(buffer, 0, 60);
        assertEquals(1, tap.counterValue(tap.indexOf("RX_FRAMES")));
        assertEquals(1, tap.counterValue(tap.indexOf("RX_TOO_LONG")));
        assertEquals(1, tap.counterValue(tap.indexOf("RX_ERRORS")));
        assertEquals(1, tap.counterValue(tap.indexOf("TX_FRAMES")));
        assertEquals(1, tap.counterValue(tap.indexOf("TX_ERRORS")));
    }
}
