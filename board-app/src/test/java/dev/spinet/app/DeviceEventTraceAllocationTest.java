package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.harness.emu.W5500Emulator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.testkit.AllocationAssert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With {@code --trace}, a duty cycle in which no device counter moved allocates nothing: the
 * metered bus, the concatenated counters, the link poll and the comparison are all on the stack
 * thread's path.
 */
@Tag("allocation")
class DeviceEventTraceAllocationTest {

    @Test
    void aCycleWithoutDeviceEventsAllocatesNothing() {
        ManualClock clock = new ManualClock();
        boolean[] starting = {true};
        NanoClock boardClock = () -> {
            if (starting[0]) {
                clock.advance(100_000L);
            }
            return clock.nanoTime();
        };
        VirtualWire wire = new VirtualWire(clock);
        W5500Emulator chip = new W5500Emulator();
        chip.attach(wire.connect("board", chip.mac()));
        MeteredSpiBus spi = new MeteredSpiBus(chip);
        W5500Driver driver = new W5500Driver(spi, chip.intPin(), chip.resetPin(), boardClock, W5500Config.defaults(chip.mac()));
        driver.init();
        starting[0] = false;
        Stack stack = new Stack(StackConfig.builder().ipAddress(0x0A_4D_00_02, 24).build(), driver);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DeviceEventTrace trace = new DeviceEventTrace(driver, HalOpener.chipCounters(driver, spi), "sim-w5500",
                new PrintStream(printed, true, StandardCharsets.UTF_8), clock);
        StackAgent agent = new StackAgent(stack, chip::pump, driver, clock, trace);
        long spiBefore = spi.transactions();
        // Each cycle 40 ms later: the driver reads PHYCFGR every third cycle or so.
        AllocationAssert.assertZeroAllocation("idle duty cycle with the device trace", () -> {
            agent.runCycle(0);
            clock.advance(40_000_000L);
        });
        assertEquals(0, printed.size(), "nothing moved, nothing printed");
        org.junit.jupiter.api.Assertions.assertTrue(spi.transactions() > spiBefore, "the link was polled over SPI");
    }
}
