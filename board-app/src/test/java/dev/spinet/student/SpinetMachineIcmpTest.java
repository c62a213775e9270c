package dev.spinet.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ICMP destination unreachable event behind the student interface, checked against RFC 1122
 * 4.2.3.9 (hard errors abort, soft ones do not) and RFC 5927 5.2 (only before the connection is
 * synchronized).
 */
class SpinetMachineIcmpTest {

    private static final int ISS = 1_000;
    private static final long SECOND = 1_000_000_000L;

    private static SpinetMachine synSent() {
        SpinetMachine machine = new SpinetMachine();
        machine.clock(SECOND);
        Reaction open = machine.handle(ConnectionEvent.activeOpen(ISS));
        assertEquals(TcpState.SYN_SENT, open.transition().to());
        return machine;
    }

    @Test
    void portUnreachableEndsSynSentAndSendsNothing() {
        SpinetMachine machine = synSent();
        machine.clock(SECOND + 1_000_000);
        Reaction r = machine.handle(ConnectionEvent.icmpUnreachable(ConnectionEvent.PORT_UNREACHABLE));
        assertEquals(new Reaction.Transition(TcpState.SYN_SENT, TcpState.CLOSED, TransitionCause.RCV_ICMP_HARD_ERROR), r.transition());
        assertEquals(List.of(), r.sends());
        assertEquals(TcpState.CLOSED, machine.state());
    }

    @Test
    void protocolUnreachableIsHardToo() {
        SpinetMachine machine = synSent();
        machine.clock(SECOND + 1_000_000);
        Reaction r = machine.handle(ConnectionEvent.icmpUnreachable(ConnectionEvent.PROTOCOL_UNREACHABLE));
        assertEquals(TransitionCause.RCV_ICMP_HARD_ERROR, r.transition().cause());
    }

    @Test
    void hostUnreachableIsSoftAndSynSentStays() {
        SpinetMachine machine = synSent();
        machine.clock(SECOND + 1_000_000);
        Reaction r = machine.handle(ConnectionEvent.icmpUnreachable(1));
        assertNull(r.transition());
        assertEquals(TcpState.SYN_SENT, machine.state());
    }

    @Test
    void portUnreachableOnceEstablishedChangesNothing() {
        SpinetMachine machine = synSent();
        machine.clock(SECOND + 1_000_000);
        Reaction handshake = machine.handle(ConnectionEvent.segment(new Segment(Segment.SYN | Segment.ACK, 5_000, ISS + 1, 4096, 0)));
        assertEquals(TcpState.ESTABLISHED, handshake.transition().to());
        machine.clock(SECOND + 2_000_000);
        Reaction r = machine.handle(ConnectionEvent.icmpUnreachable(ConnectionEvent.PORT_UNREACHABLE));
        assertNull(r.transition());
        assertEquals(TcpState.ESTABLISHED, machine.state());
    }

    @Test
    void hardCodesAreRfc1122sAndTheEnginesTable() {
        assertTrue(ConnectionEvent.icmpUnreachable(2).icmpHardError());
        assertTrue(ConnectionEvent.icmpUnreachable(3).icmpHardError());
        assertTrue(ConnectionEvent.icmpUnreachable(13).icmpHardError());
        assertFalse(ConnectionEvent.icmpUnreachable(0).icmpHardError());
        assertFalse(ConnectionEvent.icmpUnreachable(1).icmpHardError());
        assertFalse(ConnectionEvent.icmpUnreachable(4).icmpHardError());
        assertFalse(ConnectionEvent.of(ConnectionEvent.Kind.CLOSE).icmpHardError());
        assertEquals("rcv ICMP destination unreachable code 3", ConnectionEvent.icmpUnreachable(3).toString());
    }
}
