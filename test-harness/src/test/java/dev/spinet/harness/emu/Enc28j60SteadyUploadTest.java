package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Counter;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One connection sending steadily INTO a Spinet stack that sits on the ENC28J60 driver over the
 * emulated chip: the sender is a stack on a bare VirtualWire port (like a kernel behind a TAP),
 * the receiver advertises the window {@link Enc28j60Driver#largestReceiveWindow} gives (what
 * {@code spinet run --hal enc28j60} uses). The wire has no bit rate, so each window the
 * receiver opens lands in the chip at once, at its next SPI transaction: the FIFO must hold it.
 * Not one frame may be dropped by the chip for lack of buffer space, and the bytes must arrive
 * identical. The stack never calls {@code awaitReceive} here (the Simulator polls without
 * sleeping, as {@code spinet run --hal sim-enc28j60} does: it sleeps on the TAP).
 *
 * <p>The sender fills each window to the byte (three full segments: the window is a whole number
 * of them, and no-delay is set, so a shorter segment at the window's edge would go too), and it
 * answers each ACK before the board's next SPI transaction
 * ({@link PeerAnswersAtOnce}), so a flight can land on frames the board has not read yet. Before
 * the driver released FIFO space at transmit this lost 334 frames in the chip for 4 MB (one
 * retransmission timeout each, 67 s simulated).
 */
class Enc28j60SteadyUploadTest {

    private static final int BYTES = 4 * 1024 * 1024;
    private static final int PORT = 9;

    private static final class Sender implements TcpHandler {
        private final TcpLayer tcp;
        private final byte[] payload;
        int connection = -1;
        int written;
        CloseReason closed;

        Sender(TcpLayer tcp, byte[] payload) {
            this.tcp = tcp;
            this.payload = payload;
        }

        @Override
        public void onConnected(int handle) {
            // Like a kernel client with TCP_NODELAY: every byte the window allows goes out at
            // once, the last partial segment of each window included.
            tcp.setNoDelay(handle, true);
            pump();
        }

        @Override
        public void onWritable(int handle) {
            pump();
        }

        @Override
        public void onPeerClosed(int handle) {
            tcp.close(handle);
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            closed = reason;
        }

        void pump() {
            int n;
            while (written < payload.length && (n = tcp.write(connection, payload, written, payload.length - written)) > 0) {
                written += n;
            }
            if (written == payload.length) {
                written++;
                tcp.shutdownOutput(connection);
            }
        }
    }

    private static final class Receiver implements TcpHandler {
        private final TcpLayer tcp;
        private final byte[] buffer = new byte[4096];
        final byte[] received = new byte[BYTES];
        long read;
        CloseReason closed;

        Receiver(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onReadable(int handle) {
            drain(handle);
        }

        @Override
        public void onPeerClosed(int handle) {
            drain(handle);
            tcp.close(handle);
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            closed = reason;
        }

        private void drain(int handle) {
            int n;
            while ((n = tcp.read(handle, buffer, 0, buffer.length)) > 0) {
                if (read + n <= BYTES) {
                    System.arraycopy(buffer, 0, received, (int) read, n);
                }
                read += n;
            }
        }
    }

    /**
     * The board's device, after each transmitted frame letting the peer act before the board's
     * next SPI transaction: a kernel behind a TAP answers an ACK on another CPU while the board is
     * still draining the chip, so its next flight can land on top of frames not yet read.
     */
    private static final class PeerAnswersAtOnce extends FrameDeviceDecorator {
        private final Runnable peer;

        PeerAnswersAtOnce(FrameDevice inner, Runnable peer) {
            super(inner);
            this.peer = peer;
        }

        @Override
        public boolean transmit(byte[] frame, int offset, int length) {
            boolean sent = inner.transmit(frame, offset, length);
            peer.run();
            return sent;
        }
    }

    @Test
    void aSteadyTransferIntoTheStackLosesNoFrameInTheChip() {
        ManualClock clock = new ManualClock();
        boolean[] starting = {true};
        // The 2 ms after SRC must pass on the chip's clock during init; afterwards only the
        // Simulator moves time.
        NanoClock boardClock = () -> {
            if (starting[0]) {
                clock.advance(100_000L);
            }
            return clock.nanoTime();
        };
        VirtualWire wire = new VirtualWire(clock);
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, boardClock);
        chip.attach(wire.connect("enc28j60", chip.mac()));
        Enc28j60Driver driver = new Enc28j60Driver(chip, chip.intPin(), chip.resetPin(), boardClock,
                Enc28j60Config.defaults(chip.mac()).withFullDuplex(true));
        driver.init();
        starting[0] = false;

        int senderAddress = 0x0A00_0001;
        int boardAddress = 0x0A00_0002;
        int window = Enc28j60Driver.largestReceiveWindow(StackConfig.builder().build().tcpMss);
        int ring = Integer.highestOneBit(window - 1) << 1;
        Stack sender = new Stack(StackConfig.builder().ipAddress(senderAddress, 24).tcpBuffers(64 * 1024, 64 * 1024).build(),
                wire.connect("kernel", 0x0200_0000_00AAL));
        Stack board = new Stack(StackConfig.builder().ipAddress(boardAddress, 24).tcpBuffers(ring, ring)
                .tcpReceiveWindow(window).build(),
                new PeerAnswersAtOnce(driver, () -> sender.poll(clock.nanoTime())));
        Simulator sim = new Simulator(clock, wire).add(sender).add(board);
        sim.beforeEachRound(chip::pump);

        byte[] payload = new byte[BYTES];
        new Random(0x5EED_0009L).nextBytes(payload);
        Receiver receiver = new Receiver(board.tcp());
        board.tcp().listen(PORT, 1, receiver);
        Sender client = new Sender(sender.tcp(), payload);
        client.connection = sender.tcp().connect(boardAddress, PORT, client);

        boolean done = sim.runUntil(() -> client.closed != null && receiver.closed != null, 600_000_000_000L);

        String state = "window " + window + ", read " + receiver.read + " of " + BYTES + ", chip overflows " + chip.overflows()
                + ", chip drops " + chip.framesDropped() + ", driver RX_OVERFLOW " + driver.counter(Enc28j60Counter.RX_OVERFLOW)
                + ", ERXRDPT writes " + driver.counter(Enc28j60Counter.RX_READ_POINTER_UPDATES) + ", simulated "
                + (clock.nanoTime() - ManualClock.DEFAULT_START_NANOS) / 1_000_000 + " ms\nsender: " + sender.tcp().counters();
        assertTrue(done, state);
        assertEquals(0, chip.overflows(), "frames the chip dropped for lack of FIFO space; " + state);
        assertEquals(0, chip.framesDropped(), state);
        assertEquals(CloseReason.NORMAL, client.closed, state);
        assertEquals(CloseReason.NORMAL, receiver.closed, state);
        assertEquals(BYTES, receiver.read, state);
        assertEquals(-1, java.util.Arrays.mismatch(payload, receiver.received), "first differing byte; " + state);
        assertEquals(List.of(), chip.invalidUses());
        System.out.println("steady upload through the ENC28J60: " + state.lines().findFirst().orElseThrow());
    }
}
