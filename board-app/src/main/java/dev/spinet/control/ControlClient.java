package dev.spinet.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The instructor's side of {@link ControlProtocol}: one conversation with one board, at the address
 * the roster gives it.
 */
public final class ControlClient {

    private ControlClient() {
    }

    /**
     * Connects, checks that the board is the one expected, sends {@code command} with its proof and
     * returns the board's answer ({@code ok ...} or {@code error ...}).
     *
     * @param board   the board's address and control port
     * @param name    the board's name in the roster: a board greeting with another name is not sent
     *                the command (the roster's address is wrong, or two boards swapped places)
     * @param key     that board's key ({@link ControlToken#boardKey})
     * @param timeout for connecting and for each answer
     * @throws IOException when the board cannot be reached or answers nothing
     * @throws IllegalStateException when another board (or not a Spinet board) answers
     */
    public static String send(InetSocketAddress board, String name, byte[] key, ControlCommand command, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(board, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII),
                    ControlProtocol.LINE_LIMIT);
            String greetingLine = in.readLine();
            if (greetingLine == null) {
                throw new IOException("the board closed the connection without a greeting");
            }
            if (greetingLine.startsWith("error ")) {
                return greetingLine.strip(); // busy with another conversation: the caller may try again
            }
            ControlProtocol.Greeting greeting;
            try {
                greeting = ControlProtocol.parseGreeting(greetingLine);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage());
            }
            if (!greeting.board().equalsIgnoreCase(name)) {
                throw new IllegalStateException("the board at " + board.getHostString() + " is '" + greeting.board()
                        + "', not '" + name + "': check the roster's addresses");
            }
            OutputStream out = socket.getOutputStream();
            out.write(ControlProtocol.request(key, greeting.board(), greeting.nonce(), command.text()).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = in.readLine();
            if (answer == null) {
                throw new IOException("the board closed the connection without answering");
            }
            return answer.strip();
        }
    }
}
