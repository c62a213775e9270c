package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.app.SimulatedBoard;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.testkit.AllocationAssert;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A board running a lab (a listener on the lab port here) and the status page on 80, on a virtual wire in
 * simulated time: the lab's connections reach the edge recorder, the page's are only counted,
 * also through TIME-WAIT (the page closes first, so its connections end there, after their TCB is
 * gone), and the id table empties as connections end.
 */
class LabConnectionsTest {

    private static final int CLIENT_IP = 0x0A_4E_00_01;
    private static final int SERVER_IP = 0x0A_4E_00_02;
    private static final long S = 1_000_000_000L;
    private static final int LAB_PORT = dev.spinet.lab.LabRoles.PORT;
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: board\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A request the page answers with 404: rendering the page allocates, a fixed error text does not. */
    private static final byte[] GET_MISSING = "GET /missing HTTP/1.1\r\nHost: board\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A student's computer and a lab board with the status page, on one virtual wire. */
    private static final class Rig {
        /** The local port of each id when first reported, asked of the engine: an independent tally. */
        private final Map<Integer, Integer> portById = new HashMap<>();
        private long all;
        private long onPagePort;
        private final ManualClock clock = new ManualClock();
        private final VirtualWire wire = new VirtualWire(clock);
        private final EdgeRecorder recorder = new EdgeRecorder(TransitionObserver.NONE);
        private final LabConnections lab;
        private final SimulatedBoard client;
        private final SimulatedBoard server;
        private final Simulator sim;
        private final LabListener labListener = new LabListener();
        /** The client connection the conditions below look at (made once: a lambda per wait would allocate). */
        private TestClient current;
        private final BooleanSupplier connected = () -> current.connected;
        private final BooleanSupplier peerClosed = () -> current.peerClosed;
        private final BooleanSupplier closed = () -> current.closed;

        Rig(boolean countAll) {
            wire.latencyNanos(20_000);
            StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(8).tcpTimeWaitEntries(8).tcpMslNanos(2 * S)
                    .tcpBuffers(16 * 1024, 16 * 1024).build();
            StackConfig serverConfig = base.toBuilder().ipAddress(SERVER_IP, 24).build();
            lab = new LabConnections(EnumSet.of(ServiceKind.HTTP), serverConfig, recorder);
            TransitionObserver counting = countAll ? (id, from, to, cause) -> {
                all++;
                if (portById.computeIfAbsent(id, server().tcp()::portOf) == 80) {
                    onPagePort++;
                }
                lab.onTransition(id, from, to, cause);
            } : lab;
            client = new SimulatedBoard("client", wire, 0x02_00_00_00_00_01L, base.toBuilder().ipAddress(CLIENT_IP, 24).build(),
                    TransitionObserver.NONE);
            server = new SimulatedBoard("server", wire, 0x02_00_00_00_00_02L, serverConfig, counting);
            lab.attach(server.tcp());
            new Services(server.stack(), EnumSet.of(ServiceKind.HTTP), clock, "virtual", recorder).start();
            server.tcp().listen(LAB_PORT, 4, labListener);
            sim = new Simulator(clock, wire).add(client.stack()).add(server.stack());
        }

        /** The lab's side: reads and drops, closes when the student closes. */
        private final class LabListener implements TcpHandler {
            private final byte[] sink = new byte[256];

            @Override
            public void onReadable(int connection) {
                while (server.tcp().read(connection, sink, 0, sink.length) > 0) {
                    // dropped
                }
            }

            @Override
            public void onPeerClosed(int connection) {
                server.tcp().close(connection);
            }

            @Override
            public void onClosed(int connection, CloseReason reason) {
            }
        }

        /** A student's connection to the lab: connect, send a line, close first. */
        private void labConnection(TestClient c) {
            c.connected = false;
            c.closed = false;
            current = c;
            c.handle = client.tcp().connect(SERVER_IP, LAB_PORT, c);
            if (!sim.runUntil(connected, S)) {
                throw new AssertionError("no lab connection");
            }
            c.peerClosed = false;
            // Half-close first (FIN_WAIT_1, FIN_WAIT_2); the lab closes when it reads end of stream, and
            // the student's side, having sent its FIN already, ends in TIME-WAIT by itself.
            c.send(GET, GET.length, true);
            if (!sim.runUntil(closed, S)) {
                throw new AssertionError("the lab connection did not end");
            }
        }

        /** A browser's request to the status page: the board answers and closes first. */
        private void pageFetch(TestClient c) {
            pageFetch(c, GET);
        }

        private void pageFetch(TestClient c, byte[] request) {
            c.connected = false;
            c.closed = false;
            c.peerClosed = false;
            c.resetReceived();
            current = c;
            c.handle = client.tcp().connect(SERVER_IP, 80, c);
            if (!sim.runUntil(connected, S)) {
                throw new AssertionError("no page connection");
            }
            c.send(request, request.length, false);
            if (!sim.runUntil(peerClosed, S)) {
                throw new AssertionError("the page was not sent");
            }
            client.tcp().close(c.handle);
            if (!sim.runUntil(closed, S)) {
                throw new AssertionError("the page connection did not end");
            }
        }

