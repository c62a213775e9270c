package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.Stack;
import dev.spinet.app.DeviceEventTrace;
import dev.spinet.app.HalKind;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.spi.MeteredSpiBus;
import dev.spinet.harness.emu.ChipEmulator;
import dev.spinet.harness.emu.ChipFault;
import dev.spinet.harness.emu.ChipFaultScheduler;
import dev.spinet.harness.emu.ChipFaultSpec;
import dev.spinet.harness.emu.ChipType;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.FaultTrigger;
import dev.spinet.harness.emu.SleepingBoard;
import dev.spinet.harness.emu.W5500Emulator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import dev.spinet.instructor.Json;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chip fault ({@link ChipFault}) fired mid-transfer into a board built as
 * {@code spinet run --hal sim-w5500 / sim-enc28j60} builds it (the real driver on a metered SPI bus
 * to the register-level emulator, the status page's counters, {@code --trace}'s device lines),
 * sleeping on INT between cycles as on a Raspberry Pi ({@link SleepingBoard}), against a Spinet
 * peer on the same virtual wire. 5 MB go each way at once, each side writing at most 1 MB/s of
 * simulated time (the wire has no bit rate, so unpaced the transfer would be over in 75 ms, before
 * the drivers' 100 ms link poll and health check ever ran: paced, it lasts about 5 s, as at 8
 * Mbit/s each way); the fault fires after 2 MiB of traffic through the chip. For each fault: the transfer completes with identical bytes (SHA-256) and a
 * normal close; the counter that names the fault moved, in the driver and in {@code status.json};
 * {@code --trace} printed a line for it; and data flows again both ways (64 KiB more each way)
 * within the bound docs/drivers.md gives for the fault, measured in simulated time from the fault
 * (from its end for the link flap, the short flap of send-stuck and the storm: nothing can flow
 * before; from its start for int-lost: data must flow while INT stays silent).
 */
class ChipFaultRecoveryTest {

    private static final int BYTES = 5 * 1024 * 1024;
    private static final int PORT = 5001;
    private static final int PROGRESS = 64 * 1024;
    private static final long FAULT_AFTER_BYTES = 2L * 1024 * 1024;
    private static final long MS = 1_000_000L;
    /** Each side's application writes at most this many bytes per simulated second. */
    private static final long BYTES_PER_SECOND = 1_000_000L;
    /** The pace is kept in steps of one full segment. */
    private static final int PACE_STEP = 1460;
    private static final int BOARD_IP = 0x0A_4E_00_02;
    private static final int PEER_IP = 0x0A_4E_00_01;

