package dev.spinet.app;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.control.ControlService;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dns.DnsServersFromDhcp;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabRole;
import dev.spinet.lab.LabRoles;
import dev.spinet.service.BoardActivity;
import dev.spinet.service.EdgeRecorder;
import dev.spinet.service.LabConnections;
import dev.spinet.service.LabOnStatusPage;
import dev.spinet.service.ServiceKind;
import dev.spinet.service.Services;
import dev.spinet.tcp.TransitionObserver;
import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * One life of a board's stack on an open device: the stack configuration, the stack, its
 * services, the lab role (if any) and the DHCP client (with {@code --ip dhcp}). {@link BoardRunner}
 * builds one when it starts and polls {@link #board()} until it stops.
 */
public final class BoardSession {

    /** Half-open connections a listening port keeps (the services' and the lab role's). */
    static final int LISTEN_BACKLOG = 4;

    /**
     * The control port ({@link ControlService}): the board's key and what decides on an authentic
     * command.
     */
    public record Control(byte[] key, ControlService.Switcher switcher) {
    }

    private final Stack stack;
    private final Services services;
    private final DutyCycle board;
    private final LabRole role;
    private final DhcpClient dhcp;
    private final BoardActivity activity;
    private final ControlService control;

    private BoardSession(Stack stack, Services services, DutyCycle board, LabRole role, DhcpClient dhcp, BoardActivity activity,
                         ControlService control) {
        this.stack = stack;
        this.services = services;
        this.board = board;
        this.role = role;
        this.dhcp = dhcp;
        this.activity = activity;
        this.control = control;
    }

    /**
     * Builds the stack on {@code device} and starts the services and the lab role.
     *
     * @param halLabel       the HAL's name for the status page
     * @param deviceCounters the device's counters for the status page
     * @param out            where the lab role and DHCP report (one line each)
     * @param readySuffix    the end of the ready line DHCP prints once bound
     * @param labOrigin      where the lab came from ({@link dev.spinet.control.LabChoice}), for the status page
     * @param controlPort    the control port's key and switcher, or null to keep the port closed
     * @param dnsServers     {@code --dns-server}: asked before any server from DHCP; empty = DHCP's only
     * @param extraListeners listeners beyond the services' and the lab role's (server sockets an application opens)
     */
    public static BoardSession start(RunOptions options, FrameDevice device, NanoClock clock, String halLabel,
                                     DeviceCounters deviceCounters, PrintStream out, String readySuffix, String labOrigin,
                                     Control controlPort, int[] dnsServers, int extraListeners) {
        // A lab role (spinet run --lab NAME) tunes the configuration, may wrap the device in a
        // segment filter, and drives the application side of the exercise.
        LabRole role = options.lab() == null ? null : LabRoles.forLab(options.lab());
        StackConfig.Builder config = StackConfig.builder()
                .ipAddress(options.ip(), options.prefixLength())
                .tcpConnections(options.connections())
                .tcpBuffers(options.bufferBytes(), options.bufferBytes())
                .tcpReceiveWindow(options.hal().receiveWindow(options.bufferBytes()))
                .tcpListeners(listeners(options, role) + (controlPort == null ? 0 : 1) + extraListeners, LISTEN_BACKLOG)
                .tcpOptions(options.tcpOptions().contains(TcpOption.WSCALE), options.tcpOptions().contains(TcpOption.TIMESTAMPS),
                        options.tcpOptions().contains(TcpOption.SACK))
                .tcpSecret(new SecureRandom().nextLong());
        options.tcpTuning().applyTo(config);
        if (options.gateway() != 0) {
            config.gateway(options.gateway());
        }
        FrameDevice wrapped = device;
        if (role != null) {
            config = role.tune(config);
            wrapped = role.wrap(device, clock);
        }
        TransitionObserver trace = options.trace() ? new TracePrinter(out, clock) : TransitionObserver.NONE;
        EdgeRecorder recorder = new EdgeRecorder(trace);
        StackConfig built = config.build();
        int statusPort = options.services().contains(ServiceKind.HTTP) ? ServiceKind.HTTP.port() : -1;
        // With a lab, the status page's own connections (a browser polling it) and the other
        // services' stay out of the lab's diagram and --trace: only the lab's reach the recorder.
        LabConnections labConnections = role == null ? null : new LabConnections(options.services(), built, recorder);
        BoardActivity activity = new BoardActivity(options.board(), options.lab(), labOrigin, built.tcpConnections, statusPort, clock,
                labConnections == null ? recorder : labConnections);
        Stack stack = new Stack(built, wrapped, activity);
        activity.attach(stack.tcp());
        boolean resolver = built.udpSockets > 0 && built.dnsQueries > 0;
        if (resolver) {
            stack.dns().configureServers(dnsServers);
        }
        Services services = new Services(stack, options.services(), clock, halLabel, deviceCounters, recorder);
        if (labConnections != null) {
            labConnections.attach(stack.tcp());
            services.report().showLab(new LabOnStatusPage(role.lab(), LabCatalogue.standard().lab(role.lab()).title(),
                    role.description(), labConnections));
        }
        services.start();
        services.report().add(activity);
        DutyCycle board = stack;
        if (role != null) {
            // The role prints its own description first ("lab NAME: ..."), then what it does.
            board = role.start(stack, new LabRole.Options(options.peer(), line -> {
                out.println(line);
                out.flush();
            }));
        }
        ControlService control = null;
        if (controlPort != null) {
            control = new ControlService(stack.tcp(), options.board(), controlPort.key(), new SecureRandom(), controlPort.switcher(),
                    line -> {
                        out.println(line);
                        out.flush();
                    }).start();
            board = new WithControl(board, control);
        }
        DhcpClient dhcp = null;
        if (options.dhcp()) {
            // RFC 2131 client on the stack's UDP layer: the board is ready when the lease is bound.
            dhcp = new DhcpClient(stack.iface(), stack.udp(), new SecureRandom().nextLong());
            dhcp.hostname("spinet-" + Long.toHexString(device.macAddress() & 0xFFFFFF));
            DhcpReadyLine ready = new DhcpReadyLine(out, readySuffix);
            dhcp.listener(resolver ? new DnsServersFromDhcp(dhcp, stack.dns(), ready) : ready);
        }
        return new BoardSession(stack, services, board, role, dhcp, activity, control);
    }

    /** {@link #start(RunOptions, FrameDevice, NanoClock, String, DeviceCounters, PrintStream, String, String, Control, int[], int)} with the DHCP lease's DNS servers only. */
    public static BoardSession start(RunOptions options, FrameDevice device, NanoClock clock, String halLabel,
                                     DeviceCounters deviceCounters, PrintStream out, String readySuffix, String labOrigin,
                                     Control controlPort) {
        return start(options, device, clock, halLabel, deviceCounters, out, readySuffix, labOrigin, controlPort, new int[0], 0);
    }

    /** The board's duty cycle with the control port's timer. */
    private record WithControl(DutyCycle board, ControlService control) implements DutyCycle {
        @Override
        public int poll(long nowNanos) {
            return board.poll(nowNanos) + control.poll(nowNanos);
        }

        @Override
        public long nextDeadline(long nowNanos) {
            long deadline = board.nextDeadline(nowNanos);
            long own = control.nextDeadline(nowNanos);
            return own - deadline < 0 ? own : deadline;
        }
    }

    /**
     * The listener table holds exactly what this board listens on: one port per service and the
     * lab role's ports, so no configuration of {@code --services} and {@code --lab} runs out.
     */
    static int listeners(RunOptions options, LabRole role) {
        return Math.max(1, options.services().size() + (role == null ? 0 : role.listeners()));
    }

    public Stack stack() {
        return stack;
    }

    public Services services() {
        return services;
    }

    /** What the stack thread polls: the lab role's duty cycle, or the stack itself. */
    public DutyCycle board() {
        return board;
    }

    /** The lab role, or null. */
    public LabRole role() {
        return role;
    }

    /** What the board is doing, as {@code /status.json} shows it. */
    public BoardActivity activity() {
        return activity;
    }

    /** The control port, or null when it is closed. */
    public ControlService control() {
        return control;
    }

    /** The DHCP client with {@code --ip dhcp}, else null. */
    public DhcpClient dhcp() {
        return dhcp;
    }
}
