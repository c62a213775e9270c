package dev.spinet.lab;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.wire.TcpSegment;

/**
 * The board role of every lab in the catalogue ({@link Lab#boardRole()} says the same in words).
 * Roles run on a real board's stack thread; after start-up they allocate nothing.
 */
public final class LabRoles {

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    /*
     * The ports are the desktop labs' (LabCatalogue), so a board's capture reads like the lab's
     * report; none of them is one Wireshark dissects as an application protocol (7000, 6000 and
     * 5000, used before, came out as Gryphon, X11 and GSM over IP).
     */
    /** The port a lab role listens on, B's in the reports: port 80 stays with the status page (/diagram.svg). */
    public static final int PORT = LabCatalogue.PORT;
    /**
     * flow-control: a connection to this port makes the board start reading, which a board
     * running headless as a systemd service needs (it has no console to type into).
     */
    public static final int RESUME_PORT = PORT + 1;
    /** The board's port of the connections a connecting role opens (simultaneous-open, syn-sent): A's in the reports. */
    public static final int CONNECT_FROM_PORT = LabCatalogue.PORT_A;
    /** The student's port a connecting role opens to: B's in the reports. */
    public static final int CONNECT_TO_PORT = LabCatalogue.PORT_B;
    /** How often a connecting role opens toward the student's computer. */
    public static final long CONNECT_INTERVAL_NANOS = 10 * S;

    private LabRoles() {
    }

    /** The role for a lab of the standard catalogue. */
    public static LabRole forLab(String name) {
        LabCatalogue.standard().lab(name); // IllegalArgumentException naming the labs
        return switch (name) {
            case "handshake" -> new Server(name, "Listens on port 4000 and echoes what it receives.", Behaviour.ECHO, 0, null);
            case "close" -> new Server(name, "Listens on port 4000; when the client closes, waits 2 s in CLOSE_WAIT, sends \"bye\" and closes.",
                    Behaviour.CLOSE_AFTER_PEER, 2 * S, null);
            case "simultaneous-close" -> new Server(name, "Listens on port 4000 and closes 1 s after the first data arrives.",
                    Behaviour.CLOSE_AFTER_DATA, 1 * S, null);
            case "time-wait" -> new Server(name, "Listens on port 4000 and closes first, 1 s after the first data: the board ends in TIME_WAIT "
                    + "(MSL 10 s here). Reconnect from the same local port to see TIME_WAIT end on a new SYN.",
                    Behaviour.CLOSE_AFTER_DATA, 1 * S, b -> b.tcpMslNanos(10 * S));
            case "reset" -> new Server(name, "Listens on port 4000 only: other ports are refused with RST. Restart the board under an "
                    + "open connection to see a half-open connection reset.", Behaviour.ECHO, 0, null);
            case "abort" -> new Server(name, "Listens on port 4000 and aborts (RST) every connection 3 s after it opens.",
                    Behaviour.ABORT_AFTER_OPEN, 3 * S, null);
            case "flow-control" -> new Server(name, "Listens on port 4000 with a 2 KiB receive buffer and reads nothing for 60 s, "
                    + "or until a connection to port 4001 arrives: zero window, persist probes, then a window update.",
                    Behaviour.READ_LATE, 60 * S, b -> b.tcpBuffers(2048, 4096));
            case "keepalive" -> new Server(name, "Listens on port 4000 with keepalive after 10 s idle, every 2 s, 3 probes.",
                    Behaviour.ECHO, 0, b -> b.tcpKeepalive(true, 10 * S, 2 * S, 3));
            case "give-up" -> new Server(name, "Listens on port 4000 and, 5 s after a connection opens, drops everything it receives: "
                    + "the student's kernel retransmits and gives up.", Behaviour.GO_SILENT, 5 * S, null);
            case "resources" -> new Server(name, "Listens on port 4000 with a backlog of 1 and one TIME_WAIT slot.",
                    Behaviour.ECHO, 0, b -> b.tcpTimeWaitEntries(1)
                            .tcpSynOverflowPolicy(dev.spinet.config.StackConfig.SynOverflowPolicy.DROP)).backlog(1);
            case "retransmission" -> new Server(name, "Listens on port 4000, echoes, and loses the first two data segments of each "
                    + "connection: the client's retransmissions back off (see them in Wireshark).",
                    Behaviour.DROP_FIRST_TWO, 0, null);
            case "simultaneous-open", "syn-sent" -> new Connector(name);
            default -> throw new IllegalArgumentException("lab " + name + " has no board role yet");
        };
    }

