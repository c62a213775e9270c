package dev.spinet.net;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DeadlineInvariant;
import java.net.InetAddress;
import java.util.concurrent.locks.LockSupport;

/**
 * Two Spinet stacks on a virtual wire in real time, each with its sockets, and one platform
 * thread that is both stacks' stack thread: it polls their socket duty cycles and idles through
 * their idle gates, woken by an unpark. Sockets of one stack talk to sockets of the other, so
 * java.net behaviour is tested without root and without a kernel. Every test on them also holds
 * the socket duty cycles to {@link DeadlineInvariant}: {@link #close()} fails when the thread
 * found nothing to do twice in a row with a deadline due.
 */
final class TwoStackSockets implements AutoCloseable {

    static final int CLIENT_IP = 0x0A_53_00_01;
    static final int SERVER_IP = 0x0A_53_00_02;
    /** An address on the wire's subnet where nobody answers. */
    static final int SILENT_IP = 0x0A_53_00_09;

    final VirtualWire wire = new VirtualWire(NanoClock.SYSTEM);
    final Stack clientStack;
    final Stack serverStack;
    final SpinetSockets client;
    final SpinetSockets server;
    private final Thread stackThread;
    private volatile boolean running = true;
    /** The first time the duty cycles broke their deadline promise, or null (stack thread writes). */
    private volatile IllegalStateException deadlineBroken;

    TwoStackSockets() {
        this(StackConfig.builder().tcpSecret(0x5EED).tcpConnections(16).tcpBuffers(16 * 1024, 16 * 1024).build());
    }

    TwoStackSockets(StackConfig base) {
        clientStack = new Stack(base.toBuilder().ipAddress(CLIENT_IP, 24).build(), wire.connect("client", 0x02_00_00_00_53_01L));
        serverStack = new Stack(base.toBuilder().ipAddress(SERVER_IP, 24).build(), wire.connect("server", 0x02_00_00_00_53_02L));
        client = SpinetSockets.over(clientStack);
        server = SpinetSockets.over(serverStack);
        stackThread = Thread.ofPlatform().name("two-stacks").daemon().unstarted(this::run);
        StackWakeup wake = () -> LockSupport.unpark(stackThread);
        client.wakeStackWith(wake);
        server.wakeStackWith(wake);
        stackThread.start();
    }

    static InetAddress serverAddress() {
        return Addresses.inet(SERVER_IP);
    }

    static InetAddress silentAddress() {
        return Addresses.inet(SILENT_IP);
    }

    private void run() {
        boolean wentRoundAtDueDeadline = false;
        while (running) {
            long now = System.nanoTime();
            int work = client.dutyCycle().poll(now) + server.dutyCycle().poll(now);
            if (work > 0) {
                wentRoundAtDueDeadline = false;
                continue;
            }
            long next = Math.min(client.dutyCycle().nextDeadline(now), server.dutyCycle().nextDeadline(now));
            if (next - now <= 0) {
                // A socket request may come in between a cycle and its nextDeadline: only a second
                // empty cycle in a row with a deadline due breaks the promise (DeadlineInvariant).
                if (wentRoundAtDueDeadline && deadlineBroken == null) {
                    try {
                        DeadlineInvariant.requireFutureDeadlineWhenIdle("the two stacks' socket duty cycles (client bridge "
                                + (client.dutyCycle().nextDeadline(now) - now) + " ns, client TCP " + (client.tcp().nextDeadline(now) - now)
                                + " ns, server bridge " + (server.dutyCycle().nextDeadline(now) - now) + " ns, server TCP "
                                + (server.tcp().nextDeadline(now) - now) + " ns)", now, next);
                    } catch (IllegalStateException e) {
                        deadlineBroken = e;
                    }
                }
                wentRoundAtDueDeadline = true;
            } else {
                wentRoundAtDueDeadline = false;
            }
            long wait = Math.min(next - now, 1_000_000L);
            if (wait > 0 && client.idleGate().enterIdle()) {
                if (server.idleGate().enterIdle()) {
                    LockSupport.parkNanos(wait);
                }
                server.idleGate().leaveIdle();
            }
            client.idleGate().leaveIdle();
        }
    }

    /**
     * Stops the stack thread and the sockets.
     *
     * @throws IllegalStateException when the stack thread ran two empty cycles in a row with a
     *     deadline due: it would spin ({@link DeadlineInvariant})
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(stackThread);
        stackThread.join(5_000);
        client.stop();
        server.stop();
        if (deadlineBroken != null) {
            throw deadlineBroken;
        }
    }
}
