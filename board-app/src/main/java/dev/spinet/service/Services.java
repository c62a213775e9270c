package dev.spinet.service;

import dev.spinet.Stack;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.udp.UdpEchoService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The services of one board, on its stack thread: builds the chosen ones, starts their
 * listeners, and closes everything for a graceful shutdown.
 */
public final class Services {

    private final Stack stack;
    private final ConnectionTable table;
    private final StatusReport report;
    private final List<TcpService> running = new ArrayList<>();
    private final Set<ServiceKind> kinds;

    /**
     * Services on a stack whose device's counters the status page shows if the device counts
     * ({@link DeviceCounters}); a chip behind a metered bus needs the other constructor.
     *
     * @param recorder the stack's transition observer (it must have been given to the Stack)
     */
    public Services(Stack stack, Set<ServiceKind> kinds, NanoClock clock, String halName, EdgeRecorder recorder) {
        this(stack, kinds, clock, halName, stack.iface().device() instanceof DeviceCounters counting ? counting : DeviceCounters.NONE,
                recorder);
    }

    /**
     * @param deviceCounters what the status page shows as the device's counters
     * @param recorder the stack's transition observer (it must have been given to the Stack)
     */
    public Services(Stack stack, Set<ServiceKind> kinds, NanoClock clock, String halName, DeviceCounters deviceCounters,
                    EdgeRecorder recorder) {
        this.stack = stack;
        this.kinds = kinds.isEmpty() ? EnumSet.noneOf(ServiceKind.class) : EnumSet.copyOf(kinds);
        this.table = new ConnectionTable(stack.tcp().connectionCapacity());
        this.report = new StatusReport(stack, table, recorder, this.kinds, halName, deviceCounters, clock);
        TcpLayer tcp = stack.tcp();
        if (this.kinds.contains(ServiceKind.ECHO) && stack.iface().config().udpSockets > 0) {
            // RFC 862 defines echo over UDP as well: datagrams to port 7 come back (in fragments
            // when they arrived in fragments).
            new UdpEchoService(stack.udp(), UdpEchoService.PORT);
        }
        for (ServiceKind kind : ServiceKind.all()) {
            if (this.kinds.contains(kind)) {
                running.add(switch (kind) {
                    case ECHO -> new EchoService(tcp, table, clock);
                    case DISCARD -> new DiscardService(tcp, table, clock);
                    case CHARGEN -> new ChargenService(tcp, table, clock);
                    case HTTP -> new HttpStatusService(tcp, table, clock, report);
                });
            }
        }
    }

    /** Listens on every service's well-known port. */
    public Services start() {
        for (TcpService service : running) {
            service.start(0);
        }
        return this;
    }

    public ConnectionTable table() {
        return table;
    }

    public StatusReport report() {
        return report;
    }

    public Set<ServiceKind> kinds() {
        return kinds;
    }

    /** The running service of that kind, or null. */
    public TcpService service(ServiceKind kind) {
        for (TcpService service : running) {
            if (service.kind() == kind) {
                return service;
            }
        }
        return null;
    }

    /**
     * First step of a graceful shutdown: stop listening and close (FIN) every connection the
     * services hold. The caller keeps polling until {@link TcpLayer#connectionsInUse()} is 0 or
     * its patience ends, then calls {@link #abortAll()}.
     *
     * @return connections that were asked to close
     */
    public int closeAll() {
        for (TcpService service : running) {
            service.stopListening();
        }
        TcpLayer tcp = stack.tcp();
        int closed = 0;
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (table.live(slot)) {
                int handle = table.handle(slot);
                TcpState state = tcp.state(handle);
                if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.SYN_RECEIVED) {
                    tcp.close(handle);
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Last step: RST whatever did not finish closing in time. Returns how many were aborted. */
    public int abortAll() {
        TcpLayer tcp = stack.tcp();
        int aborted = 0;
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (table.live(slot) && tcp.state(table.handle(slot)) != TcpState.CLOSED) {
                tcp.abort(table.handle(slot));
                aborted++;
            }
        }
        return aborted;
    }
}
