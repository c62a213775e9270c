package dev.spinet.app;

import dev.spinet.Stack;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dns.DnsClient;
import dev.spinet.control.LabChoice;
import dev.spinet.control.LabSwitchState;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.harness.net.PcapFrameDevice;
import dev.spinet.harness.timing.ModeledChip;
import dev.spinet.harness.net.PcapWriter;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.IdleGate;
import dev.spinet.stats.Counters;
import dev.spinet.net.NameResolver;
import dev.spinet.net.SocketConfig;
import dev.spinet.net.SpinetSockets;
import dev.spinet.service.Services;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * {@code spinet run}: opens the HAL, builds the stack and the services, prints the ready line,
 * runs the stack on the calling thread until SIGINT/SIGTERM, then shuts down gracefully: stop
 * listening, FIN every connection, keep the stack running until they are gone or
 * {@link #GRACE_NANOS} pass, RST the rest, close the device.
 */
public final class BoardRunner {

    /** How long a shutdown waits for connections to finish closing before resetting them. */
    public static final long GRACE_NANOS = 2_000_000_000L;
    private static final long SHUTDOWN_POLL_NANOS = 10_000_000L;
    /** TCP listeners added for server sockets when the board hosts sockets. */
    public static final int SOCKET_LISTENERS = 16;

    private final RunOptions options;
    private final PrintStream out;
    private final NanoClock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile StackAgent agent;
    /** The DHCP client with --ip dhcp (stack thread only), released at shutdown. */
    private DhcpClient dhcpClient;
    private volatile boolean stopBeforeStart;
    /** {@code --dns-server}: asked before any server from DHCP; empty = DHCP's only. */
    private int[] dnsServers = new int[0];
    /** The lab the instructor switched to in this session (stack thread only), or null. */
    private LabChoice nextChoice;
    /** Given the sockets once the board is up ({@link Spinet#start}); null: no sockets. */
    private volatile Consumer<SpinetSockets> socketsReady;

    public BoardRunner(RunOptions options, PrintStream out, NanoClock clock) {
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    /**
     * The DNS servers the resolver asks (at most {@link DnsClient#MAX_SERVERS}); without them it
     * asks the servers of the DHCP lease (option 6). Before {@link #run}.
     */
    public BoardRunner dnsServers(int... servers) {
        this.dnsServers = servers.clone();
        return this;
    }

    /** Asks a running board to shut down gracefully (any thread; signal handlers use it). */
    public void requestStop() {
        stopBeforeStart = true;
        StackAgent current = agent;
        if (current != null) {
            current.requestStop();
        }
    }

    /**
     * Makes {@link #run} host java.net sockets over the stack ({@link SpinetSockets}, sized by
     * {@link SocketConfig#defaultsFor}): the stack thread polls them with the stack and wakes
     * when a socket thread asks for something; {@code ready} receives them on the stack thread
     * right after the ready line. Call before {@link #run}.
     */
    public void hostSockets(Consumer<SpinetSockets> ready) {
        this.socketsReady = ready;
    }

    /** What the running stack thread's wake-ups achieved ({@link StackAgent#counters()}); null before it runs. */
    public Counters<StackThreadCounter> stackThreadCounters() {
        StackAgent current = agent;
        return current == null ? null : current.counters();
    }

    /** Waits until {@link #run} has shut down, at most {@code millis}. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the board on this thread until {@link #requestStop}.
     *
     * @return 0 after a clean shutdown
     * @throws IllegalStateException / IllegalArgumentException / LinuxDeviceException with a
     *     message for the user when the HAL cannot be opened
     */
    public int run() {
        try {
            return serve();
        } finally {
            finished.countDown();
        }
    }

    private int serve() {
        // Read before the device opens: a control key file that cannot be used is a start-up error.
        byte[] controlKey = options.controlKeys() == null ? null
                : dev.spinet.control.BoardKeys.read(options.controlKeys()).keyFor(options.board());
        LabSwitchState labs = new LabSwitchState(options.stateDir(), options.labFile(), this::say);
        LabChoice choice = labs.atStart(options.lab(), options.peer());
        long started = clock.nanoTime();
        // --chip-fault: one line when the fault is injected and one when it ends, in --trace's
        // device-line form (they come from the stack thread, inside the emulator's pump).
        OpenedHal hal = HalOpener.open(options, clock, what -> {
            out.printf(java.util.Locale.ROOT, "device %.6f %s chip fault %s%n", (clock.nanoTime() - started) / 1e9,
                    options.hal().label(), what);
            out.flush();
        });
        FrameDevice device = hal.device();
        PcapFrameDevice pcap = null;
        try {
            if (options.pcap() != null) {
                try {
                    pcap = PcapFrameDevice.open(device, options.pcap(), clock, PcapWriter.Precision.NANOSECONDS);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write --pcap " + options.pcap() + ": " + e.getMessage(), e);
                }
                device = pcap;
            }
            String readySuffix = " hal=" + options.hal().label() + " mac=" + MacAddress.format(device.macAddress());
            DeviceEventTrace deviceTrace = options.trace()
                    ? new DeviceEventTrace(hal.device(), hal.counters(), hal.label(), out, clock, started) : null;
            if (options.chipFault() != null) {
                out.println("spinet chip fault " + options.chipFault() + " armed: fires " + options.chipFaultAfter());
            }
            if (options.timing() != null) {
                ModeledChip chip = options.hal() == HalKind.SIM_W5500 ? ModeledChip.W5500 : ModeledChip.ENC28J60;
                out.println("spinet timing model: SPI " + options.timing() + ", wire " + chip.link()
                        + " (docs/spi-cost.md)");
            }
            while (true) {
                RunOptions current = options.withLab(choice.lab(), choice.peer());
                LabChoice running = choice;
                nextChoice = null;
                BoardSession.Control control = controlKey == null ? null : new BoardSession.Control(controlKey, command -> {
                    try {
                        nextChoice = labs.switched(running, command, options.lab(), options.peer());
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                    // The answer goes out in this cycle; the session then shuts down and the next starts.
                    agent.requestStop();
                    return null;
                });
                BoardSession session = BoardSession.start(current, device, clock, hal.label(), hal.counters(), out, readySuffix,
                        choice.origin(), control, dnsServers, socketsReady != null ? SOCKET_LISTENERS : 0);
                DutyCycle board = session.board();
                SpinetSockets sockets = null;
                IdleGate idleGate = IdleGate.NONE;
                if (socketsReady != null) {
                    Stack stack = session.stack();
                    NameResolver names = stack.tcp().config().udpSockets > 0 && stack.tcp().config().dnsQueries > 0
                            ? stack.resolver()::resolve : NameResolver.NUMERIC;
                    sockets = SpinetSockets.over(stack.tcp(), board, SocketConfig.defaultsFor(stack.tcp().config()), names);
                    board = sockets.dutyCycle();
                    idleGate = sockets.idleGate();
                }
                // Only where the idle wait is a bare poll (a TAP): a chip driver's idle wait does SPI
                // work of its own, which must not overlap a cycle run by an application thread.
                boolean cyclesHere = sockets != null && dev.spinet.net.StackTurn.enabled() && options.hal() == HalKind.TAP;
                IdleWait idleWait = IdleWait.of(hal.waitDevice());
                dev.spinet.hal.linux.TapWatch leaderWatch = null;
                if (cyclesHere && hal.waitDevice() instanceof dev.spinet.hal.linux.TapDevice tap) {
                    // The readers' watch first, then the stack thread's: a frame then wakes a waiting
                    // reader alone, and the stack thread only while no reader waits (TapWatch).
                    leaderWatch = tap.newWatch();
                    idleWait = tap.newIdleWatch()::awaitReceive;
                }
                StackAgent stackAgent = new StackAgent(board, hal.pump(), idleWait, clock, deviceTrace, idleGate);
                if (sockets != null) {
                    // The HAL's eventfd ends a poll(2) wait; the unpark covers a device that waits by
                    // parking and a stack thread sleeping through a reader's lease (StackAgent.lease).
                    Thread stackThread = Thread.currentThread();
                    var halWakeup = hal.wakeup();
                    sockets.wakeStackWith(() -> {
                        halWakeup.wake();
                        LockSupport.unpark(stackThread);
                        stackAgent.wakeStackThread();
                    });
                }
                if (cyclesHere) {
                    sockets.runCyclesWith(stackAgent::runCycleHere);
                    // A reader waiting for data waits on the TAP itself and runs the cycles (StackLead).
                    if (leaderWatch != null) {
                        stackAgent.limitLeadersWith(session.stack().iface()::receiveBudget);
                        sockets.leadWith(stackAgent.leadOn(leaderWatch));
                    }
                }
                agent = stackAgent;
                if (stopBeforeStart) {
                    stackAgent.requestStop();
                }
                dhcpClient = session.dhcp();
                if (options.dhcp()) {
                    out.println("spinet dhcp: asking for an address" + readySuffix);
                } else {
                    out.println("spinet ready ip=" + Ipv4Packet.formatAddress(options.ip()) + readySuffix);
                }
                out.flush();
                if (sockets != null) {
                    socketsReady.accept(sockets);
                }

                try {
                    stackAgent.runUntilStopped();
                } finally {
                    if (sockets != null) {
                        // Also when the stack thread fails: no socket thread waits for a stack that is gone.
                        sockets.stop();
                    }
                }
                int socketResets = 0;
                if (sockets != null) {
                    // Socket threads fail with "Spinet is stopped"; nobody reads their connections any
                    // more, so they are reset now rather than kept through the services' grace period.
                    // runUntilStopped returned with the stack to this thread alone: no application
                    // thread runs a cycle meanwhile.
                    socketResets = sockets.abortAll();
                }
                LabChoice next = nextChoice;
                // Sockets are handed to the application once: a board hosting them does not switch labs.
                boolean switching = next != null && !stopBeforeStart && sockets == null;
                shutDown(session.stack(), session.services(), stackAgent, !switching, socketResets);
                if (!switching) {
                    return 0;
                }
                say("switching from lab " + choice.lab() + " to lab " + next.lab() + " (" + next.origin() + ")");
                choice = next;
            }
        } finally {
            if (pcap != null) {
                pcap.close();
            }
            hal.close();
        }
    }

    private void say(String line) {
        out.println("spinet: " + line);
        out.flush();
    }

    /**
     * @param last whether the board stops (the DHCP lease is given back) or another session follows
     *             on the same device (a lab switch keeps the lease)
     */
    private void shutDown(Stack stack, Services services, StackAgent stackAgent, boolean last, int socketResets) {
        // A stop interrupts nothing mid-cycle: the last cycle finished, so the stack is consistent.
        Thread.interrupted();
        int closing = services.closeAll();
        long deadline = clock.nanoTime() + GRACE_NANOS;
        while (stack.tcp().connectionsInUse() > 0 && clock.nanoTime() - deadline < 0) {
            stackAgent.runCycle(SHUTDOWN_POLL_NANOS);
        }
        int aborted = services.abortAll() + socketResets;
        if (dhcpClient != null && last) {
            dhcpClient.release(clock.nanoTime()); // RFC 2131 4.4.6: give the address back
        }
        // One more cycle so the RSTs and final ACKs leave.
        stackAgent.runCycle(0);
        out.println("spinet stopped: " + closing + " connection(s) closed, " + aborted + " reset after "
                + GRACE_NANOS / 1_000_000 + " ms");
        out.flush();
        if (stack.tcp().lastInternalError() != null || stack.iface().lastInternalError() != null) {
            System.err.println("spinet: the stack recorded an internal error (see counters INTERNAL_ERROR): "
                    + (stack.tcp().lastInternalError() != null ? stack.tcp().lastInternalError() : stack.iface().lastInternalError()));
        }
    }
}
