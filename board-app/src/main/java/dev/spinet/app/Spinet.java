package dev.spinet.app;

import dev.spinet.cli.RunArguments;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.net.NameResolver;
import dev.spinet.net.SpinetSockets;
import dev.spinet.stats.Counters;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * Spinet in a program of your own (docs/applications.md): starts the stack on its own thread, on
 * the HAL {@code spinet run} would open with the same options, and hands over java.net socket
 * factories that any code taking a {@code SocketFactory} can use.
 *
 * <pre>{@code
 * try (Spinet spinet = Spinet.start("--hal", "sim-w5500", "--tap", "sp0", "--ip", "10.0.0.2/24")) {
 *     Socket socket = spinet.socketFactory().createSocket("10.0.0.1", 1883);
 *     ...
 * }
 * }</pre>
 *
 * <p>The stack thread is a platform thread named {@code spinet-stack}; application code runs on
 * its own threads (virtual ones are the intended callers) and blocks in the sockets, never the
 * stack thread. {@link #close()} shuts down as {@code spinet run} does on Ctrl-C.
 */
public final class Spinet implements AutoCloseable {

    /** How long {@link #start} waits for the board to come up (a DHCP lease is not waited for). */
    private static final long START_TIMEOUT_SECONDS = 60;

    /** The Spinet {@code spinet run --app} hosts the application on, or null. */
    private static volatile Spinet hosting;

    private final BoardRunner runner;
    private final Thread stackThread;
    private final SpinetSockets sockets;

    private Spinet(BoardRunner runner, Thread stackThread, SpinetSockets sockets) {
        this.runner = runner;
        this.stackThread = stackThread;
        this.sockets = sockets;
    }

    /**
     * Starts Spinet with {@code spinet run}'s options ({@code --hal}, {@code --ip}, {@code --tap},
     * {@code --connections}, ...); without {@code --services} no service runs. Prints the ready
     * line on stdout as the command does.
     *
     * @throws IllegalArgumentException for a bad option (one line saying which and what it expects)
     * @throws IllegalStateException when the HAL cannot be opened (the message says what to do)
     */
    public static Spinet start(String... runArguments) {
        RunOptions options = RunArguments.parse(runArguments);
        return start(new BoardRunner(options, System.out, NanoClock.SYSTEM).dnsServers(RunArguments.dnsServers(runArguments)));
    }

    /** Starts Spinet with options already checked (DNS servers from the DHCP lease only). */
    public static Spinet start(RunOptions options) {
        return start(new BoardRunner(options, System.out, NanoClock.SYSTEM));
    }

    /**
     * Starts Spinet on a runner the caller configured ({@link BoardRunner#dnsServers}, signal
     * handlers): the stack thread runs {@code runner}, which must not have been run before.
     */
    public static Spinet start(BoardRunner runner) {
        CompletableFuture<SpinetSockets> ready = new CompletableFuture<>();
        runner.hostSockets(ready::complete);
        Thread thread = Thread.ofPlatform().name("spinet-stack").unstarted(() -> {
            try {
                runner.run();
            } catch (RuntimeException | Error e) {
                ready.completeExceptionally(e);
            } finally {
                ready.completeExceptionally(new IllegalStateException("Spinet stopped before it was ready"));
            }
        });
        thread.start();
        try {
            return new Spinet(runner, thread, ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("Spinet could not start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            runner.requestStop();
            throw new IllegalStateException("Spinet did not come up within " + START_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            runner.requestStop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Spinet was starting", e);
        }
    }

    /**
     * The Spinet a program runs on under {@code spinet run --app CLASS} (docs/applications.md,
     * "Hosting an application"): the stack {@code spinet run} started with its options, for
     * {@code Spinet.current().socketFactory()} and the rest. The program does not close it: the
     * stack stops when its main method returns.
     *
     * @throws IllegalStateException outside {@code spinet run --app} (the message says what to do)
     */
    public static Spinet current() {
        Spinet current = hosting;
        if (current == null) {
            throw new IllegalStateException("no Spinet is running for this program: start it under 'spinet run ... --app "
                    + "CLASS', or start one yourself with Spinet.start(...)");
        }
        return current;
    }

    /** Makes {@link #current()} return {@code spinet} (null: none), for {@link HostedApplication}. */
    static void hosting(Spinet spinet) {
        hosting = spinet;
    }

    /** Sockets over this stack (client connections); host names go through {@link #resolver()}. */
    public SocketFactory socketFactory() {
        return sockets.socketFactory();
    }

    /** Server sockets listening on this stack. */
    public ServerSocketFactory serverSocketFactory() {
        return sockets.serverSocketFactory();
    }

    /**
     * The name resolver the sockets use: Spinet's DNS resolver over this stack (servers from
     * {@code --dns-server}, else from the DHCP lease) until replaced.
     */
    public NameResolver resolver() {
        return sockets.resolver();
    }

    /** Replaces the name resolver, for example with a DNS resolver over this stack. */
    public void resolveNamesWith(NameResolver resolver) {
        sockets.resolveNamesWith(resolver);
    }

    /** This board's IPv4 address. */
    public InetAddress address() {
        return sockets.localAddress();
    }

    /**
     * What the stack thread's wake-ups achieved: idle waits, why each ended, and the cycles that
     * found nothing to do ({@link StackThreadCounter}; docs/design.md "The duty cycle").
     */
    public Counters<StackThreadCounter> stackThreadCounters() {
        return runner.stackThreadCounters();
    }

    /** The sockets themselves: configuration, counters. */
    public SpinetSockets sockets() {
        return sockets;
    }

    /**
     * Stops the stack: threads blocked in its sockets fail with "Spinet is stopped", connections
     * still open are reset, the device is closed. Waits for the stack thread, at most a few seconds.
     */
    @Override
    public void close() {
        runner.requestStop();
        try {
            runner.awaitFinished(BoardRunner.GRACE_NANOS / 1_000_000 + 5_000);
            stackThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
