package dev.spinet.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spinet.config.StackConfig;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.QueueFrameDevice;

/**
 * Arbitrary bytes as a received frame, into an interface. Invariants after every input: no
 * exception escapes poll, no internal error was caught, the work is bounded (one frame = one
 * unit), and the fixed pools did not grow.
 */
class FrameInputFuzzTest {

    static final long US_MAC = 0x02_00_00_00_00_02L;

    @FuzzTest(maxDuration = "10s")
    void arbitraryFrameIntoTheInterface(byte[] frame) {
        QueueFrameDevice device = new QueueFrameDevice(US_MAC);
        device.injectWithoutCopy(frame);
        Interface iface = new Interface(StackConfig.builder().ipAddress(0x0A_00_00_02, 24).build(), device);
        int work = iface.poll(1_000_000_000L);
        assertTrue(work <= 2, "bounded work for one frame: " + work);
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS), () -> String.valueOf(iface.lastInternalError()));
        assertTrue(iface.neighbors().used() <= iface.neighbors().capacity());
        assertTrue(device.sentCount() <= 2, "at most a reply and an ARP request per frame");
    }
}
