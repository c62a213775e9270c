package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.ScriptedPeer;

import org.junit.jupiter.api.Test;

/**
 * RFC 6056 algorithm 4 (double-hash port selection), keyed with SipHash like the ISNs: the next
 * ephemeral port towards one destination depends on the secret and on connections to that
 * destination only. With one global sequential counter, a destination sees from the gap between
 * two of its connections how many went elsewhere, and anyone can predict the next port.
 */
class EphemeralPortTest extends TcpScriptTest {

    private static final int A = ScriptedPeer.PEER_ADDRESS;
    private static final int[] OTHERS = {0x0A00_0009, 0x0A00_000A, 0x0A00_000B, 0x0A00_000C};

    private int portTo(int address, int port) {
        return tcp.localPort(tcp.connect(address, port, app));
    }

    private static int next(int port) {
        return port == 65535 ? TcpLayer.EPHEMERAL_FIRST : port + 1;
    }

    @Test
    void connectionsToOtherDestinationsDoNotMoveTheNextPortTowardsThisOne() {
        use(config().tcpConnections(8).build());
        int first = portTo(A, 80);
        for (int other : OTHERS) {
            portTo(other, 80);
        }
        int second = portTo(A, 80);
        assertEquals(next(first), second, "the other destinations' connections leave no gap");
    }

    @Test
    void theStartingPortDependsOnTheSecretAndTheDestination() {
        use(config().tcpSecret(1).build());
        int withOne = portTo(A, 80);
        int otherPort = portTo(A, 443);
        use(config().tcpSecret(2).build());
        int withTwo = portTo(A, 80);
        assertNotEquals(withOne, withTwo, "another secret, another offset");
        assertNotEquals(next(withOne), otherPort, "another remote port, another offset");
        assertTrue(withOne >= TcpLayer.EPHEMERAL_FIRST && withTwo >= TcpLayer.EPHEMERAL_FIRST && otherPort >= TcpLayer.EPHEMERAL_FIRST);
    }

    @Test
    void aPortInUseIsSkipped() {
        use(config().tcpConnections(8).build());
        int first = portTo(A, 80);
        tcp.abort(tcp.connect(A, 80, app)); // takes next(first), then frees it
        use(config().tcpConnections(8).build());
        tcp.listen(next(first), 1, app); // same secret: a listener now holds that port
        assertEquals(first, portTo(A, 80));
        assertEquals(next(next(first)), portTo(A, 80));
    }
}
