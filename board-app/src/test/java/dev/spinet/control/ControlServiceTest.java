package dev.spinet.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.wire.Ipv4Packet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control port between a board and the instructor, both whole stacks on a virtual wire: an
 * authentic command is taken once; a wrong token, another board's key, a replayed conversation, a
 * changed command, a late answer and a second conversation at once are all refused.
 */
class ControlServiceTest {

    private static final long S = 1_000_000_000L;
    private static final int BOARD = Ipv4Packet.parseAddress("10.99.3.2");
    private static final int INSTRUCTOR = Ipv4Packet.parseAddress("10.99.3.1");

    private final ManualClock clock = new ManualClock();
    private final VirtualWire wire = new VirtualWire(clock);
    private final ControlToken token = ControlToken.generate(new SecureRandom());
    private final List<ControlCommand> taken = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Stack boardStack = new Stack(StackConfig.builder().ipAddress(BOARD, 24).tcpSecret(1).build(),
            wire.connect("board", 0x02_00_00_00_00_02L));
    private final ControlService service = new ControlService(boardStack.tcp(), "bench-02", token.boardKey("bench-02"),
            new SecureRandom(), command -> {
                if (command.lab() != null && command.lab().equals("nope")) {
                    return "no lab 'nope'";
                }
                taken.add(command);
                return null;
            }, log::add).start();
    private final Stack instructor = new Stack(StackConfig.builder().ipAddress(INSTRUCTOR, 24).tcpSecret(2).build(),
            wire.connect("instructor", 0x02_00_00_00_00_01L));
    private final Simulator sim = new Simulator(clock, wire).add(new DutyCycle() {
        @Override
        public int poll(long nowNanos) {
            return boardStack.poll(nowNanos) + service.poll(nowNanos);
        }

        @Override
        public long nextDeadline(long nowNanos) {
            long a = boardStack.nextDeadline(nowNanos);
            long b = service.nextDeadline(nowNanos);
            return b - a < 0 ? b : a;
        }
    }).add(instructor);

    /** The instructor's side of one conversation, on the instructor's stack. */
    private final class Conversation implements TcpHandler {
        final TcpLayer tcp = instructor.tcp();
        final StringBuilder received = new StringBuilder();
        final int handle;
        CloseReason closed;
        boolean peerClosed;

        Conversation() {
            handle = tcp.connect(BOARD, ControlProtocol.PORT, this);
        }

        @Override
        public void onReadable(int h) {
            byte[] buffer = new byte[512];
            int n;
            while ((n = tcp.read(h, buffer, 0, buffer.length)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void onPeerClosed(int h) {
            peerClosed = true;
            tcp.close(h);
        }

        @Override
        public void onClosed(int h, CloseReason reason) {
            closed = reason;
        }

        String greeting() {
            assertTrue(sim.runUntil(() -> received.indexOf("\n") >= 0, 2 * S), "a greeting");
            return received.substring(0, received.indexOf("\n") + 1);
        }

        void send(String line) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            assertEquals(bytes.length, tcp.write(handle, bytes, 0, bytes.length));
        }

        /** The board's answer line, once it has closed. */
        String answer() {
            assertTrue(sim.runUntil(() -> peerClosed || closed != null, 2 * S), "the board answers and closes: " + received);
            String all = received.toString();
            String[] lines = all.split("\n");
            return lines[lines.length - 1];
        }
    }

    private String ask(byte[] key, String command) {
        Conversation c = new Conversation();
        ControlProtocol.Greeting greeting = ControlProtocol.parseGreeting(c.greeting());
        c.send(ControlProtocol.request(key, greeting.board(), greeting.nonce(), command));
        return c.answer();
    }

    @Test
    void anAuthenticCommandIsTakenAndAnsweredOk() {
        assertEquals("ok lab time-wait", ask(token.boardKey("bench-02"), "lab time-wait"));
        assertEquals("ok lab syn-sent peer 10.99.3.77", ask(token.boardKey("BENCH-02"), "lab syn-sent peer 10.99.3.77"));
        assertEquals("ok reset", ask(token.boardKey("bench-02"), "reset"));
        assertEquals(List.of(new ControlCommand("time-wait", 0), new ControlCommand("syn-sent", Ipv4Packet.parseAddress("10.99.3.77")),
                ControlCommand.RESET), taken);
        assertEquals(3, service.accepted());
        assertEquals("error no lab 'nope'", ask(token.boardKey("bench-02"), "lab nope"));
    }

    @Test
    void aWrongTokenOrAnotherBoardsKeyIsRefused() {
        ControlToken other = ControlToken.generate(new SecureRandom());
        assertTrue(ask(other.boardKey("bench-02"), "lab time-wait").startsWith("error the proof does not match"));
        assertTrue(ask(token.boardKey("bench-03"), "lab time-wait").startsWith("error the proof does not match"));
        assertEquals(List.of(), taken);
        assertEquals(2, service.refused());
        assertTrue(log.stream().allMatch(l -> l.startsWith("control: refused a command from 10.99.3.1")), log.toString());
    }

    @Test
    void aRecordedConversationCannotBeReplayedNorItsCommandChanged() {
        Conversation first = new Conversation();
        String greetingLine = first.greeting();
        ControlProtocol.Greeting greeting = ControlProtocol.parseGreeting(greetingLine);
        String request = ControlProtocol.request(token.boardKey("bench-02"), greeting.board(), greeting.nonce(), "lab abort");
        first.send(request);
        assertEquals("ok lab abort", first.answer());

        // Someone who saw all of it sends the same line again: the board drew a new nonce.
        Conversation replay = new Conversation();
        String second = replay.greeting();
        assertNotEquals(greetingLine, second);
        replay.send(request);
        assertTrue(replay.answer().startsWith("error the proof does not match"));

        // The proof of one command does not carry another.
        Conversation changed = new Conversation();
        ControlProtocol.Greeting g = ControlProtocol.parseGreeting(changed.greeting());
        String proof = ControlProtocol.proof(token.boardKey("bench-02"), g.board(), g.nonce(), "lab abort");
        changed.send("reset proof=" + proof + "\n");
        assertTrue(changed.answer().startsWith("error the proof does not match"));
        assertEquals(List.of(new ControlCommand("abort", 0)), taken);
    }

    @Test
    void aConversationLeftOpenIsResetAndTheNextOneIsServed() {
        Conversation idle = new Conversation();
        idle.greeting();
        Conversation second = new Conversation();
        assertTrue(second.answer().startsWith("error another control conversation is open"), second.received.toString());
        sim.runFor((ControlProtocol.ANSWER_WITHIN_SECONDS + 1) * S);
        assertEquals(CloseReason.RESET, idle.closed, "the board resets a conversation that outlived its nonce");
        assertEquals("ok lab handshake", ask(token.boardKey("bench-02"), "lab handshake"));
        assertFalse(log.isEmpty());
    }

    @Test
    void aLineThatIsNotARequestIsRefused() {
        Conversation c = new Conversation();
        c.greeting();
        c.send("lab handshake\n");
        assertTrue(c.answer().startsWith("error expected: COMMAND proof=HMAC"));
        Conversation longLine = new Conversation();
        longLine.greeting();
        longLine.send("x".repeat(ControlProtocol.LINE_LIMIT + 10));
        String tooLong = longLine.answer();
        assertTrue(tooLong.startsWith("error line longer than"), tooLong + " | " + longLine.closed);
        assertEquals(List.of(), taken);
    }
}
