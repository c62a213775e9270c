package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.app.StackAgent;
import dev.spinet.app.StackThreadCounter;
import dev.spinet.stats.Counters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * The duty cycle's promise on a running board (docs/design.md "The duty cycle"): over a long
 * socket workload against the Linux kernel through a TAP in a namespace, the stack thread never
 * runs an empty cycle with a deadline due ({@link StackThreadCounter#EMPTY_AT_DUE_DEADLINE}),
 * never wakes at a deadline to find nothing to do, and while idle with only timers armed
 * (keepalive on idle connections, TIME-WAIT entries) it wakes no more often than its idle cap
 * and its timers ask. The workload: echo round trips, a bulk transfer, many virtual threads
 * opening and closing connections (each leaving a TIME-WAIT entry), connects that time out, a
 * socket idling under {@code SO_TIMEOUT}, a kernel client on a Spinet server socket. It runs on
 * the TAP itself, on an emulated chip over the TAP, and on the timing model, with application
 * threads running duty cycles ({@link StackTurn}) where the HAL allows it.
 *
 * <p>The lab roles give the short timers: {@code keepalive} probes after 10 s idle,
 * {@code time-wait} has an MSL of 10 s, so TIME-WAIT entries expire within the run.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StackWakeupsOnTapTest {

    private static final int ECHO_PORT = 7007;
    private static final int SERVER_PORT = 7100;
    /** Seconds of mixed workload. */
    private static final long WORKLOAD_SECONDS = Long.getLong("spinet.test.wakeups.workloadSeconds", 20);
    /**
     * Seconds the board sits idle with keepalive connections and TIME-WAIT entries only: longer
     * than 2 MSL under the time-wait lab, so the entries of the workload's last connections expire.
     */
    private static final long IDLE_SECONDS = Long.getLong("spinet.test.wakeups.idleSeconds", 22);

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tap, keepalive|11|--hal tap --lab keepalive",
        "tap, time-wait|12|--hal tap --lab time-wait",
        "sim-w5500, keepalive|13|--hal sim-w5500 --lab keepalive",
        "sim-enc28j60 timing model, time-wait|14|--hal sim-enc28j60 --spi-clock 20MHz --lab time-wait",
    })
    void noEmptyWakeupAtADueDeadlineAndIdleWakeupsBounded(String name, int subnet, String run) throws Exception {
        String purpose = "wk" + subnet;
        try (SpinetOnTap board = SpinetOnTap.start(purpose, subnet, new String[] {"python3"},
                (run + " --connections 64").split(" "))) {
            board.background("listening", "python3", board.peers(), "echo-server", board.kernelIp, String.valueOf(ECHO_PORT));
            Counters<StackThreadCounter> counters = board.spinet.stackThreadCounters();
            SocketFactory sockets = board.spinet.socketFactory();
            InetAddress kernel = InetAddress.getByName(board.kernelIp);

            // Idle connections with keepalive on: their timers stay armed through the whole run.
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket socket = sockets.createSocket(kernel, ECHO_PORT);
                socket.setKeepAlive(true);
                idle.add(socket);
            }
            long[] before = counters.snapshot();
            long start = System.nanoTime();
            Workload workload = new Workload(board, sockets, kernel);
            workload.runFor(WORKLOAD_SECONDS * 1_000_000_000L);
            long[] afterWork = counters.snapshot();
            int timeWaitBefore = board.spinet.sockets().tcp().timeWaitEntries();
            double workSeconds = (System.nanoTime() - start) / 1e9;

            // Idle: nothing but timers (keepalive, TIME-WAIT expiry, ARP) and the kernel's answers,
            // from one idle cap after the last application thread's cycle.
            Thread.sleep(2 * StackAgent.IDLE_CAP_NANOS / 1_000_000);
            afterWork = counters.snapshot();
            long idleStart = System.nanoTime();
            Thread.sleep(IDLE_SECONDS * 1000);
            long[] afterIdle = counters.snapshot();
            int timeWaitAfter = board.spinet.sockets().tcp().timeWaitEntries();
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            for (Socket socket : idle) {
                socket.getOutputStream().write(1);
                assertEquals(1, socket.getInputStream().read(), "an idle keepalive connection still echoes");
                socket.close();
            }
            long[] atEnd = counters.snapshot();

            String figures = name + ": workload " + String.format("%.1f", workSeconds) + " s (" + workload + "): "
                    + describe(before, afterWork, workSeconds) + "; idle " + String.format("%.1f", idleSeconds) + " s: "
                    + describe(afterWork, afterIdle, idleSeconds) + "; TIME-WAIT entries " + timeWaitBefore + " -> " + timeWaitAfter;
            System.out.println(figures);
            assertEquals(0, workload.failures.get(), figures + "; first failure: " + workload.firstFailure);
            assertEquals(0, delta(before, atEnd, StackThreadCounter.EMPTY_AT_DUE_DEADLINE),
                    "cycles that did nothing with a deadline due: " + figures);
            assertEquals(0, delta(before, atEnd, StackThreadCounter.EMPTY_WAKEUPS_AT_DEADLINE),
                    "wake-ups at a deadline that found nothing to do: " + figures);
            // Idle, the thread sleeps until its next deadline or the idle cap; besides the cap's
            // wake-ups, a frame the chip filters out or a late wake-up signal may find nothing:
            // at most one a second.
            long idleEmpty = emptyWakeups(afterWork, afterIdle);
            long bound = (long) (idleSeconds * 1e9 / StackAgent.IDLE_CAP_NANOS) + 1 + (long) idleSeconds;
            assertTrue(idleEmpty <= bound, "while idle at most " + bound + " empty wake-ups: " + figures);
            if (run.contains("time-wait") && IDLE_SECONDS > 20) {
                assertTrue(timeWaitAfter < timeWaitBefore && delta(afterWork, afterIdle, StackThreadCounter.WAKEUPS_AT_DEADLINE) > 0,
                        "idle, the thread woke at the TIME-WAIT deadlines and the entries expired: " + figures);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static long delta(long[] from, long[] to, StackThreadCounter counter) {
        return to[counter.ordinal()] - from[counter.ordinal()];
    }

    private static long emptyWakeups(long[] from, long[] to) {
        return delta(from, to, StackThreadCounter.EMPTY_AFTER_GATE_REFUSED)
                + delta(from, to, StackThreadCounter.EMPTY_WAKEUPS_AT_DEADLINE)
                + delta(from, to, StackThreadCounter.EMPTY_WAKEUPS_AT_CAP)
                + delta(from, to, StackThreadCounter.EMPTY_WAKEUPS_EARLY)
                + delta(from, to, StackThreadCounter.EMPTY_WAKEUPS_OVERTAKEN)
                + delta(from, to, StackThreadCounter.EMPTY_AT_DUE_DEADLINE);
    }

    private static String describe(long[] from, long[] to, double seconds) {
        long wakeups = delta(from, to, StackThreadCounter.WAKEUPS_AT_DEADLINE) + delta(from, to, StackThreadCounter.WAKEUPS_AT_CAP)
                + delta(from, to, StackThreadCounter.WAKEUPS_EARLY) + delta(from, to, StackThreadCounter.WAKEUPS_OVERTAKEN)
                + delta(from, to, StackThreadCounter.IDLE_GATE_REFUSED) + delta(from, to, StackThreadCounter.AT_DUE_DEADLINE);
        StringBuilder text = new StringBuilder(String.format("%.1f wake-ups/s", wakeups / seconds));
        for (StackThreadCounter counter : StackThreadCounter.values()) {
            long d = delta(from, to, counter);
            if (d != 0) {
                text.append(' ').append(counter.name().toLowerCase()).append('=').append(d);
            }
        }
        return text.toString();
    }

    /** The mixed socket workload, each part on virtual threads, all bounded in time and count. */
    private final class Workload {
        final SpinetOnTap board;
        final SocketFactory sockets;
        final InetAddress kernel;
        final AtomicLong failures = new AtomicLong();
        volatile Throwable firstFailure;
        final AtomicLong roundTrips = new AtomicLong();
        final AtomicLong bulkBytes = new AtomicLong();
        final AtomicLong churned = new AtomicLong();
        final AtomicLong connectTimeouts = new AtomicLong();
        final AtomicLong readTimeouts = new AtomicLong();
        final AtomicLong served = new AtomicLong();

        Workload(SpinetOnTap board, SocketFactory sockets, InetAddress kernel) {
            this.board = board;
            this.sockets = sockets;
            this.kernel = kernel;
        }

        void runFor(long nanos) throws Exception {
            long until = System.nanoTime() + nanos;
            List<Future<?>> parts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                parts.add(threads.submit(() -> part(until, this::echoRoundTrips)));
            }
            parts.add(threads.submit(() -> part(until, this::bulk)));
            // The short connections stop halfway: their TIME-WAIT entries (2 MSL = 20 s under the
            // time-wait lab) then expire while the board idles, a timer with work at its deadline.
            long churnUntil = until - nanos / 2;
            parts.add(threads.submit(() -> part(churnUntil, this::churn)));
            parts.add(threads.submit(() -> part(until, this::connectTimeout)));
            parts.add(threads.submit(() -> part(until, this::readTimeout)));
            parts.add(threads.submit(() -> part(until, this::serveKernelClients)));
            for (Future<?> part : parts) {
                part.get(nanos / 1_000_000_000L + 60, TimeUnit.SECONDS);
            }
        }

        interface Part {
            void run(long until) throws Exception;
        }

        private void part(long until, Part part) {
            try {
                part.run(until);
            } catch (Throwable t) {
                failures.incrementAndGet();
                if (firstFailure == null) {
                    firstFailure = t;
                }
            }
        }

        /** Small request/reply exchanges with pauses between bursts: the stack idles between them. */
        private void echoRoundTrips(long until) throws Exception {
            byte[] request = new byte[64];
            byte[] reply = new byte[64];
            Random random = new Random(until);
            while (System.nanoTime() - until < 0) {
                try (Socket socket = sockets.createSocket(kernel, ECHO_PORT)) {
                    socket.setSoTimeout(10_000);
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (int i = 0; i < 100 && System.nanoTime() - until < 0; i++) {
                        random.nextBytes(request);
                        out.write(request);
                        readFully(in, reply);
                        if (!java.util.Arrays.equals(request, reply)) {
                            throw new IOException("echo differs");
                        }
                        roundTrips.incrementAndGet();
                        if (i % 10 == 9) {
                            Thread.sleep(random.nextInt(50));
                        }
                    }
                }
            }
        }

        /** 1 MB through the kernel's echo at a time, sent and read back concurrently. */
        private void bulk(long until) throws Exception {
            byte[] data = new byte[1 << 20];
            new Random(7).nextBytes(data);
            while (System.nanoTime() - until < 0) {
                try (Socket socket = sockets.createSocket(kernel, ECHO_PORT)) {
                    socket.setSoTimeout(20_000);
                    Future<?> sent = threads.submit(() -> {
                        OutputStream out = socket.getOutputStream();
                        for (int off = 0; off < data.length; off += 16_384) {
                            out.write(data, off, 16_384);
                        }
                        socket.shutdownOutput();
                        return null;
                    });
                    byte[] back = socket.getInputStream().readAllBytes();
                    sent.get(30, TimeUnit.SECONDS);
                    if (!java.util.Arrays.equals(data, back)) {
                        throw new IOException("bulk echo differs: " + back.length + " bytes back");
                    }
                    bulkBytes.addAndGet(back.length);
                }
                Thread.sleep(200);
            }
        }

        /** Many virtual threads opening, using and closing a connection: Spinet closes first (TIME-WAIT). */
        private void churn(long until) throws Exception {
            Semaphore open = new Semaphore(8);
            List<Future<?>> each = new ArrayList<>();
            for (int i = 0; i < 400 && System.nanoTime() - until < 0; i++) {
                open.acquire();
                each.add(threads.submit(() -> {
                    try (Socket socket = sockets.createSocket(kernel, ECHO_PORT)) {
                        socket.setSoTimeout(10_000);
                        socket.getOutputStream().write(new byte[] {1, 2, 3});
                        readFully(socket.getInputStream(), new byte[3]);
                        churned.incrementAndGet();
                    } finally {
                        open.release();
                    }
                    return null;
                }));
                if (i % 20 == 19) {
                    Thread.sleep(300);
                }
            }
            for (Future<?> f : each) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        /** A connect to an address on the subnet where nobody answers ARP: the connect timeout fires. */
        private void connectTimeout(long until) throws Exception {
            InetAddress silent = InetAddress.getByName(board.kernelIp.substring(0, board.kernelIp.lastIndexOf('.')) + ".9");
            while (System.nanoTime() - until < 0) {
                try (Socket socket = sockets.createSocket()) {
                    assertThrows(SocketTimeoutException.class, () -> socket.connect(new InetSocketAddress(silent, 80), 400));
                    connectTimeouts.incrementAndGet();
                }
                Thread.sleep(1_000);
            }
        }

        /** A connection left idle under SO_TIMEOUT: its reads time out on the application's side. */
        private void readTimeout(long until) throws Exception {
            try (Socket socket = sockets.createSocket(kernel, ECHO_PORT)) {
                socket.setSoTimeout(700);
                while (System.nanoTime() - until < 0) {
                    assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                    readTimeouts.incrementAndGet();
                }
            }
        }

        /** A Spinet server socket echoing for kernel clients (python3 in the namespace). */
        private void serveKernelClients(long until) throws Exception {
            try (ServerSocket server = board.spinet.serverSocketFactory().createServerSocket(SERVER_PORT)) {
                server.setSoTimeout(15_000);
                int round = 0;
                while (System.nanoTime() - until < 0) {
                    Process client = new ProcessBuilder(board.netns.inside("python3", board.peers(), "echo-client", board.boardIp,
                            String.valueOf(SERVER_PORT), "100000", String.valueOf(round++))).redirectErrorStream(true).start();
                    client.getOutputStream().close();
                    try (Socket socket = server.accept()) {
                        socket.setSoTimeout(15_000);
                        socket.getInputStream().transferTo(socket.getOutputStream());
                    }
                    String output = new String(client.getInputStream().readAllBytes());
                    if (!client.waitFor(30, TimeUnit.SECONDS) || !output.contains("echo-client-ok")) {
                        client.destroyForcibly();
                        throw new IOException("kernel echo client: " + output);
                    }
                    served.incrementAndGet();
                    Thread.sleep(500);
                }
            }
        }

        private static void readFully(InputStream in, byte[] into) throws IOException {
            int got = 0;
            while (got < into.length) {
                int n = in.read(into, got, into.length - got);
                if (n < 0) {
                    throw new IOException("end of stream after " + got + " of " + into.length + " bytes");
                }
                got += n;
            }
        }

        @Override
        public String toString() {
            return roundTrips + " round trips, " + bulkBytes + " bulk bytes, " + churned + " short connections, "
                    + connectTimeouts + " connect timeouts, " + readTimeouts + " read timeouts, " + served + " kernel clients served";
        }
    }
}
