package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.TcpCounter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server socket whose backlog is full makes a new client wait, as Linux does with its default
 * {@code net.ipv4.tcp_abort_on_overflow=0}: the SYN is dropped (no SYN,ACK, no reset), the
 * client's kernel retransmits it, and the connection is made once {@code accept()} has taken one
 * from the queue. Before, Spinet completed the handshake and then reset the connection. Oracle:
 * the Linux kernel's TCP as the client, through a TAP in a namespace of the test's own; a Python
 * client opens a first connection (which fills a backlog of 1) and then a second, sends on it
 * and waits for the answer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerSocketBacklogFullTest {

    private static final int PORT = 7061;

    /** First connection, then a second one that must wait; writes what happened to a file. */
    private static final String CLIENT = String.join("\n",
            "import os, socket, sys, time",
            "host, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]",
            "a = socket.create_connection((host, port), timeout=10)",
            "print('first connected', flush=True)",
            "start = time.monotonic()",
            "b = socket.socket()",
            "b.settimeout(30)",
            "try:",
            "    b.connect((host, port))",
            "    connected = time.monotonic() - start",
            "    b.sendall(b'hello')",
            "    answer = b.recv(16).decode()",
            "    result = 'second %s after %.1f s' % (answer, connected)",
            "except Exception as e:",
            "    result = 'second failed %s %s' % (type(e).__name__, e)",
            "open(out + '.part', 'w').write(result)",
            "os.rename(out + '.part', out)");

    @Test
    void aClientWaitsForRoomInTheBacklogInsteadOfBeingReset() throws Exception {
        try (SpinetOnTap board = SpinetOnTap.start("fxbl", 61, new String[] {"python3"})) {
            SpinetSockets sockets = board.spinet.sockets();
            long droppedBefore = sockets.bridge().tcp().counters().get(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL);
            try (ServerSocket server = board.spinet.serverSocketFactory().createServerSocket(PORT, 1)) {
                Path result = board.workDir.resolve("backlog-result.txt");
                board.background("first connected", "python3", "-c", CLIENT, board.boardIp, String.valueOf(PORT), result.toString());
                // The second SYN comes while the first connection fills the backlog.
                long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sockets.bridge().tcp().counters().get(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL) == droppedBefore
                        && !Files.exists(result) && System.nanoTime() - limit < 0) {
                    Thread.sleep(10);
                }
                assertTrue(!Files.exists(result), "the second client was not answered while the backlog was full: "
                        + (Files.exists(result) ? Files.readString(result) : ""));
                assertTrue(sockets.bridge().tcp().counters().get(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL) > droppedBefore,
                        "its SYN was dropped and counted");
                assertEquals(0, sockets.counters().get(SocketCounter.ACCEPT_QUEUE_FULL), "no connection was reset for want of room");
                try (Socket first = server.accept()) {
                    assertTrue(first.isConnected());
                }
                server.setSoTimeout(20_000);
                try (Socket second = server.accept()) {
                    byte[] hello = second.getInputStream().readNBytes(5);
                    assertEquals("hello", new String(hello, StandardCharsets.US_ASCII));
                    second.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
                    limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!Files.exists(result) && System.nanoTime() - limit < 0) {
                        Thread.sleep(10);
                    }
                }
                String outcome = Files.readString(result);
                assertTrue(outcome.startsWith("second world"), outcome);
            }
        }
    }
}
