package dev.spinet.app;

import dev.spinet.Stack;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.iface.DutyCycle;
import dev.spinet.lab.LabRole;
import dev.spinet.lab.LabRoles;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.harness.net.PcapFrameDevice;
import dev.spinet.harness.timing.ModeledChip;
import dev.spinet.harness.net.PcapWriter;
import dev.spinet.service.EdgeRecorder;
import dev.spinet.service.Services;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    private final RunOptions options;
    private final PrintStream out;
    private final NanoClock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile StackAgent agent;
    /** The DHCP client with --ip dhcp (stack thread only), released at shutdown. */
    private DhcpClient dhcpClient;
    private volatile boolean stopBeforeStart;

    public BoardRunner(RunOptions options, PrintStream out, NanoClock clock) {
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    /** Asks a running board to shut down gracefully (any thread; signal handlers use it). */
    public void requestStop() {
        stopBeforeStart = true;
        StackAgent current = agent;
        if (current != null) {
            current.requestStop();
        }
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
        OpenedHal hal = HalOpener.open(options, clock);
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
            StackConfig.Builder config = StackConfig.builder()
                    .ipAddress(options.ip(), options.prefixLength())
                    .tcpConnections(options.connections())
                    .tcpBuffers(options.bufferBytes(), options.bufferBytes())
                    .tcpReceiveWindow(options.hal().receiveWindow(options.bufferBytes()))
                    .tcpListeners(Math.max(4, options.services().size()), 4)
                    .tcpSecret(new SecureRandom().nextLong());
            if (options.gateway() != 0) {
                config.gateway(options.gateway());
            }
            // A lab role (spinet run --lab NAME) tunes the configuration, may wrap the device in a
            // segment filter, and drives the application side of the exercise.
            LabRole role = options.lab() == null ? null : LabRoles.forLab(options.lab());
            if (role != null) {
                config = role.tune(config);
                device = role.wrap(device, clock);
            }
            TransitionObserver trace = options.trace() ? new TracePrinter(out, clock) : TransitionObserver.NONE;
            EdgeRecorder recorder = new EdgeRecorder(trace);
            Stack stack = new Stack(config.build(), device, recorder);
            Services services = new Services(stack, options.services(), clock, hal.label(), hal.counters(), recorder).start();
            DutyCycle board = stack;
            if (role != null) {
                out.println("spinet lab " + role.lab() + ": " + role.description());
                board = role.start(stack, new LabRole.Options(options.peer(), line -> {
                    out.println("lab: " + line);
                    out.flush();
                }));
            }
            DeviceEventTrace deviceTrace = options.trace()
                    ? new DeviceEventTrace(hal.device(), hal.counters(), hal.label(), out, clock) : null;
            StackAgent stackAgent = new StackAgent(board, hal.pump(), hal.waitDevice(), clock, deviceTrace);
            agent = stackAgent;
            if (stopBeforeStart) {
                stackAgent.requestStop();
            }

            if (options.timing() != null) {
                ModeledChip chip = options.hal() == HalKind.SIM_W5500 ? ModeledChip.W5500 : ModeledChip.ENC28J60;
                out.println("spinet timing model: SPI " + options.timing() + ", wire " + chip.link()
                        + " (docs/spi-cost.md)");
            }
            String readySuffix = " hal=" + options.hal().label() + " mac=" + MacAddress.format(device.macAddress());
            if (options.dhcp()) {
                // RFC 2131 client on the stack's UDP layer: the board is ready when the lease is bound.
                DhcpClient dhcp = new DhcpClient(stack.iface(), stack.udp(), new SecureRandom().nextLong());
                dhcp.hostname("spinet-" + Long.toHexString(device.macAddress() & 0xFFFFFF));
                dhcp.listener(new DhcpReadyLine(out, readySuffix));
                dhcpClient = dhcp;
                out.println("spinet dhcp: asking for an address" + readySuffix);
            } else {
                out.println("spinet ready ip=" + Ipv4Packet.formatAddress(options.ip()) + readySuffix);
            }
            out.flush();

            stackAgent.runUntilStopped();
            shutDown(stack, services, stackAgent);
            return 0;
        } finally {
            if (pcap != null) {
                pcap.close();
            }
            hal.close();
        }
    }

    private void shutDown(Stack stack, Services services, StackAgent stackAgent) {
        // A stop interrupts nothing mid-cycle: the last cycle finished, so the stack is consistent.
        Thread.interrupted();
        int closing = services.closeAll();
        long deadline = clock.nanoTime() + GRACE_NANOS;
        while (stack.tcp().connectionsInUse() > 0 && clock.nanoTime() - deadline < 0) {
            stackAgent.runCycle(SHUTDOWN_POLL_NANOS);
        }
        int aborted = services.abortAll();
        if (dhcpClient != null) {
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
