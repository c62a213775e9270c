package dev.spinet.net;

import dev.spinet.Stack;
import dev.spinet.iface.DutyCycle;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.TcpLayer;
import java.net.InetAddress;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * java.net sockets over one Spinet stack: the factories applications and libraries use, and the
 * duty cycle the stack thread runs instead of the bare stack's.
 *
 * <pre>{@code
 * SpinetSockets sockets = SpinetSockets.over(stack);   // stack thread: poll sockets.dutyCycle()
 * Socket s = sockets.socketFactory().createSocket("10.0.0.1", 7);   // any thread
 * }</pre>
 *
 * <h2>Threads</h2>
 * One thread, the stack thread, polls {@link #dutyCycle()} and idles through {@link #idleGate()}
 * (docs/applications.md "Threads"); {@link dev.spinet.app.Spinet} does all of that for you.
 * Application threads, virtual ones above all, block in the sockets; they talk to the stack
 * thread only through preallocated rings and a command queue, and wake it through the
 * {@link StackWakeup} given to {@link #wakeStackWith}. A platform thread of this object's own,
 * the waker, unparks virtual threads for the stack thread.
 */
public final class SpinetSockets {

    private final SocketBridge bridge;
    private final SpinetSocketFactory socketFactory;
    private final SpinetServerSocketFactory serverSocketFactory;

    private SpinetSockets(SocketBridge bridge) {
        this.bridge = bridge;
        this.socketFactory = new SpinetSocketFactory(bridge);
        this.serverSocketFactory = new SpinetServerSocketFactory(bridge);
    }

    /** Sockets over {@code stack} with {@link SocketConfig#defaultsFor} its configuration and numeric names only. */
    public static SpinetSockets over(Stack stack) {
        return over(stack.tcp(), stack, SocketConfig.defaultsFor(stack.tcp().config()), NameResolver.NUMERIC);
    }

    /** Sockets over {@code stack} with the given capacities and name resolver. */
    public static SpinetSockets over(Stack stack, SocketConfig config, NameResolver resolver) {
        return over(stack.tcp(), stack, config, resolver);
    }

    /**
     * Sockets over a TCP layer whose stack is polled by {@code stackCycle} (the stack itself, or
     * a duty cycle that polls it, as a lab role's does). Starts the waker thread.
     */
    public static SpinetSockets over(TcpLayer tcp, DutyCycle stackCycle, SocketConfig config, NameResolver resolver) {
        if (tcp == null || stackCycle == null || config == null || resolver == null) {
            throw new IllegalArgumentException("SpinetSockets needs a TCP layer, its duty cycle, a SocketConfig and a NameResolver"
                    + " (NameResolver.NUMERIC for address literals only)");
        }
        SocketBridge bridge = new SocketBridge(tcp, stackCycle, config);
        bridge.resolveNamesWith(resolver);
        bridge.start();
        return new SpinetSockets(bridge);
    }

    /** What the stack thread polls: the sockets' requests first, then the stack. Never throws, allocates nothing. */
    public DutyCycle dutyCycle() {
        return bridge;
    }

    /** What the stack thread asks before it idles, so no request waits through an idle period. */
    public IdleGate idleGate() {
        return bridge;
    }

    /** How application threads end the stack thread's idle wait (set before the stack thread starts). */
    public void wakeStackWith(StackWakeup wakeup) {
        bridge.wakeupVia(wakeup == null ? StackWakeup.NONE : wakeup);
    }

    /**
     * Lets application threads run the duty cycle for their own requests while the stack thread
     * idles ({@link StackTurn}); without it every request wakes the stack thread.
     */
    public void runCyclesWith(StackTurn turn) {
        bridge.runCyclesVia(turn == null ? StackTurn.NONE : turn);
    }

    /**
     * Lets a reader that finds no data wait by running the stack itself ({@link StackLead}), so
     * the frame with its data wakes it and not the stack thread; without it readers park.
     */
    public void leadWith(StackLead stackLead) {
        bridge.leadVia(stackLead == null ? StackLead.NONE : stackLead);
    }

    public SocketFactory socketFactory() {
        return socketFactory;
    }

    public ServerSocketFactory serverSocketFactory() {
        return serverSocketFactory;
    }

    /** The name resolver the sockets use, for libraries that take one (OkHttp: {@code resolver()::resolve}). */
    public NameResolver resolver() {
        return bridge.resolver();
    }

    /**
     * Replaces the name resolver (any time; sockets created before use the new one too), for
     * example with a DNS resolver that needs the running stack to exist first.
     */
    public void resolveNamesWith(NameResolver resolver) {
        if (resolver == null) {
            throw new IllegalArgumentException("a NameResolver is required (NameResolver.NUMERIC for address literals only)");
        }
        bridge.resolveNamesWith(resolver);
    }

    /** The stack's IPv4 address. */
    public InetAddress localAddress() {
        return Addresses.inet(bridge.tcp().config().ipAddress);
    }

    public SocketConfig config() {
        return bridge.config();
    }

    /** The stack's TCP layer, for tests reading its state (TIME-WAIT entries) as a snapshot. */
    TcpLayer tcp() {
        return bridge.tcp();
    }

    /** The bridge's counters (stack thread; read them from elsewhere as a snapshot that may be torn). */
    public Counters<SocketCounter> counters() {
        return bridge.counters();
    }

    /** Reads that waited by running the stack themselves ({@link StackLead}) instead of parking at once. */
    public long readsLed() {
        return bridge.readsLed();
    }

    /** Writes that waited for room in a full outbound ring by running the stack themselves ({@link StackLead}). */
    public long writesLed() {
        return bridge.writesLed();
    }

    /** The bridge, for tests in this package. */
    SocketBridge bridge() {
        return bridge;
    }

    /** The last defect caught on the stack thread, or null. */
    public Throwable lastInternalError() {
        return bridge.lastInternalError();
    }

    /** Socket slots not in use now. */
    public int freeSockets() {
        return bridge.freeSockets();
    }

    /**
     * Resets every connection a socket still holds (stack thread, after {@link #stop()}, when the
     * stack shuts down); returns how many.
     */
    public int abortAll() {
        return bridge.abortAll();
    }

    /**
     * Stops the sockets: threads blocked in them fail with "Spinet is stopped", and the waker
     * thread ends. Call after the stack thread stopped polling.
     */
    public void stop() {
        bridge.stop();
    }
}
