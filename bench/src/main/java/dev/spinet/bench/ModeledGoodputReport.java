package dev.spinet.bench;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.LinkRate;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.harness.timing.ModeledBoard;
import dev.spinet.harness.timing.ModeledChip;
import dev.spinet.harness.timing.SimulatedTime;
import dev.spinet.harness.timing.SpiTiming;
import dev.spinet.harness.timing.TimedRun;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.scenario.BulkTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Modelled goodput of one bulk TCP connection, up (into the board) and down, for Spinet on the
 * ENC28J60 at 10 and 20 MHz and on the W5500 at 20, 30 and 40 MHz, next to the Linux kernel
 * drivers under the same model. A benchmark in simulated time, not a test: the figures are the
 * model's, exact and repeatable, and go to docs/spi-cost.md, never into assertions.
 *
 * <p>Spinet runs for real: its stack on the real driver, the driver on the register-level
 * emulator behind {@link dev.spinet.harness.timing.TimedSpiBus} (every transaction charged its
 * overhead plus its bytes at the clock), the chip's PHY on a {@link VirtualWire} at the chip's
 * line rate (10 Mbit/s half duplex, 100 Mbit/s full duplex), the peer a stack on the other port
 * behaving like a Linux sender (its window filled to the byte) and receiver (an ACK every second
 * segment). The board's window is what {@code spinet run} gives the chip. Goodput is taken over
 * the steady part: from the first {@value #WARM_UP_BYTES} bytes delivered to the last. The SPI
 * transactions and bytes of that part, divided per full-size segment of payload, give Spinet's
 * row of the analytic {@link SpiThroughputModel}; the Linux drivers' rows apply the same
 * formula to their counted costs ({@link LinuxDriverCost}).
 *
 * <p>Run: {@code scripts/modeled-goodput [OVERHEAD_US]} (writes {@code bench/target/modeled-goodput.md}).
 */
public final class ModeledGoodputReport {

    static final long TRANSFER_BYTES = 6L * 1024 * 1024;
    static final long WARM_UP_BYTES = 1024 * 1024;
    private static final int PORT = 9;
    private static final int BOARD = 0x0A00_0002;
    private static final int PEER = 0x0A00_0001;
    private static final long TIME_LIMIT_NANOS = 3_600_000_000_000L;

    /** The chip and clock combinations of the table. */
    static final Object[][] CONFIGURATIONS = {
            {ModeledChip.ENC28J60, 10_000_000L},
            {ModeledChip.ENC28J60, 20_000_000L},
            {ModeledChip.W5500, 20_000_000L},
            {ModeledChip.W5500, 30_000_000L},
            {ModeledChip.W5500, 40_000_000L},
    };

    private ModeledGoodputReport() {
    }

    /** What one simulated transfer measured over its steady part. */
    public record Simulated(ModeledChip chip, long spiHz, boolean upload, double goodputBitsPerSecond,
                            double transactionsPerSegment, double bytesPerSegment, double spiBusyFraction,
                            double transmitTransactions, double transmitBytes, long chipDrops, long wireDrops,
                            boolean bytesIdentical) {
    }

    /** One row of the table. */
    public record Row(Simulated spinet, double spinetModel, double linux, double linuxBatched,
                      SpiThroughputModel.SegmentCost linuxCost, String spinetLimit, String linuxLimit, double ceiling) {

        public double ratio() {
            return spinet.goodputBitsPerSecond() / linux;
        }

        public double modelRatio() {
            return spinetModel / linux;
        }
    }

    /** Counts SPI work inside transmits of full-size frames (the part a one-frame transmit buffer serializes). */
    private static final class TransmitMeter extends FrameDeviceDecorator {
        private final MeteredSpiBus bus;
        long frames;
        long transactions;
        long bytes;

        TransmitMeter(FrameDevice inner, MeteredSpiBus bus) {
            super(inner);
            this.bus = bus;
        }

        @Override
        public boolean transmit(byte[] frame, int offset, int length) {
            long t = bus.transactions();
            long b = bus.bytes();
            boolean sent = inner.transmit(frame, offset, length);
            if (length > 1000) {
                frames++;
                transactions += bus.transactions() - t;
                bytes += bus.bytes() - b;
            }
            return sent;
        }
    }

    /** Simulates one transfer of {@link #TRANSFER_BYTES} and measures its steady part. */
    public static Simulated simulate(ModeledChip kind, SpiTiming spi, boolean upload) {
        ManualClock clock = new ManualClock();
        SimulatedTime time = new SimulatedTime(clock);
        VirtualWire wire = new VirtualWire(clock);
        ModeledBoard modeled = new ModeledBoard(kind, 0x0200_0000_0B0DL, spi, wire, "board", time);
        int mss = StackConfig.builder().build().tcpMss;
        int window = kind == ModeledChip.ENC28J60 ? Enc28j60Driver.largestReceiveWindow(mss) : 8192;
        int boardRing = Integer.highestOneBit(window - 1) << 1;
        TransmitMeter meter = new TransmitMeter(modeled.device(), modeled.bus());
        Stack board = new Stack(StackConfig.builder().ipAddress(BOARD, 24).tcpBuffers(boardRing, boardRing)
                .tcpReceiveWindow(window).build(), meter);
        // The peer stands in for Linux: with more data queued it sends full-sized segments only
        // (RFC 9293 3.8.6.2.1; what a kernel behind a TAP did) and acknowledges every second one.
        Stack peer = new Stack(StackConfig.builder().ipAddress(PEER, 24).tcpBuffers(65536, 65536).build(),
                wire.connect("kernel", 0x0200_0000_00AAL));
        long total = TRANSFER_BYTES;
        BulkTransfer.Side boardSide = new BulkTransfer.Side(board.tcp(), upload ? 0 : total, 0x5EED, 4096);
        BulkTransfer.Side peerSide = new BulkTransfer.Side(peer.tcp(), upload ? total : 0, 0xFEED, 4096);
        BulkTransfer.Side receiver = upload ? boardSide : peerSide;
        long[] mark = new long[8];
        Runnable sample = () -> {
            if (mark[0] == 0 && receiver.read >= WARM_UP_BYTES) {
                mark[0] = 1;
                mark[1] = clock.nanoTime();
                mark[2] = receiver.read;
                mark[3] = modeled.bus().transactions();
                mark[4] = modeled.bus().bytes();
                mark[5] = modeled.timedBus().nanos();
                mark[6] = meter.transactions;
                mark[7] = meter.frames;
            }
        };
        long[] end = new long[5];
        Runnable finish = () -> {
            if (end[0] == 0 && receiver.read >= total) {
                end[0] = clock.nanoTime();
                end[1] = modeled.bus().transactions();
                end[2] = modeled.bus().bytes();
                end[3] = modeled.timedBus().nanos();
                end[4] = 1;
            }
        };
        Runnable peerApplication = () -> {
            if (peerSide.handle >= 0 && peer.tcp().state(peerSide.handle) != TcpState.SYN_SENT) {
                peerSide.pump();
            }
            sample.run();
            finish.run();
        };
        Runnable boardApplication = () -> {
            boardSide.pump();
            sample.run();
            finish.run();
        };
        TimedRun run = new TimedRun(time, wire, board, modeled, boardApplication, peer, peerApplication);
        board.tcp().listen(PORT, 1, boardSide.eventDriven());
        peerSide.handle = peer.tcp().connect(BOARD, PORT, peerSide.eventDriven());
        boolean done = run.runUntil(() -> boardSide.done() && peerSide.done(), TIME_LIMIT_NANOS);
        if (!done || end[4] == 0 || mark[0] == 0) {
            throw new IllegalStateException(kind + " " + spi + (upload ? " up" : " down") + ": the transfer did not finish; read "
                    + receiver.read + " of " + total);
        }
        BulkTransfer.Side sender = upload ? peerSide : boardSide;
        boolean identical = Arrays.equals(sender.sentHash(), receiver.receivedHash());
        double nanos = end[0] - mark[1];
        double payload = total - mark[2];
        double segments = payload / mss;
        long chipDrops = modeled.chip().framesDropped()
                + (modeled.chip() instanceof Enc28j60Emulator enc ? enc.overflows() : 0);
        double txFrames = Math.max(1, meter.frames - mark[7]);
        return new Simulated(kind, spi.clockHz(), upload, payload * 8 * 1e9 / nanos,
                (end[1] - mark[3]) / segments, (end[2] - mark[4]) / segments, (end[3] - mark[5]) / nanos,
                (meter.transactions - mark[6]) / txFrames, (double) meter.bytes / Math.max(1, meter.frames),
                chipDrops, wire.dropped(), identical);
    }

    /** Every configuration, up and down, with {@code overheadNanos} per transaction. */
    public static List<Row> measure(long overheadNanos) {
        List<Row> rows = new ArrayList<>();
        int mss = StackConfig.builder().build().tcpMss;
        for (Object[] configuration : CONFIGURATIONS) {
            ModeledChip chip = (ModeledChip) configuration[0];
            SpiTiming spi = new SpiTiming((Long) configuration[1], overheadNanos);
            for (boolean upload : new boolean[] {true, false}) {
                rows.add(row(simulate(chip, spi, upload), spi, mss));
            }
        }
        return rows;
    }

    static Row row(Simulated s, SpiTiming spi, int mss) {
        LinkRate link = s.chip().link();
        boolean oneFrame = s.chip() == ModeledChip.ENC28J60;
        SpiThroughputModel.SegmentCost spinetCost = new SpiThroughputModel.SegmentCost(s.transactionsPerSegment(),
                s.bytesPerSegment(), oneFrame ? s.transmitTransactions() : 0, oneFrame ? s.transmitBytes() : 0);
        LinuxDriverCost linuxDriver = LinuxDriverCost.of(s.chip());
        SpiThroughputModel.SegmentCost linux = SpiThroughputModel.linux(linuxDriver, mss, s.upload(), 1);
        SpiThroughputModel.SegmentCost linuxBatched = SpiThroughputModel.linux(linuxDriver, mss, s.upload(), 1000);
        return new Row(s,
                SpiThroughputModel.goodput(spi, link, mss, s.upload(), spinetCost),
                SpiThroughputModel.goodput(spi, link, mss, s.upload(), linux),
                SpiThroughputModel.goodput(spi, link, mss, s.upload(), linuxBatched),
                linux,
                SpiThroughputModel.limit(spi, link, mss, s.upload(), spinetCost),
                SpiThroughputModel.limit(spi, link, mss, s.upload(), linux),
                link.goodputCeiling(mss));
    }

    /** The table as Markdown. */
    public static String markdown(List<Row> rows, long overheadNanos) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Per-transaction overhead %.1f µs; Mbit/s of TCP payload; MSS 1460.%n%n", overheadNanos / 1e3));
        text.append("| chip | SPI clock | direction | line ceiling | Spinet, simulated | Spinet, model | Linux driver, model"
                + " | Spinet / Linux | Linux, many frames per interrupt | SPI transactions per segment, Spinet / Linux"
                + " | SPI busy (Spinet) | limit (Spinet / Linux) | chip drops |\n");
        text.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Row r : rows) {
            Simulated s = r.spinet();
            text.append(String.format(Locale.ROOT,
                    "| %s | %d MHz | %s | %.1f | **%.2f** | %.2f | %.2f | **%.2fx** (%.2fx) | %.2f | %.1f / %.1f | %.0f %% | %s / %s | %d |%n",
                    s.chip(), s.spiHz() / 1_000_000, s.upload() ? "up" : "down", r.ceiling() / 1e6,
                    s.goodputBitsPerSecond() / 1e6, r.spinetModel() / 1e6, r.linux() / 1e6, r.ratio(), r.modelRatio(),
                    r.linuxBatched() / 1e6, s.transactionsPerSegment(), r.linuxCost().transactions(),
                    s.spiBusyFraction() * 100, r.spinetLimit(), r.linuxLimit(), s.chipDrops() + s.wireDrops()));
        }
        for (Row r : rows) {
            if (!r.spinet().bytesIdentical()) {
                text.append("\nBYTES DIFFER in ").append(r.spinet()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Writes the table to {@code args[1]} (default {@code target/modeled-goodput.md}) and prints it;
     * {@code args[0]} is the per-transaction overhead in µs (default
     * {@value SpiTiming#PI_SPIDEV_OVERHEAD_NANOS} ns).
     */
    public static void main(String[] args) throws IOException {
        long overhead = args.length > 0 ? Math.round(Double.parseDouble(args[0]) * 1000) : SpiTiming.PI_SPIDEV_OVERHEAD_NANOS;
        Path out = Path.of(args.length > 1 ? args[1] : "target/modeled-goodput.md");
        String table = markdown(measure(overhead), overhead);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, table);
        System.out.print(table);
    }
}
