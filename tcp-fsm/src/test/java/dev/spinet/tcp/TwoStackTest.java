package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.RecordingHandler;
import dev.spinet.tcp.scenario.TcpLink;
import dev.spinet.tcp.scenario.TransitionRecorder;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two layers over an in-memory link: simultaneous open and close, and connection churn. */
class TwoStackTest {

    static final long MS = 1_000_000L;

    TransitionRecorder recorderA;
    TransitionRecorder recorderB;
    TcpLink link;
    RecordingHandler appA;
    RecordingHandler appB;

    static StackConfig config(int address, int connections) {
        return StackConfig.builder().ipAddress(address, 24).tcpConnections(connections).tcpSecret(address).build();
    }

    @BeforeEach
    void setUp() {
        recorderA = new TransitionRecorder();
        recorderB = new TransitionRecorder();
        link = new TcpLink(config(TcpLink.ADDRESS_A, 8), config(TcpLink.ADDRESS_B, 8),
                FaultModel.perfect(MS), FaultModel.perfect(MS), recorderA, recorderB, 1500, 64);
        appA = new RecordingHandler();
        appB = new RecordingHandler();
    }

    @Test
    void simultaneousOpenAndSimultaneousClose() {
        int listenerA = link.a.listen(5000, 1, appA);
        int listenerB = link.b.listen(6000, 1, appB);
        // Both SEND before either SYN arrives: the SYNs cross on the wire.
        int a = link.a.connectFromListener(listenerA, TcpLink.ADDRESS_B, 6000);
        int b = link.b.connectFromListener(listenerB, TcpLink.ADDRESS_A, 5000);
        link.advance(10 * MS);
        assertEquals(TcpState.ESTABLISHED, link.a.state(a));
        assertEquals(TcpState.ESTABLISHED, link.b.state(b));
        assertEquals(List.of("connected"), appA.events());
        assertEquals(List.of("connected"), appB.events());

        // Both CLOSE before either FIN arrives: the FINs cross, both pass through CLOSING.
        link.a.close(a);
        link.b.close(b);
        link.advance(10 * MS);
        List<String> expected = List.of("LISTEN->SYN_SENT", "SYN_SENT->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
                "ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING", "CLOSING->TIME_WAIT");
        assertEquals(expected, recorderA.path(a));
        assertEquals(expected, recorderB.path(b));
        assertEquals(0, link.a.connectionsInUse() + link.b.connectionsInUse(), "TIME-WAIT holds no TCB");
        assertEquals(1, link.a.timeWaitEntries());
        assertEquals(1, link.b.timeWaitEntries());
        link.advance(61_000 * MS);
        assertEquals(List.of("LISTEN->SYN_SENT", "SYN_SENT->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
                "ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING", "CLOSING->TIME_WAIT", "TIME_WAIT->CLOSED"), recorderA.path(a));
        PoolsAssert.assertEveryPoolEmpty(link.a, "A after 2 MSL");
        PoolsAssert.assertEveryPoolEmpty(link.b, "B after 2 MSL");
        assertTrue(recorderA.violations().isEmpty() && recorderB.violations().isEmpty());
    }

    @Test
    void tenThousandSequentialConnectionsThroughEightTcbs() {
        int connections = Integer.getInteger("spinet.churn.connections", 10_000);
        dev.spinet.tcp.TcpHandler server = new dev.spinet.tcp.TcpHandler() {
            private final byte[] sink = new byte[64];

            @Override
            public void onPeerClosed(int connection) {
                // read to the end first: closing with unread data resets (RFC 1122 4.2.2.13)
                while (link.b.read(connection, sink, 0, sink.length) > 0) {
                }
                link.b.close(connection);
            }
        };
        link.b.listen(80, 4, server);
        byte[] hello = "hello".getBytes();
        int maxInUse = 0;
        for (int i = 0; i < connections; i++) {
            int c = link.a.connect(TcpLink.ADDRESS_B, 80, appA);
            for (int step = 0; step < 100 && link.a.state(c) != TcpState.ESTABLISHED; step++) {
                link.advance(MS);
            }
            assertEquals(TcpState.ESTABLISHED, link.a.state(c), "connection " + i);
            link.a.write(c, hello, 0, hello.length);
            link.a.close(c);
            for (int step = 0; step < 100 && (link.a.connectionsInUse() > 0 || link.b.connectionsInUse() > 0); step++) {
                link.advance(MS);
                maxInUse = Math.max(maxInUse, link.a.connectionsInUse() + link.b.connectionsInUse());
            }
            assertEquals(0, link.a.connectionsInUse(), "client TCB leaked at connection " + i);
            assertEquals(0, link.b.connectionsInUse(), "server TCB leaked at connection " + i);
            assertTrue(link.a.timeWaitEntries() <= 32, "TIME-WAIT table is bounded");
        }
        assertEquals(connections, link.a.counters().get(TcpCounter.CLOSED_NORMAL), () -> "A:\n" + link.a.counters() + "B:\n" + link.b.counters());
        assertEquals(connections, link.b.counters().get(TcpCounter.CLOSED_NORMAL));
        assertEquals(connections - 32, link.a.counters().get(TcpCounter.TIME_WAIT_RECYCLED));
        assertTrue(maxInUse <= 2, "one connection at a time: " + maxInUse);
        assertTrue(recorderA.violations().isEmpty() && recorderB.violations().isEmpty());
        link.advance(61_000 * MS);
        PoolsAssert.assertEveryPoolEmpty(link.a, "A after 2 MSL");
        PoolsAssert.assertEveryPoolEmpty(link.b, "B after 2 MSL");
    }
}
