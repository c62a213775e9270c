package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.app.BoardSession;
import dev.spinet.app.HalKind;
import dev.spinet.app.RunOptions;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.instructor.Json;
import dev.spinet.lab.LabRoles;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.wire.Ipv4Packet;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code activity} member of a lab board's {@code /status.json}: its name and lab, the lab
 * role's connections (which the services' table does not hold), and the latest transitions.
 */
class BoardActivityTest {

    private static final long S = 1_000_000_000L;
    private static final int BOARD = Ipv4Packet.parseAddress("10.99.4.2");
    private static final int STUDENT = Ipv4Packet.parseAddress("10.99.4.1");

    @Test
    @SuppressWarnings("unchecked")
    void theStatusPageShowsTheLabRolesConnectionsAndTheLatestTransitions() {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        RunOptions options = new RunOptions(HalKind.TAP, "sp0", false, BOARD, 24, 0, RunOptions.DEFAULT_MAC,
                EnumSet.allOf(ServiceKind.class), null, false, "0.0", 0, 25, 24, 0, 16, 65536, "handshake", 0,
                "bench-07", null, null, null, null, null, java.util.EnumSet.allOf(dev.spinet.app.TcpOption.class), dev.spinet.app.TcpTuning.DEFAULTS, null, true);
        BoardSession session = BoardSession.start(options, wire.connect("board", 0x02_00_00_00_00_02L), clock, "test",
                DeviceCounters.NONE, new PrintStream(OutputStream.nullOutputStream()), "", "instructor", null);
        Stack student = new Stack(StackConfig.builder().ipAddress(STUDENT, 24).tcpSecret(3).build(), wire.connect("student", 0x02_00_00_00_00_01L));
        Simulator sim = new Simulator(clock, wire).add(session.board()).add(student);
        int handle = student.tcp().connect(BOARD, LabRoles.PORT, new TcpHandler() { });
        assertTrue(sim.runUntil(() -> student.tcp().state(handle) == TcpState.ESTABLISHED, 2 * S));
        // The class page's polls of port 80 stay off the list.
        int page = student.tcp().connect(BOARD, ServiceKind.HTTP.port(), new TcpHandler() { });
        assertTrue(sim.runUntil(() -> student.tcp().state(page) == TcpState.ESTABLISHED, 2 * S));
        sim.runFor(S / 2);

        StringBuilder json = new StringBuilder();
        session.services().report().appendJson(json);
        Map<String, Object> status = (Map<String, Object>) Json.parse(json.toString());
        List<Map<String, Object>> services = (List<Map<String, Object>>) status.get("connections");
        assertEquals(List.of((long) LabRoles.PORT, (long) LabRoles.PORT, 80L), services.stream().map(c -> c.get("local_port")).toList(),
                "a board in lab mode lists the lab's listener and connection first, then the page's own connection");
        Map<String, Object> activity = (Map<String, Object>) status.get("activity");
        assertEquals("bench-07", activity.get("board"));
        assertEquals("handshake", activity.get("lab"));
        assertEquals("instructor", activity.get("lab_origin"));
        List<Map<String, Object>> connections = (List<Map<String, Object>>) activity.get("connections");
        assertEquals(1, connections.size(), connections.toString());
        Map<String, Object> c = connections.getFirst();
        assertEquals((long) LabRoles.PORT, c.get("local_port"));
        assertEquals("10.99.4.1", c.get("remote"));
        assertEquals((long) student.tcp().localPort(handle), c.get("remote_port"));
        assertEquals("ESTABLISHED", c.get("state"));
        assertTrue((Long) c.get("age_ms") >= 500, c.toString());
        List<Map<String, Object>> recent = (List<Map<String, Object>>) activity.get("recent_transitions");
        assertEquals(Map.of("from", "SYN_RECEIVED", "to", "ESTABLISHED", "cause", "RCV_ACK_OF_SYN"),
                Map.of("from", recent.getFirst().get("from"), "to", recent.getFirst().get("to"), "cause", recent.getFirst().get("cause")),
                "newest first");
        assertEquals(session.activity().transitions(), (Long) activity.get("transitions"));
        assertTrue(recent.stream().noneMatch(t -> t.get("to").equals("LISTEN")), "the listeners' openings at start are left out");
        assertEquals(List.of("SYN_RECEIVED", "ESTABLISHED"), recent.reversed().stream().map(t -> t.get("to")).toList(),
                "the lab connection's transitions, not the status page's");

        int boardHandle = ((Long) c.get("handle")).intValue();
        assertEquals(TcpState.ESTABLISHED, session.activity().state(boardHandle));
        student.tcp().abort(handle);
        sim.runFor(S);
        assertNull(session.activity().state(boardHandle), "a reset connection leaves the table");
    }