    /**
     * Fault, chip, the counter that names it and how far it must move, and the recovery bound in
     * ms of simulated time (docs/drivers.md, "Chip faults": the driver's detection bound plus one
     * TCP retransmission, whose timeout backs off from 200 ms while nothing gets through).
     */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("link-flap", ChipType.W5500, "LINK_CHANGES", 2, 1_500),
                Arguments.of("send-stuck", ChipType.W5500, "TX_TIMEOUTS", 1, 2_500),
                Arguments.of("int-lost", ChipType.W5500, "INT_MISSED", 1, 250),
                Arguments.of("rx-overflow", ChipType.W5500, "RX_BUFFER_FULL", 1, 500),
                Arguments.of("spi-corrupt:length", ChipType.W5500, "RX_RECORD_CORRUPT", 1, 500),
                Arguments.of("spi-corrupt:pointer", ChipType.W5500, "RX_STATUS_IMPOSSIBLE", 1, 500),
                Arguments.of("spi-corrupt:status", ChipType.W5500, "LINK_CHANGES", 2, 500),
                Arguments.of("brown-out", ChipType.W5500, "REINITS", 1, 500),
                Arguments.of("link-flap", ChipType.ENC28J60, "LINK_CHANGES", 2, 1_500),
                Arguments.of("txrts-stuck", ChipType.ENC28J60, "TX_TIMEOUTS", 1, 2_500),
                Arguments.of("int-lost", ChipType.ENC28J60, "INT_MISSED", 1, 250),
                Arguments.of("rx-overflow", ChipType.ENC28J60, "RX_OVERFLOW", 1, 500),
                Arguments.of("epktcnt-255", ChipType.ENC28J60, "RX_CORRUPT_RESET", 1, 500),
                Arguments.of("spi-corrupt:length", ChipType.ENC28J60, "RX_CORRUPT_RESET", 1, 500),
                Arguments.of("spi-corrupt:pointer", ChipType.ENC28J60, "RX_CORRUPT_RESET", 1, 500),
                Arguments.of("spi-corrupt:status", ChipType.ENC28J60, "RX_BAD_STATUS", 1, 500),
                Arguments.of("brown-out", ChipType.ENC28J60, "REINITS", 1, 500));
    }

    @Test
    void everyFaultOfEveryChipHasACase() {
        Set<String> covered = new java.util.HashSet<>();
        faults().forEach(a -> covered.add(ChipFaultSpec.parse((String) a.get()[0]).fault() + " " + a.get()[1]));
        for (ChipFault fault : ChipFault.values()) {
            for (ChipType chip : ChipType.values()) {
                if (fault.appliesTo(chip)) {
                    assertTrue(covered.contains(fault + " " + chip), fault + " on the " + chip.label() + " has no case");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} on the {1}")
    @MethodSource("faults")
    void fiveMegabytesEachWayCrossTheFaultAndTheCounterNamesIt(String faultText, ChipType chipType, String counter, int steps,
                                                               long boundMillis) throws Exception {
        ChipFaultSpec spec = ChipFaultSpec.parse(faultText);
        Rig rig = new Rig(chipType, spec);
        int index = rig.counters.indexOf(counter);
        assertTrue(index >= 0, counter + " is not one of the " + chipType.label() + " counters");
        long before = rig.counters.counterValue(index);

        boolean done = rig.run(() -> rig.counters.counterValue(index) >= before + steps);

        String state = rig.state(counter, index);
        assertTrue(done, "transfer did not finish; " + state);
        assertEquals(CloseReason.NORMAL, rig.board.closed, state);
        assertEquals(CloseReason.NORMAL, rig.peer.closed, state);
        assertEquals(BYTES, rig.board.read, state);
        assertEquals(BYTES, rig.peer.read, state);
        assertEquals(-1, java.util.Arrays.mismatch(rig.fromPeer, rig.board.received), "first differing byte peer to board; " + state);
        assertEquals(-1, java.util.Arrays.mismatch(rig.fromBoard, rig.peer.received), "first differing byte board to peer; " + state);
        assertArrayEquals(sha256(rig.fromPeer), rig.board.digest.digest(), "SHA-256 peer to board");
        assertArrayEquals(sha256(rig.fromBoard), rig.peer.digest.digest(), "SHA-256 board to peer");

        assertTrue(rig.scheduler.injected(), state);
        assertTrue(rig.counters.counterValue(index) >= before + steps, counter + " did not move; " + state);
        assertTrue(rig.recoveredAt >= 0, "no recovery seen; " + state);
        long recoveryMillis = (rig.recoveredAt - rig.referenceAt) / MS;
        System.out.printf("%s on the %s: recovered in %d ms of simulated time (bound %d ms); %s %d; %.1f s simulated, %d sleeps%n",
                spec, chipType.label(), recoveryMillis, boundMillis, counter, rig.counters.counterValue(index),
                (rig.clock.nanoTime() - ManualClock.DEFAULT_START_NANOS) / 1e9, rig.sleeper.sleeps());
        assertTrue(recoveryMillis <= boundMillis, "recovery took " + recoveryMillis + " ms, bound " + boundMillis + " ms; " + state);

        Map<?, ?> device = rig.statusJsonDevice();
        assertEquals(rig.hal, device.get("hal"));
        Map<?, ?> json = (Map<?, ?>) device.get("counters");
        assertEquals(rig.counters.counterValue(index), json.get(counter), "status.json device.counters." + counter);

        String trace = rig.trace();
        assertTrue(trace.lines().anyMatch(line -> line.startsWith("device ") && line.contains(" " + rig.hal + " ")
                && line.contains("(" + counter + " ")), "--trace has no line for " + counter + ":\n" + trace);
        assertEquals(List.of(), rig.invalidUsesOutsideTheFault(), "invalid chip use; " + state);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** The board (driver on the emulated chip), the peer, the fault and the simulation. */
    private static final class Rig {
        final ManualClock clock = new ManualClock();
        final VirtualWire wire = new VirtualWire(clock);
        final ChipEmulator chip;
        final FrameDevice driver;
        final DeviceCounters counters;
        final String hal;
        final Stack boardStack;
        final Stack peerStack;
        final Services services;
        final ChipFaultScheduler scheduler;
        final SleepingBoard sleeper;
        final Simulator sim;
        final ByteArrayOutputStream traceBytes = new ByteArrayOutputStream();
        final byte[] fromPeer = new byte[BYTES];
        final byte[] fromBoard = new byte[BYTES];
        final Transfer board;
        final Transfer peer;
        final ChipFault fault;
        final boolean[] starting = {true};
        long skew;
        long referenceAt = -1;
        long referenceBoardRead;
        long referencePeerRead;
        long recoveredAt = -1;
        int invalidAtInjection = -1;
        int invalidAtRecovery = -1;

        Rig(ChipType type, ChipFaultSpec spec) throws Exception {
            fault = spec.fault();
            wire.latencyNanos(50_000);
            boolean w5500 = type == ChipType.W5500;
            hal = w5500 ? HalKind.SIM_W5500.label() : HalKind.SIM_ENC28J60.label();
            // The driver's clock: the simulator's time, plus the time its start-up waits take (the
            // simulator's polls take none, but the chip needs 1 ms after SRC to have passed).
            NanoClock boardClock = new NanoClock() {
                @Override
                public long nanoTime() {
                    if (starting[0] || (chip instanceof Enc28j60Emulator enc && enc.startingUp())) {
                        skew += 100_000L;
                    }
                    return clock.nanoTime() + skew;
                }
            };
            chip = w5500 ? new W5500Emulator() : new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, boardClock);
            long mac = w5500 ? W5500Emulator.DEFAULT_MAC : Enc28j60Emulator.DEFAULT_MAC;
            chip.attach(wire.connect("board", mac));
            MeteredSpiBus spi = new MeteredSpiBus(chip);
            SleepingBoard.Pin pin = new SleepingBoard.Pin(chip.intPin());
            if (w5500) {
                W5500Driver d = new W5500Driver(spi, pin, chip.resetPin(), boardClock, W5500Config.defaults(mac));
                d.init();
                driver = d;
            } else {
                Enc28j60Driver d = new Enc28j60Driver(spi, pin, chip.resetPin(), boardClock, Enc28j60Config.defaults(mac));
                d.init();
                driver = d;
            }
            starting[0] = false;
            counters = DeviceCounters.concat((DeviceCounters) driver, spi);

            // What spinet run gives each HAL when --buffer-bytes is not set: a window the chip holds.
            int window = w5500 ? HalKind.SIM_W5500.defaultBufferBytes() : HalKind.SIM_ENC28J60.defaultBufferBytes();
            EdgeRecorder recorder = new EdgeRecorder(TransitionObserver.NONE);
            boardStack = new Stack(StackConfig.builder().ipAddress(BOARD_IP, 24).tcpSecret(1).tcpBuffers(window, window).build(),
                    driver, recorder);
            services = new Services(boardStack, Set.of(), clock, hal, counters, recorder);
            peerStack = new Stack(StackConfig.builder().ipAddress(PEER_IP, 24).tcpSecret(2).tcpBuffers(64 * 1024, 64 * 1024).build(),
                    wire.connect("peer", 0x0200_0000_00AAL));
            DeviceEventTrace trace = new DeviceEventTrace(driver, counters, hal, new PrintStream(traceBytes, true, StandardCharsets.UTF_8),
                    clock);
            // As StackAgent: the duty cycle, the trace's check, then (idle) the wait on INT.
            DutyCycle cycle = new DutyCycle() {
                @Override
                public int poll(long nowNanos) {
                    int work = boardStack.poll(nowNanos);
                    trace.check();
                    return work;
                }

                @Override
                public long nextDeadline(long nowNanos) {
                    return boardStack.nextDeadline(nowNanos);
                }
            };
            sleeper = new SleepingBoard(cycle, driver, pin);
            scheduler = new ChipFaultScheduler(chip, spec, FaultTrigger.afterBytes(FAULT_AFTER_BYTES), clock);
            Random random = new Random(0x5EED_0F17L);
            random.nextBytes(fromPeer);
            random.nextBytes(fromBoard);
            board = new Transfer(boardStack.tcp(), fromBoard, clock);
            peer = new Transfer(peerStack.tcp(), fromPeer, clock);
            DutyCycle pace = new DutyCycle() {
                @Override
                public int poll(long nowNanos) {
                    return board.pump() + peer.pump();
                }

                @Override
                public long nextDeadline(long nowNanos) {
                    return Math.min(board.nextStep(nowNanos), peer.nextStep(nowNanos));
                }
            };
            sim = new Simulator(clock, wire).add(peerStack).add(sleeper).add(scheduler).add(pace);
            sim.beforeEachRound(chip::pump);
            boardStack.tcp().listen(PORT, 1, board);
            peer.connection = peerStack.tcp().connect(BOARD_IP, PORT, peer);
        }

        /** Runs the transfer to its end, watching for the fault and the recovery after it. */
        boolean run(BooleanSupplier counted) {
            return sim.runUntil(() -> {
                watch(counted);
                return board.closed != null && peer.closed != null;
            }, 900_000 * MS);
        }

        private void watch(BooleanSupplier counted) {
            if (scheduler.injected() && invalidAtInjection < 0) {
                invalidAtInjection = chip.invalidUses().size();
            }
            if (referenceAt < 0 && scheduler.injected() && (fault == ChipFault.INT_LOST || scheduler.ended())) {
                referenceAt = fault == ChipFault.INT_LOST ? scheduler.injectedAtNanos() : scheduler.endedAtNanos();
                referenceBoardRead = board.read;
                referencePeerRead = peer.read;
            }
            if (referenceAt >= 0 && recoveredAt < 0 && counted.getAsBoolean()
                    && board.read >= Math.min(BYTES, referenceBoardRead + PROGRESS) && peer.read >= Math.min(BYTES, referencePeerRead + PROGRESS)) {
                recoveredAt = clock.nanoTime();
                invalidAtRecovery = chip.invalidUses().size();
            }
        }

        /**
         * Invalid uses of the chip, except, after a brown-out, those between the fault and the
         * recovery: the driver then writes to a chip whose registers were reset under it, which it
         * cannot know until it checks.
         */
        List<String> invalidUsesOutsideTheFault() {
            List<String> all = chip.invalidUses();
            if (fault != ChipFault.BROWN_OUT || invalidAtInjection < 0 || invalidAtRecovery < 0) {
                return all;
            }
            List<String> outside = new java.util.ArrayList<>(all.subList(0, invalidAtInjection));
            outside.addAll(all.subList(invalidAtRecovery, all.size()));
            return outside;
        }

        Map<?, ?> statusJsonDevice() {
            StringBuilder json = new StringBuilder();
            services.report().appendJson(json);
            return (Map<?, ?>) ((Map<?, ?>) Json.parse(json.toString())).get("device");
        }

        String trace() {
            return traceBytes.toString(StandardCharsets.UTF_8);
        }

        String state(String counter, int index) {
            return fault + " " + scheduler + "; " + counter + " " + counters.counterValue(index)
                    + "; board read " + board.read + " wrote " + board.written + " closed " + board.closed
                    + "; peer read " + peer.read + " wrote " + peer.written + " closed " + peer.closed
                    + "; simulated " + (clock.nanoTime() - ManualClock.DEFAULT_START_NANOS) / MS + " ms"
                    + "; recovered " + (recoveredAt < 0 ? "never" : (recoveredAt - referenceAt) / MS + " ms after the reference")
                    + "\ncounters: " + describe(counters) + "\ninvalid uses: " + chip.invalidUses().stream().limit(5).toList()
                    + "\ntrace:\n" + trace().lines().limit(20).reduce("", (a, b) -> a + b + "\n")
                    + "board TCP: " + boardStack.tcp().counters() + "\npeer TCP: " + peerStack.tcp().counters();
        }

        private static String describe(DeviceCounters counters) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < counters.counterCount(); i++) {
                if (counters.counterValue(i) != 0) {
                    text.append(counters.counterName(i)).append('=').append(counters.counterValue(i)).append(' ');
                }
            }
            return text.toString();
        }
    }

    /** One side of the transfer: writes its payload at the pace, hashes what it reads, closes after both ends are done. */
    private static final class Transfer implements TcpHandler {
        private final TcpLayer tcp;
        private final byte[] payload;
        private final NanoClock clock;
        private final long start;
        private final byte[] buffer = new byte[4096];
        final MessageDigest digest;
        final byte[] received = new byte[BYTES];
        int connection = -1;
        int written;
        long read;
        boolean outputShut;
        boolean endOfStream;
        boolean closeCalled;
        CloseReason closed;

        Transfer(TcpLayer tcp, byte[] payload, NanoClock clock) throws Exception {
            this.tcp = tcp;
            this.payload = payload;
            this.clock = clock;
            this.start = clock.nanoTime();
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void onAccepted(int listener, int handle) {
            connection = handle;
            pump();
        }

        @Override
        public void onConnected(int handle) {
            connection = handle;
            pump();
        }

        @Override
        public void onWritable(int handle) {
            pump();
        }

        @Override
        public void onReadable(int handle) {
            drain();
        }

        @Override
        public void onPeerClosed(int handle) {
            drain();
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            closed = reason;
        }

        /** Pace steps completed by {@code now}. */
        private long steps(long now) {
            return (now - start) * BYTES_PER_SECOND / 1_000_000_000L / PACE_STEP;
        }

        /** What the pace allows by now: one step at the start, one more per step's time. */
        private int allowed(long now) {
            return (int) Math.min(payload.length, (steps(now) + 1) * PACE_STEP);
        }

        /**
         * When the pace next allows more; far ahead when everything is written or when what is
         * allowed is not all written yet (the stack's send ring is full: onWritable pumps then).
         */
        long nextStep(long now) {
            if (connection < 0 || written >= payload.length || written < allowed(now)) {
                return now + Long.MAX_VALUE / 4;
            }
            return start + (steps(now) + 1) * PACE_STEP * 1_000_000_000L / BYTES_PER_SECOND;
        }

        int pump() {
            if (connection < 0 || closed != null) {
                return 0;
            }
            int before = written;
            int limit = allowed(clock.nanoTime());
            while (written < limit) {
                int n = tcp.write(connection, payload, written, limit - written);
                if (n == 0) {
                    break;
                }
                written += n;
            }
            if (written == payload.length && !outputShut) {
                outputShut = true;
                tcp.shutdownOutput(connection);
                closeWhenDone();
                return 1;
            }
            return written > before ? 1 : 0;
        }

        private void closeWhenDone() {
            if (outputShut && endOfStream && !closeCalled) {
                closeCalled = true;
                tcp.close(connection);
            }
        }

        private void drain() {
            if (endOfStream) {
                return;
            }
            int n;
            while ((n = tcp.read(connection, buffer, 0, buffer.length)) > 0) {
                digest.update(buffer, 0, n);
                if (read + n <= BYTES) {
                    System.arraycopy(buffer, 0, received, (int) read, n);
                }
                read += n;
            }
            if (n < 0) {
                endOfStream = true;
                closeWhenDone();
            }
        }
    }
}
