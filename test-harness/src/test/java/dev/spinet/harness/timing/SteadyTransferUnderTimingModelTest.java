package dev.spinet.harness.timing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.scenario.BulkTransfer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One connection moving data steadily into and out of a Spinet stack on an emulated chip, with
 * the timing model on (SPI clock and per-transaction overhead charged to the model clock, the
 * wire at the chip's line rate, half duplex for the ENC28J60): the chip must not drop a single
 * frame, in either direction, and the bytes must arrive identical. The peer is a stack on a bare
 * wire port with a kernel-sized window that answers while the board is busy on its bus.
 *
 * <p>The receive window is what {@code spinet run} gives each chip ({@link Enc28j60Driver#largestReceiveWindow}
 * for the ENC28J60, 8 KiB for the W5500). The drop counters are asserted, not the time: the
 * modelled goodput is a benchmark's business ({@code ModeledGoodputReport} in bench).
 */
class SteadyTransferUnderTimingModelTest {

    private static final int BYTES = 2 * 1024 * 1024;
    private static final int PORT = 9;
    private static final int BOARD = 0x0A00_0002;
    private static final int PEER = 0x0A00_0001;

    @ParameterizedTest(name = "{0} at {1} Hz, {2}")
    @CsvSource({
            "ENC28J60, 10000000, upload",
            "ENC28J60, 20000000, upload",
            "ENC28J60, 20000000, download",
            "W5500, 20000000, upload",
            "W5500, 40000000, upload",
            "W5500, 40000000, download",
    })
    void theChipDropsNoFrameInASteadyTransfer(ModeledChip kind, long spiHz, String direction) {
        boolean upload = direction.equals("upload");
        ManualClock clock = new ManualClock();
        SimulatedTime time = new SimulatedTime(clock);
        VirtualWire wire = new VirtualWire(clock);
        ModeledBoard modeled = new ModeledBoard(kind, 0x0200_0000_0B0DL, SpiTiming.onPi(spiHz), wire, "board", time);
        int mss = StackConfig.builder().build().tcpMss;
        int window = kind == ModeledChip.ENC28J60 ? Enc28j60Driver.largestReceiveWindow(mss) : 8192;
        int boardRing = Integer.highestOneBit(window - 1) << 1;
        Stack board = new Stack(StackConfig.builder().ipAddress(BOARD, 24).tcpBuffers(boardRing, boardRing)
                .tcpReceiveWindow(window).build(),
                modeled.device());
        Stack peer = new Stack(StackConfig.builder().ipAddress(PEER, 24).tcpBuffers(65536, 65536).build(),
                wire.connect("kernel", 0x0200_0000_00AAL));
        BulkTransfer.Side boardSide = new BulkTransfer.Side(board.tcp(), upload ? 0 : BYTES, 0x5EED, 4096);
        BulkTransfer.Side peerSide = new BulkTransfer.Side(peer.tcp(), upload ? BYTES : 0, 0xFEED, 4096);
        // A side that only reads half-closes at once; before the handshake is done that would be a
        // CLOSE in SYN-SENT (RFC 9293 3.10.4: the connection is deleted), so it starts once connected.
        Runnable peerApplication = () -> {
            if (peerSide.handle >= 0 && peer.tcp().state(peerSide.handle) != TcpState.SYN_SENT) {
                peerSide.pump();
            }
        };
        TimedRun run = new TimedRun(time, wire, board, modeled, boardSide::pump, peer, peerApplication);
        board.tcp().listen(PORT, 1, boardSide.eventDriven());
        peerSide.handle = peer.tcp().connect(BOARD, PORT, peerSide.eventDriven());

        boolean done = run.runUntil(() -> boardSide.done() && peerSide.done(), 600_000_000_000L);

        String state = kind + " " + spiHz / 1_000_000 + " MHz " + direction + ": board read " + boardSide.read
                + ", peer read " + peerSide.read + ", chip received " + modeled.chip().framesReceived() + " dropped "
                + modeled.chip().framesDropped() + ", wire dropped " + wire.dropped() + ", simulated "
                + (clock.nanoTime() - ManualClock.DEFAULT_START_NANOS) / 1_000_000 + " ms\npeer: " + peer.tcp().counters()
                + "\nboard: " + board.tcp().counters();
        assertTrue(done, state);
        assertEquals(0, modeled.chip().framesDropped(), "frames the chip dropped; " + state);
        if (modeled.chip() instanceof Enc28j60Emulator enc) {
            assertEquals(0, enc.overflows(), "ENC28J60 FIFO overflows; " + state);
        }
        assertEquals(0, wire.dropped(), "frames the wire's queues dropped; " + state);
        assertEquals(CloseReason.NORMAL, boardSide.closedWith, state);
        assertEquals(CloseReason.NORMAL, peerSide.closedWith, state);
        BulkTransfer.Side sender = upload ? peerSide : boardSide;
        BulkTransfer.Side receiver = upload ? boardSide : peerSide;
        assertEquals(BYTES, receiver.read, state);
        assertArrayEquals(sender.sentHash(), receiver.receivedHash(), "SHA-256 of the bytes; " + state);
        assertEquals(List.of(), modeled.chip().invalidUses());
        System.out.println(state.lines().findFirst().orElseThrow());
    }
}
