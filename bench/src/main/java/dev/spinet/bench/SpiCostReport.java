package dev.spinet.bench;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.harness.emu.ChipEmulator;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.SteppingClock;
import dev.spinet.harness.emu.W5500Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SPI accounting for both drivers, each on its register-level emulator behind a
 * {@link MeteredSpiBus}: transactions (chip-select periods, what costs tens of microseconds each
 * through spidev on a Pi) and bytes clocked, per received and per transmitted frame, at 64, 512
 * and 1514-byte frames, single frames and bursts of 8. Counts, not times: the figures are exact
 * and repeatable.
 *
 * <p>Receive: the frames are put into the chip (as many as its buffer holds; the rest as space
 * frees up, as frames arriving back to back would), then {@code receive} is called until it
 * returns NO_FRAME; the count includes that last call (the one that finds the chip empty) and,
 * for the ENC28J60, every ERXRDPT write that hands FIFO space back during the burst. Transmit: after two warm-up frames of the same size (so
 * cached pointer bytes are in their steady state), the burst is sent back to back; the emulated
 * chips finish each frame at once. The W5500's PHYCFGR link re-read (one transaction every
 * 100 ms) is outside the measurement.
 *
 * <p>Run: {@code ./mvnw -B -q -pl test-harness -am verify -Dtest=SpiCostReportTest} (writes
 * {@code bench/target/spi-cost.md}), or this class's main with an output path.
 */
public final class SpiCostReport {

    /** One measured scenario. */
    public record Row(String driver, String direction, int frameBytes, int burst, long transactions, long bytes) {

        public double transactionsPerFrame() {
            return (double) transactions / burst;
        }

        public double bytesPerFrame() {
            return (double) bytes / burst;
        }
    }

    private static final long PEER = 0x0200_0000_0099L;
    private static final int[] SIZES = {64, 512, 1514};
    private static final int[] BURSTS = {1, 8};

    private SpiCostReport() {
    }

    /** Measures every scenario. Allocates (set-up); deterministic. */
    public static List<Row> measure() {
        List<Row> rows = new ArrayList<>();
        for (int size : SIZES) {
            for (int burst : BURSTS) {
                rows.add(measureW5500(size, burst, true));
                rows.add(measureEnc28j60(size, burst, true));
            }
        }
        for (int size : SIZES) {
            for (int burst : BURSTS) {
                rows.add(measureW5500(size, burst, false));
                rows.add(measureEnc28j60(size, burst, false));
            }
        }
        return rows;
    }

    static Row measureW5500(int size, int burst, boolean receive) {
        W5500Emulator chip = new W5500Emulator();
        MeteredSpiBus bus = new MeteredSpiBus(chip);
        SteppingClock clock = new SteppingClock(100_000L);
        W5500Driver driver = new W5500Driver(bus, chip.intPin(), chip.resetPin(), clock, W5500Config.defaults(chip.mac()));
        driver.init();
        clock.step(0);
        return run("W5500", chip, driver, bus, size, burst, receive);
    }

    static Row measureEnc28j60(int size, int burst, boolean receive) {
        SteppingClock clock = new SteppingClock(100_000L);
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        MeteredSpiBus bus = new MeteredSpiBus(chip);
        Enc28j60Driver driver = new Enc28j60Driver(bus, chip.intPin(), chip.resetPin(), clock, Enc28j60Config.defaults(chip.mac()));
        driver.init();
        clock.step(0);
        return run("ENC28J60", chip, driver, bus, size, burst, receive);
    }

    private static Row run(String name, ChipEmulator chip, FrameDevice driver, MeteredSpiBus bus, int size, int burst, boolean receive) {
        long mac = driver.macAddress();
        byte[] buffer = new byte[1514];
        if (receive) {
            byte[] frame = frame(mac, PEER, size);
            // Warm-up: one frame through, so pointers are not at their reset values.
            chip.injectFrame(frame, 0, size);
            drain(driver, buffer);
            bus.reset();
            // The burst arrives back to back; a chip whose buffer cannot hold all of it (the
            // ENC28J60's 6.5 KiB FIFO holds four 1514-byte frames) gets the rest as it is read.
            int injected = 0;
            int got = 0;
            for (int guard = 0; guard < 1000 && got < burst; guard++) {
                while (injected < burst && hasRoom(chip, size)) {
                    chip.injectFrame(frame, 0, size);
                    injected++;
                }
                if (driver.receive(buffer, 0, buffer.length) > 0) {
                    got++;
                }
            }
            if (got != burst || driver.receive(buffer, 0, buffer.length) != FrameDevice.NO_FRAME) {
                throw new IllegalStateException(name + " received " + got + " of " + burst + " frames");
            }
        } else {
            byte[] frame = frame(PEER, mac, size);
            for (int i = 0; i < 2; i++) {
                send(driver, frame);
            }
            bus.reset();
            for (int i = 0; i < burst; i++) {
                send(driver, frame);
            }
        }
        if (!chip.invalidUses().isEmpty()) {
            throw new IllegalStateException(name + " invalid use: " + chip.invalidUses());
        }
        return new Row(name, receive ? "receive" : "transmit", size, burst, bus.transactions(), bus.bytes());
    }

    private static boolean hasRoom(ChipEmulator chip, int size) {
        return !(chip instanceof Enc28j60Emulator enc) || enc.hasRoomFor(size);
    }

    private static void send(FrameDevice driver, byte[] frame) {
        if (!driver.transmit(frame, 0, frame.length)) {
            throw new IllegalStateException("transmit refused");
        }
    }

    private static int drain(FrameDevice driver, byte[] buffer) {
        int frames = 0;
        for (int i = 0; i < 100; i++) {
            int n = driver.receive(buffer, 0, buffer.length);
            if (n == FrameDevice.NO_FRAME) {
                return frames;
            }
            frames++;
        }
        return frames;
    }

    private static byte[] frame(long destination, long source, int size) {
        byte[] frame = new byte[size];
        MacAddress.write(destination, frame, 0);
        MacAddress.write(source, frame, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5;
        for (int i = 14; i < size; i++) {
            frame[i] = (byte) i;
        }
        return frame;
    }

    /** The table as Markdown. */
    public static String markdown(List<Row> rows) {
        StringBuilder text = new StringBuilder();
        text.append("| driver | direction | frame bytes | burst | SPI transactions per frame | SPI bytes per frame | transactions per burst |\n");
        text.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            text.append(String.format("| %s | %s | %d | %d | %.2f | %.1f | %d |%n", row.driver(), row.direction(),
                    row.frameBytes(), row.burst(), row.transactionsPerFrame(), row.bytesPerFrame(), row.transactions()));
        }
        return text.toString();
    }

    /** Writes the table to {@code args[0]} (default {@code target/spi-cost.md}) and prints it. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/spi-cost.md");
        String table = markdown(measure());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, table);
        System.out.print(table);
    }
}
