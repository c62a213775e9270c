package dev.spinet.harness.scenario;

import static dev.spinet.harness.scenario.DhcpBoards.CLIENT_MAC;
import static dev.spinet.harness.scenario.DhcpBoards.POOL;
import static dev.spinet.harness.scenario.DhcpBoards.SECOND;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.dhcp.DhcpCounter;
import dev.spinet.dhcp.DhcpMessage;
import dev.spinet.dhcp.DhcpState;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.IfaceCounter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's offers are damaged in one way each: the client counts the flaw, ignores the
 * offer, and once the server is fixed its next retransmitted DISCOVER gets a lease.
 */
class DhcpMalformedServerTest {

    static Stream<Arguments> flaws() {
        return Stream.of(
                flaw("truncated inside the fixed header", (b, o, l) -> 200, DhcpCounter.RX_DROP_TRUNCATED),
                flaw("magic cookie wrong", (b, o, l) -> set(b, o + 236, 0x62, l), DhcpCounter.RX_DROP_BAD_MAGIC_COOKIE),
                flaw("option length runs past the message", (b, o, l) -> set(b, o + 244, 255, l), DhcpCounter.RX_DROP_OPTION_OVERRUNS_MESSAGE),
                flaw("cut before the end option", (b, o, l) -> endIndex(b, o) - o, DhcpCounter.RX_DROP_NO_END_OPTION),
                flaw("message type two bytes long", (b, o, l) -> set(b, o + 241, 2, l), DhcpCounter.RX_DROP_BAD_OPTION_LENGTH),
                flaw("lease time three bytes long", (b, o, l) -> set(b, o + 250, 3, l), DhcpCounter.RX_DROP_BAD_OPTION_LENGTH),
                flaw("message type twice", DhcpMalformedServerTest::secondMessageType, DhcpCounter.RX_DROP_DUPLICATE_OPTION),
                flaw("no message type (BOOTP)", (b, o, l) -> set(b, o + 240, 43, l), DhcpCounter.RX_DROP_NO_MESSAGE_TYPE),
                flaw("op is BOOTREQUEST", (b, o, l) -> set(b, o, 1, l), DhcpCounter.RX_DROP_NOT_BOOTREPLY),
                flaw("xid of another transaction", (b, o, l) -> set(b, o + 7, b[o + 7] ^ 1, l), DhcpCounter.RX_DROP_WRONG_XID),
                flaw("chaddr of another client", (b, o, l) -> set(b, o + 33, b[o + 33] ^ 1, l), DhcpCounter.RX_DROP_OTHER_CLIENT),
                flaw("hlen not 6", (b, o, l) -> set(b, o + 2, 16, l), DhcpCounter.RX_DROP_OTHER_CLIENT),
                flaw("offered address 0.0.0.0", (b, o, l) -> zero(b, o + 16, l), DhcpCounter.RX_DROP_BAD_ADDRESS),
                flaw("offered address is broadcast", (b, o, l) -> ones(b, o + 16, l), DhcpCounter.RX_DROP_BAD_ADDRESS),
                flaw("server identifier 0.0.0.0", (b, o, l) -> zero(b, o + 245, l), DhcpCounter.RX_DROP_BAD_ADDRESS),
                flaw("an ACK instead of an OFFER", (b, o, l) -> set(b, o + 242, DhcpMessage.DHCPACK, l), DhcpCounter.RX_DROP_UNEXPECTED_TYPE));
    }

    static Arguments flaw(String name, FakeDhcpServer.ReplyTamper tamper, DhcpCounter counted) {
        return Arguments.of(Named.of(name, tamper), counted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void aDamagedOfferIsCountedAndIgnored(FakeDhcpServer.ReplyTamper tamper, DhcpCounter counted) {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        FakeDhcpServer server = new FakeDhcpServer(wire.connect("server", SERVER_MAC), SERVER, 24, POOL, 4, 600).tamper(tamper);
        DhcpBoards.Client client = new DhcpBoards.Client(wire.connect("client", CLIENT_MAC), 7);
        Simulator sim = new Simulator(clock, wire).add(server).add(client.iface);
        sim.runFor(2 * SECOND);
        assertEquals(1, server.offers(), "the server answered the first DISCOVER");
        assertEquals(1, client.dhcp.counters().get(counted), client.dhcp.counters().toString());
        assertEquals(DhcpState.SELECTING, client.dhcp.state(), "the damaged offer was ignored");
        assertEquals(0, client.iface.localAddress());
        assertEquals(0, client.iface.counters().get(IfaceCounter.INTERNAL_ERRORS), "nothing escaped the input path");
        server.tamper(null);
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 10 * SECOND), "the retransmitted DISCOVER succeeds");
        assertEquals(POOL, client.iface.localAddress());
    }

    // The offer's options: 53 at 240 (value 242), 54 at 243 (length 244, value 245..248), 51 at 249 (length 250).

    static int set(byte[] b, int index, int value, int length) {
        b[index] = (byte) value;
        return length;
    }

    static int zero(byte[] b, int index, int length) {
        for (int i = 0; i < 4; i++) {
            b[index + i] = 0;
        }
        return length;
    }

    static int ones(byte[] b, int index, int length) {
        for (int i = 0; i < 4; i++) {
            b[index + i] = (byte) 0xFF;
        }
        return length;
    }

    static int endIndex(byte[] b, int offset) {
        int at = offset + 240;
        while ((b[at] & 0xFF) != 255) {
            at += b[at] == 0 ? 1 : 2 + (b[at + 1] & 0xFF);
        }
        return at;
    }

    static int secondMessageType(byte[] b, int offset, int length) {
        int end = endIndex(b, offset);
        int at = DhcpMessage.putByteOption(b, end, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPOFFER);
        b[at] = (byte) 255;
        return Math.max(length, at + 1 - offset);
    }
}
