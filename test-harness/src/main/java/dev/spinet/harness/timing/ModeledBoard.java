package dev.spinet.harness.timing;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.harness.emu.ChipEmulator;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.W5500Emulator;
import dev.spinet.harness.net.VirtualWire;

/**
 * A modelled board: the real driver talking, through a {@link MeteredSpiBus} and a
 * {@link TimedSpiBus}, to a register-level emulated chip whose PHY is a port of a
 * {@link VirtualWire} running the chip's {@link ModeledChip#link() line rate}; for the ENC28J60
 * the driver is wrapped in {@link OneFrameTransmitBuffer}. The timing is all in decorators: the
 * emulators and drivers are the ones every other test uses.
 *
 * <p>{@link #device()} is what a stack runs on. The wire is the caller's (it may hold a peer's
 * port, or a {@code WireBridge} to a TAP); this class gives it the chip's line rate.
 */
public final class ModeledBoard {

    /** The driver's start-up waits (2 ms after reset) pass on the model clock in steps of this. */
    private static final long STARTUP_STEP_NANOS = 100_000L;

    private final ModeledChip kind;
    private final ChipEmulator chip;
    private final VirtualWire.Port port;
    private final MeteredSpiBus bus;
    private final TimedSpiBus timedBus;
    private final FrameDevice driver;
    private final FrameDevice device;
    private final OneFrameTransmitBuffer transmitBuffer;

    /**
     * Builds the chip, attaches it to {@code wire} as port {@code portName}, gives the wire the
     * chip's line rate and brings the driver up (allocates; the start-up's 2 ms pass on
     * {@code time}).
     */
    public ModeledBoard(ModeledChip kind, long mac, SpiTiming spi, VirtualWire wire, String portName, ModelClock time) {
        if (kind == null || spi == null || wire == null || time == null) {
            throw new IllegalArgumentException("ModeledBoard needs a chip kind, an SpiTiming, a wire and a model clock");
        }
        this.kind = kind;
        boolean[] starting = {true};
        // Waits during init (BoundedWait on the driver's clock) must let model time pass, or the
        // emulated ENC28J60 would still ignore SPI after its soft reset (errata: 1 ms).
        NanoClock driverClock = () -> {
            if (starting[0]) {
                time.spend(STARTUP_STEP_NANOS);
            }
            return time.nanoTime();
        };
        this.chip = kind == ModeledChip.W5500 ? new W5500Emulator(mac) : new Enc28j60Emulator(mac, time);
        wire.linkRate(kind.link());
        this.port = wire.connect(portName, mac);
        chip.attach(port);
        this.timedBus = new TimedSpiBus(chip, spi, time);
        this.bus = new MeteredSpiBus(timedBus);
        if (kind == ModeledChip.W5500) {
            W5500Driver w5500 = new W5500Driver(bus, chip.intPin(), chip.resetPin(), driverClock, W5500Config.defaults(mac));
            w5500.init();
            this.driver = w5500;
            this.transmitBuffer = null;
            this.device = w5500;
        } else {
            Enc28j60Driver enc = new Enc28j60Driver(bus, chip.intPin(), chip.resetPin(), driverClock, Enc28j60Config.defaults(mac));
            enc.init();
            this.driver = enc;
            this.transmitBuffer = new OneFrameTransmitBuffer(enc, port, time);
            this.device = transmitBuffer;
        }
        starting[0] = false;
        if (!chip.invalidUses().isEmpty()) {
            throw new IllegalStateException("the driver used the emulated " + kind + " wrongly during init: " + chip.invalidUses());
        }
    }

    /** What the stack runs on: the driver, behind the one-frame transmit wait for the ENC28J60. */
    public FrameDevice device() {
        return device;
    }

    /** The driver itself (its counters). */
    public FrameDevice driver() {
        return driver;
    }

    public ChipEmulator chip() {
        return chip;
    }

    public ModeledChip kind() {
        return kind;
    }

    /** The chip's port on the wire. */
    public VirtualWire.Port port() {
        return port;
    }

    /** The metered bus the driver talks to (transaction and byte counts). */
    public MeteredSpiBus bus() {
        return bus;
    }

    /** The timed bus under it (modelled SPI time). */
    public TimedSpiBus timedBus() {
        return timedBus;
    }

    /** Model nanoseconds the ENC28J60's driver waited for its previous frame to leave (0 for the W5500). */
    public long transmitWaitNanos() {
        return transmitBuffer == null ? 0 : transmitBuffer.waitedNanos();
    }
}
