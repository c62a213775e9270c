package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Board roles on a simulated board, driven by a plain stack standing in for the student's computer. */
class LabRolesTest {

    private final ManualClock clock = new ManualClock();
    private final VirtualWire wire = new VirtualWire(clock);
    private final List<String> log = new ArrayList<>();

    private DutyCycle board(String lab) {
        return board(lab, LabRun.baseConfig(3));
    }

    private DutyCycle board(String lab, StackConfig.Builder base) {
        LabRole role = LabRoles.forLab(lab);
        StackConfig config = role.tune(base.ipAddress(LabRun.ADDRESS_B, 24)).build();
        Stack stack = new Stack(config, role.wrap(wire.connect("board", 0x02_00_00_00_00_0BL), clock));
        return role.start(stack, new LabRole.Options(LabRun.ADDRESS_A, log::add));
    }

    private final class Student implements TcpHandler {
        final TcpLayer tcp;
        final StringBuilder received = new StringBuilder();
        CloseReason closed;
        int connection;

        Student(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onReadable(int handle) {
            byte[] buffer = new byte[512];
            int n;
            while ((n = tcp.read(handle, buffer, 0, buffer.length)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            closed = reason;
        }
    }

    @Test
    void everyLabHasABoardRole() {
        for (String name : LabCatalogue.standard().names()) {
            assertEquals(name, LabRoles.forLab(name).lab());
        }
        assertThrows(IllegalArgumentException.class, () -> LabRoles.forLab("nope"));
    }

    @Test
    void handshakeRoleEchoesAndAbortRoleResetsAfterThreeSeconds() {
        DutyCycle board = board("abort");
        Stack studentStack = new Stack(LabRun.baseConfig(4).ipAddress(LabRun.ADDRESS_A, 24).build(), wire.connect("student", 0x02_00_00_00_00_0AL));
        Simulator sim = new Simulator(clock, wire).add(board).add(studentStack);
        Student student = new Student(studentStack.tcp());
        student.connection = studentStack.tcp().connect(LabRun.ADDRESS_B, LabRoles.PORT, student);
        long start = clock.nanoTime();
        assertTrue(sim.runUntil(() -> student.closed != null, 10 * LabRoles.S));
        assertEquals(CloseReason.RESET, student.closed);
        long elapsed = clock.nanoTime() - start;
        assertTrue(elapsed >= 3 * LabRoles.S && elapsed < 4 * LabRoles.S, "reset after about 3 s, was " + elapsed);
        assertTrue(log.get(0).startsWith("lab abort:"), log.toString());
    }

    @Test
    void connectorRoleNeedsThePeerAddress() {
        LabRole role = LabRoles.forLab("simultaneous-open");
        Stack stack = new Stack(LabRun.baseConfig(3).ipAddress(LabRun.ADDRESS_B, 24).build(), wire.connect("board", 1));
        assertThrows(IllegalArgumentException.class, () -> role.start(stack, new LabRole.Options(0, log::add)));
    }

    @Test
    void flowControlRoleStartsReadingWhenAConnectionToTheResumePortArrives() {
        DutyCycle board = board("flow-control");
        Stack studentStack = new Stack(LabRun.baseConfig(4).ipAddress(LabRun.ADDRESS_A, 24).tcpBuffers(8192, 8192).build(),
                wire.connect("student", 0x02_00_00_00_00_0AL));
        Simulator sim = new Simulator(clock, wire).add(board).add(studentStack);
        Student student = new Student(studentStack.tcp());
        TcpLayer tcp = studentStack.tcp();
        student.connection = tcp.connect(LabRun.ADDRESS_B, LabRoles.PORT, student);
        assertTrue(sim.runUntil(() -> tcp.state(student.connection) == dev.spinet.tcp.TcpState.ESTABLISHED, LabRoles.S));
        int free = tcp.writable(student.connection);
        assertEquals(6000, tcp.write(student.connection, new byte[6000], 0, 6000));

        sim.runFor(10 * LabRoles.S);
        assertTrue(tcp.writable(student.connection) < free, "the board reads nothing: the student's data waits in its send ring");
        assertTrue(tcp.counters().get(dev.spinet.tcp.TcpCounter.PERSIST_PROBES) > 0, "zero window: the student probes");

        int resume = tcp.connect(LabRun.ADDRESS_B, LabRoles.RESUME_PORT, new Student(tcp));
        assertTrue(sim.runUntil(() -> tcp.writable(student.connection) == free, 5 * LabRoles.S),
                "a connection to port 4001 makes the board read: every byte is acknowledged well before 60 s");
        assertTrue(log.stream().anyMatch(l -> l.contains("port 4001")), log.toString());
        assertTrue(sim.runUntil(() -> tcp.state(resume) == dev.spinet.tcp.TcpState.CLOSE_WAIT, 5 * LabRoles.S),
                "the board closes the 4001 connection: " + tcp.state(resume));
    }

    @Test
    void connectorRoleSaysWhichOptionToRaiseWhenEveryConnectionIsInUse() {
        LabRole role = LabRoles.forLab("syn-sent");
        Stack stack = new Stack(role.tune(LabRun.baseConfig(3).ipAddress(LabRun.ADDRESS_B, 24).tcpConnections(1)).build(),
                role.wrap(wire.connect("board", 0x02_00_00_00_00_0BL), clock));
        // The board's only TCB is busy with a connection to an address nobody has.
        stack.tcp().connect(0x0A00_0063, 80, new Student(stack.tcp()));
        DutyCycle board = role.start(stack, new LabRole.Options(LabRun.ADDRESS_A, log::add));
        board.poll(clock.nanoTime());
        assertTrue(log.stream().anyMatch(l -> l.contains("all 1 connections are in use (spinet run --connections)")), log.toString());
        assertEquals(0, stack.tcp().counters().get(dev.spinet.tcp.TcpCounter.INTERNAL_ERROR));
    }

    @Test
    void theLabTextsSayWhatTheRolesDo() {
        String interval = "very " + LabRoles.CONNECT_INTERVAL_NANOS / LabRoles.S + " s";
        for (String name : List.of("simultaneous-open", "syn-sent")) {
            LabRole role = LabRoles.forLab(name);
            assertTrue(role.needsPeer(), name);
            assertTrue(role.description().contains(interval), role.description());
            String text = LabCatalogue.standard().lab(name).boardRole();
            assertTrue(text.contains(interval) && text.contains("--peer"), name + " says how often the board connects: " + text);
        }
        String flow = LabCatalogue.standard().lab("flow-control").boardRole();
        assertTrue(flow.contains("port " + LabRoles.RESUME_PORT) && !flow.contains("console"),
                "flow-control says how a headless board is told to read: " + flow);
    }

    /**
     * A board's capture reads like the lab's report: the role listens where the report's B does, and
     * a connecting role opens from A's fixed port to B's, as the report's simultaneous open does.
     */
    @Test
    void theBoardsUseTheLabReportsPorts() {
        LabSegment handshake = firstSyn(LabRun.run(LabCatalogue.standard().lab("handshake"), 1));
        assertEquals(handshake.destinationPort(), LabRoles.PORT, "B's port in the handshake report");
        LabSegment crossing = firstSyn(LabRun.run(LabCatalogue.standard().lab("simultaneous-open"), 1));
        assertEquals(List.of(crossing.sourcePort(), crossing.destinationPort()),
                List.of(LabRoles.CONNECT_FROM_PORT, LabRoles.CONNECT_TO_PORT), "A's and B's ports in the simultaneous-open report");
    }

    @Test
    void everyRoleAndItsBoardTextNameThePortStudentsUse() {
        for (String name : LabCatalogue.standard().names()) {
            LabRole role = LabRoles.forLab(name);
            String port = Integer.toString(role.needsPeer() ? LabRoles.CONNECT_TO_PORT : LabRoles.PORT);
            assertTrue(role.description().contains("port " + port), () -> name + ": " + role.description());
            for (LabLanguage language : LabLanguage.values()) {
                String text = LabCatalogue.standard().lab(name).in(language).boardRole();
                assertTrue(text.matches("(?s).*\\b" + port + "\\b.*"), () -> name + " (" + language.code() + "): " + text);
            }
        }
    }

    private static LabSegment firstSyn(LabResult run) {
        return run.frames().stream().map(LabFrame::tcp)
                .filter(tcp -> tcp != null && tcp.flags() == dev.spinet.wire.TcpSegment.SYN).findFirst().orElseThrow();
    }
}