        private SimulatedBoard server() {
            return server;
        }
    }

    private final Rig rig = new Rig(true);

    @Test
    void pageConnectionsStayOutOfTheRecorderAlsoThroughTimeWait() {
        TestClient c = new TestClient(rig.client.tcp(), 128 * 1024);
        rig.pageFetch(c);
        rig.labConnection(new TestClient(rig.client.tcp(), 16));
        rig.pageFetch(c);
        rig.pageFetch(c);
        assertTrue(rig.server.tcp().timeWaitEntries() >= 3, "the page's connections wait in TIME-WAIT on the board");
        rig.sim.runFor(5 * S); // past 2*MSL: their TIME_WAIT -> CLOSED comes from the TIME-WAIT table, TCB long gone
        assertEquals(0, rig.server.tcp().timeWaitEntries());

        assertEquals(1, rig.recorder.walked(TcpState.CLOSED, TcpState.LISTEN), "the lab's listener only");
        assertEquals(1, rig.recorder.walked(TcpState.LISTEN, TcpState.SYN_RECEIVED), "one lab connection");
        assertEquals(1, rig.recorder.walked(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT));
        assertEquals(1, rig.recorder.walked(TcpState.LAST_ACK, TcpState.CLOSED));
        assertEquals(0, rig.recorder.walked(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1), "the page closes first; the lab never does");
        assertEquals(0, rig.recorder.walked(TcpState.TIME_WAIT, TcpState.CLOSED), "every TIME_WAIT here was the page's");
        assertEquals(6, rig.lab.labTransitions(), "CLOSED->LISTEN, then LISTEN, SYN_RCVD, ESTAB, CLOSE_WAIT, LAST_ACK, CLOSED");
        assertEquals(rig.recorder.total(), rig.lab.labTransitions());
        assertEquals(rig.all, rig.lab.labTransitions() + rig.lab.serviceTransitions(), "every transition is one or the other");
        assertTrue(rig.lab.serviceTransitions() >= 1 + 3 * 5, "the page's listener and three connections down to CLOSED");
        assertEquals(rig.onPagePort, rig.lab.serviceTransitions(), "exactly the transitions of the ids that began on port 80");
        assertEquals(0, rig.lab.untracked());
        assertEquals(1, rig.lab.labPort(0) == LAB_PORT ? rig.lab.labPortOpened(0) : -1, "the lab port, one connection established");
        assertEquals(2, tracked(), "only the two listeners remain in the table");
    }

    @Test
    void theTableEmptiesAsConnectionsEndOverManyMoreThanItHolds() {
        TestClient page = new TestClient(rig.client.tcp(), 128 * 1024);
        TestClient student = new TestClient(rig.client.tcp(), 16);
        for (int i = 0; i < 3 * rig.lab.capacity(); i++) {
            rig.pageFetch(page);
            rig.labConnection(student);
        }
        rig.sim.runFor(5 * S);
        assertEquals(0, rig.lab.untracked(), "the table never ran out of room");
        assertEquals(2, tracked(), "only the two listeners remain");
        assertEquals(3L * rig.lab.capacity(), rig.recorder.walked(TcpState.LISTEN, TcpState.SYN_RECEIVED));
        assertEquals(0, rig.recorder.walked(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1));
    }

    @Test
    void theLabsConnectionsAreListedWithTheirPeerAndLastState() {
        TestClient student = new TestClient(rig.client.tcp(), 16);
        student.handle = rig.client.tcp().connect(SERVER_IP, LAB_PORT, student);
        assertTrue(rig.sim.runUntil(() -> student.connected, S));
        rig.sim.runFor(S / 100); // the handshake's last ACK reaches the board
        int listed = 0;
        for (int slot = 0; slot < rig.lab.capacity(); slot++) {
            if (rig.lab.isLabConnection(slot) && rig.lab.state(slot) == TcpState.ESTABLISHED) {
                assertEquals(CLIENT_IP, rig.lab.remoteAddress(slot));
                assertEquals(rig.client.tcp().localPort(student.handle), rig.lab.remotePort(slot));
                assertEquals(LAB_PORT, rig.lab.localPort(slot));
                listed++;
            }
        }
        assertEquals(1, listed);
    }

    @Test
    @Tag("allocation")
    void recordingAndForgettingConnectionsAllocatesNothing() {
        Rig boards = new Rig(false);
        TestClient page = new TestClient(boards.client.tcp(), 128 * 1024);
        TestClient student = new TestClient(boards.client.tcp(), 16);
        AllocationAssert.assertZeroAllocation("lab and page connections through LabConnections", 3_000, 300, 5, () -> {
            boards.pageFetch(page, GET_MISSING);
            boards.labConnection(student);
        });
        assertEquals(0, boards.recorder.walked(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1));
    }

    private int tracked() {
        int n = 0;
        for (int slot = 0; slot < rig.lab.capacity(); slot++) {
            if (rig.lab.state(slot) != null) {
                n++;
            }
        }
        return n;
    }
}
