package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.app.StackThreadCounter;
import dev.spinet.stats.Counters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No frame waits unseen while readers lead and stop leading (docs/applications.md "Threads"): a
 * frame wakes only a waiting leader, so every way a lead ends must leave the TAP watched. Over a
 * TAP in a namespace of its own, a kernel client runs socket round trips with pauses of 0 to 1 ms
 * (so the reader leads, finds its data, leads again, or runs out of its shortened lead and
 * parks), on two connections at once (one reader leads, the other parks and is woken), while
 * {@code ping} sends ICMP echo requests every 2 ms (frames the stack answers itself,
 * arriving at any point of a lead). Oracle: the stack thread's counters. A frame nobody was woken
 * for lies in the TAP until the stack thread's idle wait ends at its cap, and that wake-up then
 * finds work ({@link StackThreadCounter#WAKEUPS_AT_CAP} above
 * {@link StackThreadCounter#EMPTY_WAKEUPS_AT_CAP}); the kernel's ping must lose nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderHandOffOnTapTest {

    private static final int PORT = 2007;
    private static final int ROUND_TRIPS = 3_000;

    /** The client: round trips of 64 bytes with pauses of 0 to 1 ms; prints "done N". */
    private static final String CLIENT = String.join("\n",
            "import random, socket, sys, time",
            "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)",
            "s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
            "payload = b'x' * 64",
            "n = 0",
            "for i in range(int(sys.argv[3])):",
            "    s.sendall(payload)",
            "    got = 0",
            "    while got < 64:",
            "        chunk = s.recv(64 - got)",
            "        if not chunk: raise SystemExit('closed after %d' % n)",
            "        got += len(chunk)",
            "    n += 1",
            "    if random.random() < 0.5: time.sleep(random.random() / 1000)",
            "print('done', n)");

    private static void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Test
    void everyFrameIsSeenWhileReadersLeadAndLeave() throws Exception {
        String before = System.getProperty(StackLead.PROPERTY);
        // A short lead: it runs out between round trips often, as well as ending with its data.
        System.setProperty(StackLead.PROPERTY, "300");
        try (SpinetOnTap board = SpinetOnTap.start("sklead", 21, new String[] {"python3", "ping"})) {
            ServerSocket server = board.spinet.serverSocketFactory().createServerSocket(PORT);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofVirtual().start(() -> echo(socket));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Counters<StackThreadCounter> counters = board.spinet.stackThreadCounters();
            long capWakeupsWithWorkBefore = counters.get(StackThreadCounter.WAKEUPS_AT_CAP)
                    - counters.get(StackThreadCounter.EMPTY_WAKEUPS_AT_CAP);
            Process ping = new ProcessBuilder(board.netns.inside("ping", "-q", "-i", "0.002", "-c", "1500", board.boardIp))
                    .redirectErrorStream(true).start();
            ping.getOutputStream().close();
            long ledBefore = board.spinet.sockets().readsLed();
            // Two connections at once: one reader leads, the other parks, and its replies, sent by
            // its own thread's cycles, hold the turn while the leader may want it.
            Process second = new ProcessBuilder(board.netns.inside("python3", "-c", CLIENT, board.boardIp, String.valueOf(PORT),
                    String.valueOf(ROUND_TRIPS))).redirectErrorStream(true).start();
            second.getOutputStream().close();
            String client = board.netns.execOk(100, "python3", "-c", CLIENT, board.boardIp, String.valueOf(PORT),
                    String.valueOf(ROUND_TRIPS));
            assertTrue(client.contains("done " + ROUND_TRIPS), client);
            String secondOutput = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS) && secondOutput.contains("done " + ROUND_TRIPS), secondOutput);
            String pingOutput = new String(ping.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(ping.waitFor(60, TimeUnit.SECONDS), "ping ended");
            assertTrue(pingOutput.contains(" 0% packet loss"), pingOutput);
            assertTrue(board.spinet.sockets().readsLed() - ledBefore > ROUND_TRIPS / 2,
                    "the readers led (" + (board.spinet.sockets().readsLed() - ledBefore) + " reads)");
            long capWakeupsWithWork = counters.get(StackThreadCounter.WAKEUPS_AT_CAP)
                    - counters.get(StackThreadCounter.EMPTY_WAKEUPS_AT_CAP) - capWakeupsWithWorkBefore;
            assertEquals(0, capWakeupsWithWork, "a frame waited for the stack thread's idle cap: " + counters + "\n" + pingOutput);
            server.close();
        } finally {
            if (before == null) {
                System.clearProperty(StackLead.PROPERTY);
            } else {
                System.setProperty(StackLead.PROPERTY, before);
            }
        }
    }
}