    enum Behaviour { ECHO, CLOSE_AFTER_PEER, CLOSE_AFTER_DATA, ABORT_AFTER_OPEN, READ_LATE, GO_SILENT, DROP_FIRST_TWO }

    /** A board that listens on port 4000 and reacts after a delay. */
    static final class Server implements LabRole, TcpHandler, DutyCycle {
        private final String lab;
        private final String description;
        private final Behaviour behaviour;
        private final long delayNanos;
        private final java.util.function.UnaryOperator<StackConfig.Builder> tuning;
        private final byte[] buffer = new byte[2048];
        private static final byte[] BYE = {'b', 'y', 'e', '\n'};
        private Stack stack;
        private TcpLayer tcp;
        private FilteredLink link;
        private LabRole.Options options;
        private int connection = -1;
        private long actAt;
        private boolean armed;
        /** Half-open connections kept on port 4000: the table's maximum unless the lab says less. */
        private int backlog;
        /** flow-control's port 4001: a connection there makes the board read at once. */
        private final TcpHandler resume = new TcpHandler() {
            @Override
            public void onAccepted(int listener, int handle) {
                options.log().accept("lab " + lab + ": a connection to port " + RESUME_PORT + ": reading now");
                tcp.close(handle);
                if (armed && connection >= 0) {
                    actAt = lastNow;
                }
            }

            @Override
            public void onPeerClosed(int handle) {
                tcp.close(handle);
            }
        };

        Server(String lab, String description, Behaviour behaviour, long delayNanos, java.util.function.UnaryOperator<StackConfig.Builder> tuning) {
            this.lab = lab;
            this.description = description;
            this.behaviour = behaviour;
            this.delayNanos = delayNanos;
            this.tuning = tuning;
        }

        /** A smaller backlog than the stack's maximum for port 4000. */
        Server backlog(int halfOpen) {
            this.backlog = halfOpen;
            return this;
        }

        @Override
        public String lab() {
            return lab;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public int listeners() {
            return behaviour == Behaviour.READ_LATE ? 2 : 1;
        }

        @Override
        public StackConfig.Builder tune(StackConfig.Builder config) {
            return tuning == null ? config : tuning.apply(config);
        }

        @Override
        public FrameDevice wrap(FrameDevice device, NanoClock clock) {
            link = new FilteredLink(device, clock);
            return link;
        }

        @Override
        public DutyCycle start(Stack stack, LabRole.Options options) {
            this.stack = stack;
            this.tcp = stack.tcp();
            this.options = options;
            tcp.listen(PORT, backlog == 0 ? tcp.config().tcpBacklogMax : Math.min(backlog, tcp.config().tcpBacklogMax), this);
            if (behaviour == Behaviour.READ_LATE) {
                tcp.listen(RESUME_PORT, 1, resume);
            }
            options.log().accept("lab " + lab + ": " + description);
            return this;
        }

        private void arm(long delay) {
            actAt = tcp == null ? 0 : lastNow + delay;
            armed = true;
        }

        private long lastNow;

        @Override
        public void onAccepted(int listener, int handle) {
            connection = handle;
            if (behaviour == Behaviour.DROP_FIRST_TWO) {
                link.clearRules().drop(FilteredLink.Direction.IN, TcpMatch.data(), 2);
            }
            switch (behaviour) {
                case ABORT_AFTER_OPEN, GO_SILENT -> arm(delayNanos);
                case READ_LATE -> arm(delayNanos);
                default -> {
                }
            }
        }

        @Override
        public void onReadable(int handle) {
            if (behaviour == Behaviour.READ_LATE && armed) {
                return; // not reading yet: the window closes
            }
            int n;
            while ((n = tcp.read(handle, buffer, 0, Math.min(buffer.length, Math.max(1, tcp.writable(handle))))) > 0) {
                if (behaviour == Behaviour.ECHO || behaviour == Behaviour.DROP_FIRST_TWO) {
                    tcp.write(handle, buffer, 0, Math.min(n, tcp.writable(handle)));
                }
                if (behaviour == Behaviour.CLOSE_AFTER_DATA && !armed) {
                    arm(delayNanos);
                }
            }
        }

        @Override
        public void onPeerClosed(int handle) {
            if (behaviour == Behaviour.CLOSE_AFTER_PEER) {
                arm(delayNanos);
            } else if (behaviour != Behaviour.CLOSE_AFTER_DATA) {
                tcp.close(handle);
            }
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            if (handle == connection) {
                connection = -1;
                armed = false;
            }
        }

        @Override
        public int poll(long nowNanos) {
            lastNow = nowNanos;
            int work = stack.poll(nowNanos);
            if (armed && connection >= 0 && actAt - nowNanos <= 0) {
                armed = false;
                switch (behaviour) {
                    case CLOSE_AFTER_PEER -> {
                        tcp.write(connection, BYE, 0, BYE.length);
                        tcp.close(connection);
                    }
                    case CLOSE_AFTER_DATA -> tcp.close(connection);
                    case ABORT_AFTER_OPEN -> tcp.abort(connection);
                    case READ_LATE -> onReadable(connection);
                    case GO_SILENT -> link.drop(FilteredLink.Direction.IN, TcpMatch.anyTcp(), -1);
                    default -> {
                    }
                }
                work++;
            }
            return work;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            long deadline = stack.nextDeadline(nowNanos);
            return armed && actAt - deadline < 0 ? actAt : deadline;
        }
    }

