package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
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
import dev.spinet.harness.net.VirtualWire;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code spinet run --trace}'s device lines: the stack thread's duty cycle ({@link StackAgent})
 * prints one line per link change and per driver recovery, and nothing while no counter moves.
 * The board is built as {@code --hal sim-w5500} / {@code sim-enc28j60} builds it, on a virtual
 * wire whose port link the test pulls.
 */
class DeviceEventTraceTest {

    private static final long CYCLE_NANOS = 10_000_000L;

    private final ManualClock clock = new ManualClock();
    private final VirtualWire wire = new VirtualWire(clock);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private ChipEmulator chip;
    private VirtualWire.Port port;
    private StackAgent agent;

    private void board(boolean w5500) {
        boolean[] starting = {true};
        NanoClock boardClock = () -> {
            if (starting[0]) {
                clock.advance(100_000L);
            }
            return clock.nanoTime();
        };
        chip = w5500 ? new W5500Emulator() : new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, boardClock);
        long mac = w5500 ? W5500Emulator.DEFAULT_MAC : Enc28j60Emulator.DEFAULT_MAC;
        port = wire.connect("board", mac);
        chip.attach(port);
        MeteredSpiBus spi = new MeteredSpiBus(chip);
        FrameDevice driver = w5500
                ? new W5500Driver(spi, chip.intPin(), chip.resetPin(), boardClock, W5500Config.defaults(mac))
                : new Enc28j60Driver(spi, chip.intPin(), chip.resetPin(), boardClock, Enc28j60Config.defaults(mac));
        if (driver instanceof W5500Driver d) {
            d.init();
        } else {
            ((Enc28j60Driver) driver).init();
        }
        starting[0] = false;
        Stack stack = new Stack(StackConfig.builder().ipAddress(0x0A_4D_00_02, 24).build(), driver);
        DeviceCounters counters = HalOpener.chipCounters(driver, spi);
        DeviceEventTrace trace = new DeviceEventTrace(driver, counters, w5500 ? "sim-w5500" : "sim-enc28j60",
                new PrintStream(printed, true, StandardCharsets.UTF_8), clock);
        agent = new StackAgent(stack, chip::pump, driver, clock, trace);
    }

    /** Duty cycles for {@code nanos} of simulated time, never idling (the clock is the test's). */
    private void run(long nanos) {
        for (long t = 0; t < nanos; t += CYCLE_NANOS) {
            agent.runCycle(0);
            clock.advance(CYCLE_NANOS);
        }
    }

    private List<String> lines() {
        String text = printed.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static void assertLine(String line, String hal, String what) {
        assertTrue(line.matches("device \\d+\\.\\d{6} " + hal + " " + java.util.regex.Pattern.quote(what)), () -> "'" + line + "'");
    }

    @Test
    void aW5500LinkFlapPrintsLinkDownLinkUpAndTheSocketReopen() {
        board(true);
        run(500_000_000L);
        assertEquals(List.of(), lines(), "no line while no counter moves");

        wire.setLinkUp(port, false);
        run(300_000_000L);
        wire.setLinkUp(port, true);
        run(300_000_000L);

        List<String> lines = lines();
        assertEquals(3, lines.size(), lines::toString);
        assertLine(lines.get(0), "sim-w5500", "link down (LINK_CHANGES 2)");
        assertLine(lines.get(1), "sim-w5500", "link up (LINK_CHANGES 3)");
        assertLine(lines.get(2), "sim-w5500", "socket 0 reopened (SOCKET_REOPENED 1)");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void anEnc28j60LinkFlapPrintsLinkDownThenLinkUp() {
        board(false);
        run(500_000_000L);
        assertEquals(List.of(), lines(), "no line while no counter moves");

        wire.setLinkUp(port, false);
        run(CYCLE_NANOS * 3);
        wire.setLinkUp(port, true);
        run(CYCLE_NANOS * 3);

        List<String> lines = lines();
        assertEquals(2, lines.size(), lines::toString);
        assertLine(lines.get(0), "sim-enc28j60", "link down (LINK_CHANGES 1)");
        assertLine(lines.get(1), "sim-enc28j60", "link up (LINK_CHANGES 2)");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aStuckEnc28j60TransmitPrintsTheTransmitTimeoutRecovery() {
        board(false);
        ((Enc28j60Emulator) chip).injectStuckTransmits(1);
        // The stack sends nothing unasked: two pings from the wire make it answer twice, the
        // second answer more than the transmit timeout after the first.
        VirtualWire.Port peer = wire.connect("peer", 0x02_00_00_00_00_99L);
        byte[] arp = arpRequest(0x02_00_00_00_00_99L, 0x0A_4D_00_01, 0x0A_4D_00_02);
        peer.transmit(arp, 0, arp.length);
        run(CYCLE_NANOS * 3);
        run(1_100_000_000L);
        peer.transmit(arp, 0, arp.length);
        run(CYCLE_NANOS * 3);
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines::toString);
        assertLine(lines.get(0), "sim-enc28j60", "transmit timed out: frame given up, transmitter recovered (TX_TIMEOUTS 1)");
    }

    /** A broadcast ARP request (RFC 826) for {@code target} from {@code mac}/{@code ip}. */
    private static byte[] arpRequest(long mac, int ip, int target) {
        byte[] f = new byte[42];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xFF;
            f[6 + i] = (byte) (mac >>> (40 - 8 * i));
            f[22 + i] = f[6 + i];
        }
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1;      // hardware type Ethernet
        f[16] = 0x08;   // protocol IPv4
        f[18] = 6;
        f[19] = 4;
        f[21] = 1;      // request
        for (int i = 0; i < 4; i++) {
            f[28 + i] = (byte) (ip >>> (24 - 8 * i));
            f[38 + i] = (byte) (target >>> (24 - 8 * i));
        }
        return f;
    }
}
