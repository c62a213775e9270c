package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.testkit.AllocationAssert;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Both drivers' packet paths (and the emulators under them) allocate nothing per frame. */
@Tag("allocation")
class DriverAllocationTest {

    private static final long PEER = 0x0200_0000_0099L;
    private final SteppingClock clock = new SteppingClock(100_000L);
    private final byte[] buffer = new byte[1514];

    @Test
    void w5500ReceiveBatchAndTransmit() {
        W5500Emulator chip = new W5500Emulator();
        W5500Driver driver = EmulatedDrivers.w5500(chip, clock, W5500Config.defaults(chip.mac()));
        assertReceiveBatchAndTransmitAllocateNothing("W5500", chip, chip.mac(), driver);
    }

    @Test
    void enc28j60ReceiveAndTransmit() {
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        Enc28j60Driver driver = EmulatedDrivers.enc28j60(chip, clock, Enc28j60Config.defaults(chip.mac()));
        assertReceiveBatchAndTransmitAllocateNothing("ENC28J60", chip, chip.mac(), driver);
    }

    /**
     * Per run: a full and a short frame arrive, three receives (the last finds nothing) and one
     * full-size transmit; neither the driver nor the emulator may allocate.
     */
    private void assertReceiveBatchAndTransmitAllocateNothing(String name, ChipEmulator chip, long mac, FrameDevice driver) {
        clock.step(0);
        byte[] in = Frames.frame(mac, PEER, 512, 1);
        byte[] out = Frames.frame(PEER, mac, 1514, 2);
        Runnable frame = () -> {
            chip.injectFrame(in, 0, in.length);
            chip.injectFrame(in, 0, 100);
            driver.receive(buffer, 0, buffer.length);
            driver.receive(buffer, 0, buffer.length);
            driver.receive(buffer, 0, buffer.length);
            driver.transmit(out, 0, out.length);
        };
        AllocationAssert.assertZeroAllocation(name + " receive batch + transmit", frame);
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void bothDriversAcrossAVirtualWire() {
        VirtualWire wire = new VirtualWire(clock, 64, 1514);
        W5500Emulator w = new W5500Emulator();
        Enc28j60Emulator e = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        w.attach(wire.connect("w5500", w.mac()));
        e.attach(wire.connect("enc28j60", e.mac()));
        FrameDevice a = EmulatedDrivers.w5500(w, clock, W5500Config.defaults(w.mac()));
        FrameDevice b = EmulatedDrivers.enc28j60(e, clock, Enc28j60Config.defaults(e.mac()));
        clock.step(0);
        byte[] ab = Frames.frame(e.mac(), w.mac(), 700, 1);
        byte[] ba = Frames.frame(w.mac(), e.mac(), 300, 2);
        Runnable exchange = () -> {
            a.transmit(ab, 0, ab.length);
            b.receive(buffer, 0, buffer.length);
            b.transmit(ba, 0, ba.length);
            a.receive(buffer, 0, buffer.length);
        };
        AllocationAssert.assertZeroAllocation("W5500 <-> wire <-> ENC28J60", exchange);
        assertEquals(List.of(), w.invalidUses());
        assertEquals(List.of(), e.invalidUses());
    }

    /**
     * The periodic work (W5500 link poll and Sn_MR read-back; ENC28J60 EIE and EIR reads) and the
     * idle wait's check with INT held high allocate nothing either: time moves 20 ms per clock
     * read here, so both run several times per iteration.
     */
    @Test
    void periodicChecksAndIdleWaitsWithALostInterrupt() {
        W5500Emulator w = new W5500Emulator();
        SleepingBoard.Pin wPin = new SleepingBoard.Pin(w.intPin());
        W5500Driver a = new W5500Driver(w, wPin, w.resetPin(), clock, W5500Config.defaults(w.mac()));
        a.init();
        Enc28j60Emulator e = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        SleepingBoard.Pin ePin = new SleepingBoard.Pin(e.intPin());
        Enc28j60Driver b = new Enc28j60Driver(e, ePin, e.resetPin(), clock, Enc28j60Config.defaults(e.mac()));
        b.init();
        w.holdInterruptDeasserted(true);
        e.holdInterruptDeasserted(true);
        clock.step(20_000_000L);
        assertIdleCycleAllocatesNothing("W5500", w, w.mac(), a);
        assertIdleCycleAllocatesNothing("ENC28J60", e, e.mac(), b);
    }

    private void assertIdleCycleAllocatesNothing(String name, ChipEmulator chip, long mac, FrameDevice driver) {
        byte[] in = Frames.frame(mac, PEER, 300, 1);
        byte[] out = Frames.frame(PEER, mac, 200, 2);
        Runnable cycle = () -> {
            chip.injectFrame(in, 0, in.length);
            try {
                driver.awaitReceive(1_000_000_000L);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
            driver.receive(buffer, 0, buffer.length);
            driver.receive(buffer, 0, buffer.length);
            driver.transmit(out, 0, out.length);
            driver.linkUp();
        };
        AllocationAssert.assertZeroAllocation(name + " periodic checks and idle waits with INT held", cycle);
        assertEquals(List.of(), chip.invalidUses());
    }
}
