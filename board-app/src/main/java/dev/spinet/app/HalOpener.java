package dev.spinet.app;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.SelfTestReport;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.gpio.InputPin;
import dev.spinet.hal.gpio.OutputPin;
import dev.spinet.hal.linux.GpioBias;
import dev.spinet.hal.linux.GpioChip;
import dev.spinet.hal.linux.EventFd;
import dev.spinet.hal.linux.GpioEdge;
import dev.spinet.hal.linux.GpioInputPin;
import dev.spinet.hal.linux.HeaderGpioChip;
import dev.spinet.hal.linux.RaspberryPi;
import dev.spinet.hal.linux.SpidevBus;
import dev.spinet.hal.linux.SpidevConfig;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.hal.spi.SpiBus;
import dev.spinet.harness.emu.ChipEmulator;
import dev.spinet.harness.emu.ChipFaultScheduler;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.W5500Emulator;
import dev.spinet.net.StackWakeup;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.harness.net.WireBridge;
import dev.spinet.harness.timing.ModeledBoard;
import dev.spinet.harness.timing.ModeledChip;
import dev.spinet.harness.timing.PacedTime;
import dev.spinet.harness.timing.TimedSpiBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the HAL {@code spinet run --hal} names. Failures are exceptions whose message says what
 * to do (not root, no /dev/net/tun, not a Raspberry Pi...); the CLI prints only the message.
 *
 * <ul>
 *   <li>{@code tap}: the stack's frames are the TAP's.</li>
 *   <li>{@code sim-w5500} / {@code sim-enc28j60}: the real driver talks SPI to the register-level
 *       emulator; the emulator's PHY is attached to the TAP, and its pump (run every duty cycle)
 *       moves frames from the TAP into the chip's memory. The stack thread idles on the TAP. With
 *       {@code --chip-fault} a {@link ChipFaultScheduler} runs with the pump and fires the fault.

 *       With the timing model ({@code --spi-clock}) every SPI transaction costs its modelled time
 *       ({@link TimedSpiBus}), the chip's PHY is on a {@link VirtualWire} at the chip's line rate
 *       bridged to the TAP ({@link WireBridge}), and the stack thread is held back in real time
 *       ({@link PacedTime}) so the kernel behind the TAP sees a board's rate.</li>
 *   <li>{@code w5500} / {@code enc28j60}: the driver on /dev/spidevB.C with INT and RESET on the
 *       GPIO character device; the stack thread idles on the INT pin.</li>
 * </ul>
 * Each HAL also gets an eventfd that its idle wait polls beside the TAP or the INT pin: the
 * socket threads signal it to wake the stack thread ({@link OpenedHal#wakeup()}).
 */
public final class HalOpener {

    private HalOpener() {
    }

    public static OpenedHal open(RunOptions options, NanoClock clock) {
        return open(options, clock, ChipFaultScheduler.Listener.NONE);
    }

    /**
     * @param faults told when {@code --chip-fault} is injected and when it ends (sim-* only)
     */
    public static OpenedHal open(RunOptions options, NanoClock clock, ChipFaultScheduler.Listener faults) {
        return switch (options.hal()) {
            case TAP -> openTap(options);
            case SIM_W5500, SIM_ENC28J60 -> openSimulated(options, clock, faults);
            case W5500, ENC28J60 -> openHardware(options, clock);
        };
    }

    private static OpenedHal openTap(RunOptions options) {
        long mac = options.mac() == RunOptions.DEFAULT_MAC ? TapDevice.DEFAULT_MAC : options.mac();
        TapDevice tap = new TapDevice(Libc.instance(), options.tap(), mac, 1500, options.offload(),
                TapDevice.TRANSMIT_QUEUE_FRAMES);
        EventFd wake = openWake(tap);
        tap.wakeOn(wake);
        return new OpenedHal("tap", tap, tap, OpenedHal.Pump.NONE, tap, wake::signal, List.of(tap, wake));
    }

    private static OpenedHal openSimulated(RunOptions options, NanoClock clock, ChipFaultScheduler.Listener faults) {
        if (options.timing() != null) {
            return openTimed(options, clock);
        }
        boolean w5500 = options.hal() == HalKind.SIM_W5500;
        long mac = options.mac() != RunOptions.DEFAULT_MAC ? options.mac()
                : w5500 ? W5500Emulator.DEFAULT_MAC : Enc28j60Emulator.DEFAULT_MAC;
        ChipEmulator chip = w5500 ? new W5500Emulator(mac) : new Enc28j60Emulator(mac, clock);
        TapDevice tap = TapDevice.open(options.tap(), mac);
        try {
            MeteredSpiBus spi = new MeteredSpiBus(chip);
            FrameDevice driver = initDriver(w5500, spi, chip.intPin(), chip.resetPin(), clock, mac);
            chip.attach(tap);
            if (!chip.invalidUses().isEmpty()) {
                throw new IllegalStateException("the driver used the emulated chip wrongly during init: " + chip.invalidUses());
            }
            EventFd wake = openWake(tap);
            tap.wakeOn(wake);
            if (options.chipFault() == null) {
                return new OpenedHal(options.hal().label(), driver, tap, chip::pump, DeviceCounters.concat(chipCounters(driver, spi), new EmulatedChipCounters(chip)),
                        wake::signal, List.of(driver, tap, wake));
            }
            // --chip-fault: the scheduler runs with the emulator's pump, every duty cycle, and its
            // two counters follow the chip's on the status page.
            ChipFaultScheduler scheduler = new ChipFaultScheduler(chip, options.chipFault(), options.chipFaultAfter(), clock)
                    .listener(faults);
            OpenedHal.Pump pump = () -> chip.pump() + scheduler.poll(clock.nanoTime());
            return new OpenedHal(options.hal().label(), driver, tap, pump,
                    DeviceCounters.concat(DeviceCounters.concat(chipCounters(driver, spi), new EmulatedChipCounters(chip)), scheduler), wake::signal, List.of(driver, tap, wake));
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /**
     * The emulated chip under the timing model: TAP - bridge - wire at the chip's line rate - chip
     * - timed SPI bus - driver, all on a {@link PacedTime} over {@code clock}. The paced clock
     * pumps the bridge after every charge and waits on the TAP, so frames move while the board is
     * held back; the duty cycle's pump moves them too.
     */
    private static OpenedHal openTimed(RunOptions options, NanoClock clock) {
        boolean w5500 = options.hal() == HalKind.SIM_W5500;
        long mac = options.mac() != RunOptions.DEFAULT_MAC ? options.mac()
                : w5500 ? W5500Emulator.DEFAULT_MAC : Enc28j60Emulator.DEFAULT_MAC;
        TapDevice tap = TapDevice.open(options.tap(), mac);
        try {
            WireBridge[] bridge = new WireBridge[1];
            PacedTime time = new PacedTime(clock, () -> {
                if (bridge[0] != null) {
                    bridge[0].pump();
                }
            });
            VirtualWire wire = new VirtualWire(time);
            ModeledBoard board = new ModeledBoard(w5500 ? ModeledChip.W5500 : ModeledChip.ENC28J60, mac, options.timing(),
                    wire, "chip", time);
            bridge[0] = new WireBridge(wire, wire.connect("tap", mac ^ 0x0100_0000L), tap);
            WireBridge pumped = bridge[0];
            ChipEmulator chip = board.chip();
            OpenedHal.Pump pump = () -> pumped.pump() + chip.pump();
            EventFd wake = openWake(tap);
            tap.wakeOn(wake);
            return new OpenedHal(options.hal().label(), board.device(), new BridgedChipWait(board.driver(), pumped, board.port(), time), pump,
                    DeviceCounters.concat(DeviceCounters.concat(chipCounters(board.driver(), board.bus()), new EmulatedChipCounters(chip)),
                            new TimingModelCounters(time, board)),
                    wake::signal, List.of(board.driver(), tap, wake));
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    private static OpenedHal openHardware(RunOptions options, NanoClock clock) {
        RaspberryPi.require("--hal " + options.hal().label());
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Hardware hw = Hardware.open(options, resources);
            long mac = options.mac() != RunOptions.DEFAULT_MAC ? options.mac() : defaultBoardMac(options);
            MeteredSpiBus spi = new MeteredSpiBus(hw.spi);
            FrameDevice driver = initDriver(options.hal() == HalKind.W5500, spi, hw.interrupt, hw.reset, clock, mac);
            resources.addFirst(driver);
            StackWakeup wakeup = StackWakeup.NONE;
            if (hw.interrupt instanceof GpioInputPin pin) {
                EventFd wake = EventFd.open();
                resources.add(wake);
                pin.wakeOn(wake);
                wakeup = wake::signal;
            }
            return new OpenedHal(options.hal().label(), driver, driver, OpenedHal.Pump.NONE, chipCounters(driver, spi), wakeup,
                    List.copyOf(resources));
        } catch (RuntimeException e) {
            new OpenedHal("", null, null, OpenedHal.Pump.NONE, DeviceCounters.NONE, StackWakeup.NONE, resources).close();
            throw e;
        }
    }

    /** The eventfd that wakes the stack thread from its wait on {@code tap}; closes the TAP if it cannot be had. */
    private static EventFd openWake(TapDevice tap) {
        try {
            return EventFd.open();
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /** The MAC a board of this HAL uses without {@code --mac}. */
    public static long defaultMac(HalKind kind) {
        return switch (kind) {
            case TAP -> TapDevice.DEFAULT_MAC;
            case SIM_W5500 -> W5500Emulator.DEFAULT_MAC;
            case SIM_ENC28J60 -> Enc28j60Emulator.DEFAULT_MAC;
            case W5500, ENC28J60 -> defaultBoardMac(null);
        };
    }

    /**
     * A locally administered MAC for a board without {@code --mac}: 02:53:4e plus the low 24 bits
     * of the Pi's serial number (from /proc/device-tree/serial-number), so boards in one lab
     * differ without configuration; {@link TapDevice#DEFAULT_MAC} if the serial is unreadable.
     */
    static long defaultBoardMac(RunOptions options) {
        try {
            String serial = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/device-tree/serial-number")),
                    java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
            long low = Long.parseUnsignedLong(serial.length() > 6 ? serial.substring(serial.length() - 6) : serial, 16);
            return 0x02_53_4E_00_00_00L | (low & 0xFF_FFFFL);
        } catch (java.io.IOException | RuntimeException e) {
            return TapDevice.DEFAULT_MAC;
        }
    }

    /**
     * The chip's driver on a metered bus, initialised: every SPI transaction from the reset on
     * is counted, so the status page's SPI totals include start-up.
     */
    static FrameDevice initDriver(boolean w5500, MeteredSpiBus spi, InputPin interrupt, OutputPin reset, NanoClock clock, long mac) {
        return w5500 ? initW5500(spi, interrupt, reset, clock, mac) : initEnc28j60(spi, interrupt, reset, clock, mac);
    }

    /** A chip's counters for the status page and {@code --trace}: the driver's, then the bus's SPI totals. */
    static DeviceCounters chipCounters(FrameDevice driver, MeteredSpiBus spi) {
        return DeviceCounters.concat(driver instanceof DeviceCounters counting ? counting : DeviceCounters.NONE, spi);
    }

    static W5500Driver initW5500(SpiBus spi, InputPin interrupt, OutputPin reset, NanoClock clock, long mac) {
        W5500Driver driver = new W5500Driver(spi, interrupt, reset, clock, W5500Config.defaults(mac));
        driver.init();
        return driver;
    }

    static Enc28j60Driver initEnc28j60(SpiBus spi, InputPin interrupt, OutputPin reset, NanoClock clock, long mac) {
        Enc28j60Driver driver = new Enc28j60Driver(spi, interrupt, reset, clock, Enc28j60Config.defaults(mac));
        driver.init();
        return driver;
    }

    /**
     * The driver self-test ({@code spinet selftest}): on {@code sim-*} against a fresh emulator
     * (attached to nothing, link down), on a Pi against the wired chip.
     */
    public static SelfTestReport selfTest(RunOptions options, NanoClock clock) {
        switch (options.hal()) {
            case SIM_W5500 -> {
                W5500Emulator chip = new W5500Emulator();
                return initW5500(chip, chip.intPin(), chip.resetPin(), clock, chip.mac()).selfTest();
            }
            case SIM_ENC28J60 -> {
                Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
                return initEnc28j60(chip, chip.intPin(), chip.resetPin(), clock, chip.mac()).selfTest();
            }
            case W5500, ENC28J60 -> {
                RaspberryPi.require("spinet selftest --hal " + options.hal().label());
                List<AutoCloseable> resources = new ArrayList<>();
                try {
                    Hardware hw = Hardware.open(options, resources);
                    long mac = options.mac() != RunOptions.DEFAULT_MAC ? options.mac() : defaultBoardMac(options);
                    if (options.hal() == HalKind.W5500) {
                        W5500Driver driver = new W5500Driver(hw.spi, hw.interrupt, hw.reset, clock, W5500Config.defaults(mac));
                        return driver.selfTest();
                    }
                    Enc28j60Driver driver = new Enc28j60Driver(hw.spi, hw.interrupt, hw.reset, clock, Enc28j60Config.defaults(mac));
                    return driver.selfTest();
                } finally {
                    new OpenedHal("", null, null, OpenedHal.Pump.NONE, DeviceCounters.NONE, StackWakeup.NONE, resources).close();
                }
            }
            default -> throw new IllegalArgumentException("selftest needs a chip: --hal w5500, enc28j60, sim-w5500 or sim-enc28j60");
        }
    }

    /** SPI, INT and RESET on a Pi; what was opened is added to {@code resources} (for closing). */
    private record Hardware(SpidevBus spi, InputPin interrupt, OutputPin reset) {

        static Hardware open(RunOptions options, List<AutoCloseable> resources) {
            SpidevBus spi = SpidevBus.open(SpidevConfig.parse(options.spi(), options.effectiveSpiHz()));
            resources.add(spi);
            GpioChip chip = HeaderGpioChip.open(options.gpiochip());
            resources.add(chip);
            // INT is open-drain active low on both chips: falling edge, pulled up in case the
            // module has no pull-up of its own.
            var interrupt = chip.requestInput(options.intPin(), GpioEdge.FALLING, GpioBias.PULL_UP, "spinet-int");
            resources.addFirst(interrupt);
            var reset = chip.requestOutput(options.resetPin(), true, "spinet-reset");
            resources.addFirst(reset);
            return new Hardware(spi, interrupt, reset);
        }
    }
}
