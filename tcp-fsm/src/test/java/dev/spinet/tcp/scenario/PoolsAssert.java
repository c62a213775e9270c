package dev.spinet.tcp.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spinet.Stack;
import dev.spinet.tcp.TcpInvariants;
import dev.spinet.tcp.TcpLayer;

/**
 * The end-of-test check that everything a stack took from its fixed pools went back: no TCB in
 * use, no TIME-WAIT entry, no half-open connection, no byte left in any send or receive ring,
 * the layer's invariants intact and, for a whole stack, no frame still waiting for ARP.
 * Listeners are not pools that drain: a server keeps listening.
 */
public final class PoolsAssert {

    private PoolsAssert() {
    }

    public static void assertEveryPoolEmpty(TcpLayer tcp) {
        assertEveryPoolEmpty(tcp, "");
    }

    /** @param context added to every failure message (a seed, a fault model, why it must be empty) */
    public static void assertEveryPoolEmpty(TcpLayer tcp, String context) {
        String why = context.isEmpty() ? "" : ": " + context;
        assertEquals(0, tcp.connectionsInUse(), "TCBs still in use" + why);
        assertEquals(0, tcp.timeWaitEntries(), "TIME-WAIT entries left" + why);
        assertEquals(0, TcpInvariants.halfOpen(tcp), "half-open connections left" + why);
        assertEquals(0, tcp.bufferedBytes(), "bytes left in send and receive rings" + why);
        String violation = TcpInvariants.check(tcp);
        assertNull(violation, () -> violation + why);
    }

    /** The TCP layer's pools and the interface's queue of frames waiting for ARP resolution. */
    public static void assertEveryPoolEmpty(Stack stack, String context) {
        assertEveryPoolEmpty(stack.tcp(), context);
        assertEquals(0, stack.iface().pendingFrames().count(), "frames still waiting for ARP" + (context.isEmpty() ? "" : ": " + context));
    }
}
