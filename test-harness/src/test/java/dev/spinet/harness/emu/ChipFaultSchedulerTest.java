package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler fires its fault at the trigger, ends it after its time, and tells its listener. */
class ChipFaultSchedulerTest {

    private static final long PEER = 0x0200_0000_0099L;
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();
    private final List<String> events = new ArrayList<>();

    @Test
    void aTimedLinkFlapPullsTheCableAtItsTimeAndPlugsItBackAfterItsDuration() {
        W5500Emulator chip = new W5500Emulator();
        ChipFaultScheduler scheduler = new ChipFaultScheduler(chip, ChipFaultSpec.parse("link-flap:300"), FaultTrigger.parse("2s"), clock)
                .listener(events::add);
        assertEquals(clock.nanoTime() + 2000 * MS, scheduler.nextDeadline(clock.nanoTime()));
        clock.advance(1999 * MS);
        assertEquals(0, scheduler.poll(clock.nanoTime()));
        assertTrue(chip.link());
        clock.advance(MS);
        assertEquals(1, scheduler.poll(clock.nanoTime()));
        assertFalse(chip.link(), "cable out");
        assertEquals(clock.nanoTime(), scheduler.injectedAtNanos());
        assertEquals(clock.nanoTime() + 300 * MS, scheduler.nextDeadline(clock.nanoTime()));
        clock.advance(299 * MS);
        assertEquals(0, scheduler.poll(clock.nanoTime()));
        assertFalse(chip.link());
        clock.advance(MS);
        assertEquals(1, scheduler.poll(clock.nanoTime()));
        assertTrue(chip.link(), "plugged back");
        assertTrue(scheduler.ended());
        assertEquals(300 * MS, scheduler.endedAtNanos() - scheduler.injectedAtNanos());
        assertEquals(List.of("link-flap:300 injected", "link-flap:300 ended"), events);
        assertEquals(0, scheduler.poll(clock.nanoTime() + 1000 * MS), "once only");
    }

    @Test
    void aTrafficTriggerFiresOnceTheChipHasMovedThatManyBytes() {
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        ChipFaultScheduler scheduler = new ChipFaultScheduler(chip, ChipFaultSpec.parse("int-lost:100"), FaultTrigger.afterBytes(1000), clock);
        byte[] frame = Frames.frame(chip.mac(), PEER, 600, 1);
        chip.injectFrame(frame, 0, frame.length);
        assertEquals(0, scheduler.poll(clock.nanoTime()));
        assertFalse(chip.interruptHeld());
        chip.injectFrame(frame, 0, frame.length);
        assertEquals(1200, chip.wireBytes(), "offered frames count whether or not the chip stored them");
        assertEquals(1, scheduler.poll(clock.nanoTime()));
        assertTrue(chip.interruptHeld());
        clock.advance(100 * MS);
        scheduler.poll(clock.nanoTime());
        assertFalse(chip.interruptHeld());
    }

    @Test
    void aStormKeepsTheReceiveMemoryFullUntilItEnds() {
        SteppingClock boardClock = new SteppingClock(100_000L);
        W5500Emulator chip = new W5500Emulator();
        W5500Driver driver = EmulatedDrivers.w5500(chip, boardClock, W5500Config.defaults(chip.mac()));
        ChipFaultScheduler scheduler = new ChipFaultScheduler(chip, ChipFaultSpec.parse("rx-overflow:20"), FaultTrigger.parse("1ms"), clock);
        clock.advance(MS);
        scheduler.poll(clock.nanoTime());
        byte[] frame = Frames.frame(chip.mac(), PEER, 60, 1);
        assertFalse(chip.injectFrame(frame, 0, frame.length), "full: not even a minimum-size frame fits");
        byte[] buffer = new byte[1514];
        int drained = 0;
        while (driver.receive(buffer, 0, buffer.length) > 0) {
            drained++;
        }
        assertEquals(16384 / 1516 + (16384 % 1516) / 62, drained, "full-size broadcast frames, then minimum-size ones in what is left");
        assertEquals(0, scheduler.poll(clock.nanoTime()), "one refill per instant");
        clock.advance(MS);
        assertEquals(1, scheduler.poll(clock.nanoTime()), "refilled at the next instant");
        assertFalse(chip.injectFrame(frame, 0, frame.length));
        while (driver.receive(buffer, 0, buffer.length) > 0) {
            drained++;
        }
        clock.advance(20 * MS);
        scheduler.poll(clock.nanoTime());
        assertTrue(scheduler.ended());
        assertTrue(chip.injectFrame(frame, 0, frame.length), "the storm is over");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aFaultOfTheOtherChipIsRefusedWhenTheSchedulerIsBuilt() {
        VirtualWire wire = new VirtualWire(clock);
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        chip.attach(wire.connect("enc", chip.mac()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChipFaultScheduler(chip, ChipFaultSpec.parse("send-stuck"), FaultTrigger.parse("1s"), clock));
        assertTrue(e.getMessage().startsWith("send-stuck is not a fault of the ENC28J60"), e.getMessage());
    }

    @Test
    void aBrownOutIsInstantAndResetsTheChip() {
        W5500Emulator chip = new W5500Emulator();
        W5500Driver driver = EmulatedDrivers.w5500(chip, new SteppingClock(100_000L), W5500Config.defaults(chip.mac()));
        assertEquals(0x42, chip.socketStatus(0));
        ChipFaultScheduler scheduler = new ChipFaultScheduler(chip, ChipFaultSpec.parse("brown-out"), FaultTrigger.parse("5ms"), clock);
        clock.advance(5 * MS);
        scheduler.poll(clock.nanoTime());
        assertTrue(scheduler.injected() && scheduler.ended());
        assertEquals(0, chip.socketStatus(0));
        assertEquals(0, chip.socketMode());
        assertNotNull(driver);
    }
}