    /**
     * A board that opens toward the student's computer: from port 40000 to port 50000 every 10 s
     * (simultaneous-open: the student opens from 50000 to 40000 at the same time; syn-sent: the
     * student answers, ignores, or opens back).
     */
    static final class Connector implements LabRole, TcpHandler, DutyCycle {
        private final String lab;
        private Stack stack;
        private LabRole.Options options;
        private long nextAttempt;
        private int connection = -1;

        Connector(String lab) {
            this.lab = lab;
        }

        @Override
        public String lab() {
            return lab;
        }

        @Override
        public String description() {
            return "Every 10 s, opens from port 40000 to port 50000 of the student's computer (--peer ADDRESS).";
        }

        @Override
        public boolean needsPeer() {
            return true;
        }

        @Override
        public DutyCycle start(Stack stack, LabRole.Options options) {
            if (options.peer() == 0) {
                throw new IllegalArgumentException("lab " + lab + " connects to the student's computer: give its address with --peer A.B.C.D");
            }
            this.stack = stack;
            this.options = options;
            options.log().accept("lab " + lab + ": " + description());
            return this;
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            if (handle == connection) {
                connection = -1;
            }
        }

        @Override
        public void onPeerClosed(int handle) {
            stack.tcp().close(handle);
        }

        @Override
        public int poll(long nowNanos) {
            int work = stack.poll(nowNanos);
            // With --ip dhcp the board has no address until its lease is bound: a SYN from 0.0.0.0
            // would reach nobody, so the first attempt waits for the address.
            if (connection < 0 && nextAttempt - nowNanos <= 0 && stack.iface().localAddress() != 0) {
                nextAttempt = nowNanos + CONNECT_INTERVAL_NANOS;
                TcpLayer tcp = stack.tcp();
                if (tcp.connectionsInUse() >= tcp.connectionCapacity()) {
                    options.log().accept("lab " + lab + ": all " + tcp.connectionCapacity()
                            + " connections are in use (spinet run --connections); trying again in 10 s");
                } else {
                    int listener = tcp.listen(CONNECT_FROM_PORT, 1, this);
                    connection = tcp.connectFromListener(listener, options.peer(), CONNECT_TO_PORT);
                }
                work++;
            }
            return work;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            long deadline = stack.nextDeadline(nowNanos);
            boolean waiting = connection < 0 && stack.iface().localAddress() != 0;
            return waiting && nextAttempt - deadline < 0 ? nextAttempt : deadline;
        }
    }
}