    @Test
    void theRecentTransitionsAreARingOfTheLast32() {
        ManualClock clock = new ManualClock();
        BoardActivity activity = new BoardActivity(null, null, null, 4, -1, clock, null);
        for (int i = 0; i < 40; i++) {
            activity.onTransition(i % 4, TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN);
            clock.advance(1_000_000);
        }
        StringBuilder json = new StringBuilder();
        activity.appendJson(json);
        Map<?, ?> parsed = (Map<?, ?>) Json.parse(json.toString());
        assertEquals(BoardActivity.RECENT, ((List<?>) parsed.get("recent_transitions")).size());
        assertEquals(1L, ((Map<?, ?>) ((List<?>) parsed.get("recent_transitions")).getFirst()).get("age_ms"), "newest first");
        assertEquals(4, ((List<?>) parsed.get("connections")).size());
        assertNull(parsed.get("lab"));
    }

    @Test
    void aConnectionInTimeWaitStaysListedWhenANewConnectionTakesItsSlot() {
        ManualClock clock = new ManualClock();
        BoardActivity activity = new BoardActivity(null, "time-wait", "image", 2, -1, clock, null);
        int first = 0x0001_0000;
        int second = 0x0002_0000; // the same slot, 0, a later generation
        activity.onTransition(first, TcpState.LISTEN, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN);
        activity.onTransition(first, TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TransitionCause.RCV_FIN);
        activity.onTransition(second, TcpState.LISTEN, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN);
        assertEquals(TcpState.TIME_WAIT, activity.state(first));
        assertEquals(TcpState.SYN_RECEIVED, activity.state(second));
        StringBuilder json = new StringBuilder();
        activity.appendJson(json);
        assertEquals(2, ((List<?>) ((Map<?, ?>) Json.parse(json.toString())).get("connections")).size(), json.toString());
        activity.onTransition(first, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_TIMEOUT);
        assertNull(activity.state(first));
        assertEquals(TcpState.SYN_RECEIVED, activity.state(second));
    }

    @Test
    @Tag("allocation")
    void recordingATransitionAllocatesNothing() {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        BoardActivity activity = new BoardActivity("b", "handshake", "image", 4, -1, clock, null);
        Stack board = new Stack(StackConfig.builder().ipAddress(BOARD, 24).tcpConnections(4).tcpSecret(5).build(),
                wire.connect("board", 0x02_00_00_00_00_02L), activity);
        activity.attach(board.tcp());
        int connection = board.tcp().connect(STUDENT, 5000, new TcpHandler() { });
        AllocationAssert.assertZeroAllocation("BoardActivity.onTransition", () -> {
            activity.onTransition(connection, TcpState.SYN_SENT, TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK);
            activity.onTransition(connection, TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.RCV_RST);
            activity.onTransition(connection, TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN);
            activity.onTransition(1 << 30, TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN);
            // A connection in TIME-WAIT moving aside for a newer one in its slot, and leaving.
            activity.onTransition(connection, TcpState.SYN_SENT, TcpState.TIME_WAIT, TransitionCause.RCV_FIN);
            activity.onTransition(connection + 0x10000, TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN);
            activity.onTransition(connection, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_TIMEOUT);
            activity.onTransition(connection + 0x10000, TcpState.SYN_SENT, TcpState.CLOSED, TransitionCause.RCV_RST);
            activity.onTransition(connection, TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN);
        });
        assertEquals(TcpState.SYN_SENT, activity.state(connection));
    }
}
