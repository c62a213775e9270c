package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.app.SimulatedBoard;
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
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.W5500Emulator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.instructor.Json;
import dev.spinet.tcp.TransitionObserver;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

/**
 * A server board as {@code spinet run --hal sim-w5500} / {@code sim-enc28j60} builds it (the real
 * driver on a metered SPI bus to the chip emulator, the status page showing the driver's and the
 * bus's counters) and a client board, on one virtual wire in simulated time.
 */
final class EmulatedChipBoard {

    static final int CLIENT_IP = 0x0A_4D_00_01;
    static final int SERVER_IP = 0x0A_4D_00_02;
    private static final long FIVE_SECONDS = 5_000_000_000L;

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final ChipEmulator chip;
    final VirtualWire.Port chipPort;
    final MeteredSpiBus spi;
    final FrameDevice driver;
    final SimulatedBoard client;
    final Stack server;
    final Services services;
    final Simulator sim;

    EmulatedChipBoard(boolean w5500) {
        boolean[] starting = {true};
        // Start-up pauses (RESET pulse, 2 ms after SRC) must pass on the chip's clock: during init
        // each read moves simulated time by 100 us; afterwards only the Simulator moves it.
        NanoClock boardClock = () -> {
            if (starting[0]) {
                clock.advance(100_000L);
            }
            return clock.nanoTime();
        };
        wire.latencyNanos(20_000);
        chip = w5500 ? new W5500Emulator() : new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, boardClock);
        long mac = w5500 ? W5500Emulator.DEFAULT_MAC : Enc28j60Emulator.DEFAULT_MAC;
        chipPort = wire.connect("server", mac);
        chip.attach(chipPort);
        spi = new MeteredSpiBus(chip);
        if (w5500) {
            W5500Driver d = new W5500Driver(spi, chip.intPin(), chip.resetPin(), boardClock, W5500Config.defaults(mac));
            d.init();
            driver = d;
        } else {
            Enc28j60Driver d = new Enc28j60Driver(spi, chip.intPin(), chip.resetPin(), boardClock, Enc28j60Config.defaults(mac));
            d.init();
            driver = d;
        }
        starting[0] = false;
        // Windows the chips can buffer (HalKind.defaultBufferBytes): the wire has no bit rate.
        int window = w5500 ? 8192 : 4096;
        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(8).tcpBuffers(window, 16 * 1024).build();
        client = new SimulatedBoard("client", wire, 0x02_00_00_00_00_01L, base.toBuilder().ipAddress(CLIENT_IP, 24).build(),
                TransitionObserver.NONE);
        EdgeRecorder recorder = new EdgeRecorder(TransitionObserver.NONE);
        server = new Stack(base.toBuilder().ipAddress(SERVER_IP, 24).build(), driver, recorder);
        DeviceCounters counters = DeviceCounters.concat((DeviceCounters) driver, spi);
        services = new Services(server, EnumSet.of(ServiceKind.HTTP), clock, w5500 ? "sim-w5500" : "sim-enc28j60", counters,
                recorder).start();
        sim = new Simulator(clock, wire).add(client.stack()).add(server).beforeEachRound(chip::pump);
    }

    /** GET {@code path} from the status server; the whole response as text. */
    String get(String path) {
        TestClient c = new TestClient(client.tcp(), HttpStatusService.RESPONSE_CAPACITY);
        c.handle = client.tcp().connect(SERVER_IP, ServiceKind.HTTP.port(), c);
        assertTrue(sim.runUntil(() -> c.connected, FIVE_SECONDS), "connected to the status server");
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: board\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        c.send(request, request.length, false);
        assertTrue(sim.runUntil(() -> c.peerClosed, FIVE_SECONDS), "the server closes after one response");
        client.tcp().close(c.handle);
        sim.runUntil(() -> c.closed, FIVE_SECONDS);
        return new String(c.received, 0, c.receivedLength, StandardCharsets.ISO_8859_1);
    }

    /** {@code status.json}'s {@code device.counters}, parsed. */
    Map<?, ?> deviceCounters() {
        String response = get("/status.json");
        int split = response.indexOf("\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n") && split > 0, response);
        Map<?, ?> root = (Map<?, ?>) Json.parse(response.substring(split + 4));
        Map<?, ?> device = (Map<?, ?>) root.get("device");
        return (Map<?, ?>) device.get("counters");
    }
}
