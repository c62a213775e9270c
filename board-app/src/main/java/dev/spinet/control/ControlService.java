package dev.spinet.control;

import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The board's side of {@link ControlProtocol}, on the stack thread: listens on port
 * {@value ControlProtocol#PORT}, greets each connection with a fresh nonce, checks the one command
 * that follows against the board's key, hands an authentic command to the {@link Switcher}, answers
 * and closes. One conversation at a time; one that is not finished {@value
 * ControlProtocol#ANSWER_WITHIN_SECONDS} s after the greeting is reset, so nobody can hold the port.
 * This is application code (it formats text and computes HMACs); nothing here is on the packet path.
 */
public final class ControlService implements TcpHandler {

    /** Decides on an authentic command: null when it is taken, else why not (sent back to the instructor). */
    @FunctionalInterface
    public interface Switcher {
        String apply(ControlCommand command);
    }

    private static final long ANSWER_WITHIN_NANOS = ControlProtocol.ANSWER_WITHIN_SECONDS * 1_000_000_000L;

    private final TcpLayer tcp;
    private final String board;
    private final byte[] key;
    private final SecureRandom random;
    private final Switcher switcher;
    private final Consumer<String> log;
    private final byte[] line = new byte[ControlProtocol.LINE_LIMIT];
    private final byte[] nonce = new byte[ControlProtocol.NONCE_BYTES];
    private int lineLength;
    private int connection = -1;
    private String nonceText;
    private long deadline;
    private long lastNow;
    private long accepted;
    private long refused;

    /**
     * @param board the board's name, as the roster and the key know it
     * @param key   the board's key ({@link ControlToken#boardKey})
     */
    public ControlService(TcpLayer tcp, String board, byte[] key, SecureRandom random, Switcher switcher, Consumer<String> log) {
        this.tcp = tcp;
        this.board = board;
        this.key = key.clone();
        this.random = random;
        this.switcher = switcher;
        this.log = log;
    }

    public ControlService start() {
        tcp.listen(ControlProtocol.PORT, 1, this);
        return this;
    }

    /** Authentic commands taken. */
    public long accepted() {
        return accepted;
    }

    /** Conversations that ended without an authentic command (bad proof, late, malformed). */
    public long refused() {
        return refused;
    }

    @Override
    public void onAccepted(int listener, int handle) {
        if (connection >= 0) {
            answer(handle, "error another control conversation is open; try again in " + ControlProtocol.ANSWER_WITHIN_SECONDS + " s");
            return;
        }
        connection = handle;
        lineLength = 0;
        random.nextBytes(nonce);
        nonceText = HexFormat.of().formatHex(nonce);
        deadline = lastNow + ANSWER_WITHIN_NANOS;
        write(handle, ControlProtocol.greeting(board, nonceText));
    }

    @Override
    public void onReadable(int handle) {
        if (handle != connection) {
            drain(handle);
            return;
        }
        int n;
        while ((n = tcp.read(handle, line, lineLength, line.length - lineLength)) > 0) {
            int end = -1;
            for (int i = lineLength; i < lineLength + n; i++) {
                if (line[i] == '\n') {
                    end = i;
                    break;
                }
            }
            lineLength += n;
            if (end >= 0) {
                decide(handle, new String(line, 0, end, StandardCharsets.US_ASCII).strip());
                return;
            }
            if (lineLength == line.length) {
                refuse(handle, "line longer than " + ControlProtocol.LINE_LIMIT + " bytes");
                return;
            }
        }
    }

    private void decide(int handle, String request) {
        // The nonce is spent by this one attempt, whatever its outcome.
        String spent = nonceText;
        nonceText = null;
        int at = request.lastIndexOf(" proof=");
        if (spent == null || at < 0) {
            refuse(handle, "expected: COMMAND proof=HMAC (see docs/labs-images.md)");
            return;
        }
        String command = request.substring(0, at);
        if (!ControlProtocol.verify(key, board, spent, command, request.substring(at + " proof=".length()))) {
            refuse(handle, "the proof does not match: wrong class token, wrong board, or a spent nonce");
            return;
        }
        ControlCommand parsed;
        try {
            parsed = ControlCommand.parse(command);
        } catch (IllegalArgumentException e) {
            refuse(handle, e.getMessage());
            return;
        }
        String problem = switcher.apply(parsed);
        if (problem != null) {
            refuse(handle, problem);
            return;
        }
        accepted++;
        log.accept("control: " + parsed.text() + " from " + dev.spinet.wire.Ipv4Packet.formatAddress(tcp.remoteAddress(handle)));
        answer(handle, "ok " + parsed.text());
    }

    private void refuse(int handle, String why) {
        refused++;
        log.accept("control: refused a command from " + dev.spinet.wire.Ipv4Packet.formatAddress(tcp.remoteAddress(handle)) + ": " + why);
        answer(handle, "error " + why);
    }

    private void answer(int handle, String text) {
        write(handle, text + "\n");
        // Unread input would turn the close into an RST (RFC 1122 4.2.2.13) and lose the answer.
        drain(handle);
        tcp.close(handle);
    }

    private void write(int handle, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        // A fresh connection's send ring holds a line (LINE_LIMIT is far below any ring size).
        tcp.write(handle, bytes, 0, Math.min(bytes.length, tcp.writable(handle)));
    }

    private void drain(int handle) {
        while (tcp.read(handle, line, 0, line.length) > 0) {
            // Input after the answer, or on a refused second conversation: nothing to do with it.
        }
    }

    @Override
    public void onPeerClosed(int handle) {
        if (handle == connection && nonceText != null) {
            refused++;
        }
        TcpState state = tcp.state(handle);
        if (state == TcpState.CLOSE_WAIT) {
            tcp.close(handle);
        }
    }

    @Override
    public void onClosed(int handle, CloseReason reason) {
        if (handle == connection) {
            connection = -1;
            nonceText = null;
        }
    }

    /** Resets a conversation that outlived its nonce. Call every duty cycle. */
    public int poll(long nowNanos) {
        lastNow = nowNanos;
        if (connection >= 0 && deadline - nowNanos <= 0) {
            if (nonceText != null) {
                refused++;
                log.accept("control: no command within " + ControlProtocol.ANSWER_WITHIN_SECONDS + " s; connection reset");
            }
            int late = connection;
            connection = -1;
            nonceText = null;
            if (tcp.state(late) != TcpState.CLOSED) {
                tcp.abort(late);
            }
            return 1;
        }
        return 0;
    }

    /** When {@link #poll} next has something to do, at or after {@code nowNanos}. */
    public long nextDeadline(long nowNanos) {
        return connection >= 0 ? deadline : nowNanos + Long.MAX_VALUE / 4;
    }
}
