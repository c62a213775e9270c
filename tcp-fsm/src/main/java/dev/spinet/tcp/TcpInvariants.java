package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;

/**
 * State invariants of a {@link TcpLayer} that must hold between any two calls into it, whatever
 * arrived from the network: fuzz tests and the hostile-input tests check them after every input.
 *
 * <ul>
 *   <li>Pools are conserved: the TCB free list and the in-use flags agree, in-use + free =
 *       capacity; TIME-WAIT entries within capacity.</li>
 *   <li>Every live TCB: state neither CLOSED nor LISTEN, SND.UNA &lt;= SND.NXT &lt;= SND.MAX
 *       (RFC 9293 3.3.1, wrap-safe), rings and reassembly ranges within their capacity.</li>
 *   <li>Each listener's half-open count equals the SYN-RECEIVED TCBs charged to it, and the
 *       backlog is never exceeded.</li>
 * </ul>
 * The timing promise between {@code poll} and {@code nextDeadline} (an idle poll leaves no deadline
 * due, so a stack thread never spins) is {@link dev.spinet.iface.DeadlineInvariant}, checked by
 * everything in the test harness that drives time. Allocates only to describe a violation.
 */
public final class TcpInvariants {

    private TcpInvariants() {
    }

    /** Returns null when every invariant holds, else a description of the first violation. */
    public static String check(TcpLayer layer) {
        TcbTable tcbs = layer.tcbs;
        int live = 0;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb t = tcbs.slot(i);
            if (!t.inUse) {
                continue;
            }
            live++;
            if (t.state == TcpState.CLOSED || t.state == TcpState.LISTEN) {
                return "TCB " + i + " in use but in " + t.state;
            }
            if (SeqNum.gt(t.sndUna, t.sndNxt)) {
                return "TCB " + i + " (" + t.state + "): SND.UNA " + Integer.toUnsignedString(t.sndUna)
                        + " > SND.NXT " + Integer.toUnsignedString(t.sndNxt);
            }
            if (SeqNum.gt(t.sndNxt, t.sndMax)) {
                return "TCB " + i + " (" + t.state + "): SND.NXT " + Integer.toUnsignedString(t.sndNxt)
                        + " > SND.MAX " + Integer.toUnsignedString(t.sndMax);
            }
            if (t.sendRing.size() < 0 || t.sendRing.size() > t.sendRing.capacity()
                    || t.receiveRing.size() < 0 || t.receiveRing.size() > t.receiveRing.capacity()) {
                return "TCB " + i + ": ring size out of range (send " + t.sendRing.size() + "/" + t.sendRing.capacity()
                        + ", receive " + t.receiveRing.size() + "/" + t.receiveRing.capacity() + ")";
            }
            if (t.assembler.rangeCount() > t.assembler.maxRanges()) {
                return "TCB " + i + ": " + t.assembler.rangeCount() + " reassembly ranges, max " + t.assembler.maxRanges();
            }
            for (int r = 0; r < t.assembler.rangeCount(); r++) {
                int start = t.assembler.rangeStart(r);
                int end = t.assembler.rangeEnd(r);
                if (start < 0 || end <= start || end > t.receiveRing.capacity()) {
                    return "TCB " + i + ": reassembly range [" + start + ", " + end + ") outside the ring of "
                            + t.receiveRing.capacity();
                }
            }
        }
        if (live != tcbs.inUse() || tcbs.inUse() + tcbs.available() != tcbs.capacity()) {
            return "TCB pool not conserved: " + live + " flagged in use, pool says " + tcbs.inUse()
                    + " in use and " + tcbs.available() + " free of " + tcbs.capacity();
        }
        if (layer.timeWait.size() < 0 || layer.timeWait.size() > layer.timeWait.capacity()) {
            return "TIME-WAIT table holds " + layer.timeWait.size() + " of " + layer.timeWait.capacity();
        }
        for (Listener listener : layer.listeners) {
            if (!listener.inUse) {
                continue;
            }
            int halfOpen = 0;
            for (int i = 0; i < tcbs.capacity(); i++) {
                Tcb t = tcbs.slot(i);
                if (t.inUse && t.state == TcpState.SYN_RECEIVED && t.listenerSlot == listener.slot
                        && t.listenerHandle == listener.handle) {
                    halfOpen++;
                }
            }
            if (halfOpen != listener.halfOpen) {
                return "listener on port " + listener.port + " counts " + listener.halfOpen + " half-open, "
                        + halfOpen + " TCBs are SYN-RECEIVED for it";
            }
            if (listener.halfOpen > listener.backlog) {
                return "listener on port " + listener.port + " has " + listener.halfOpen + " half-open, backlog " + listener.backlog;
            }
        }
        return null;
    }

    /** Half-open (SYN-RECEIVED) connections of all listeners. */
    public static int halfOpen(TcpLayer layer) {
        int n = 0;
        for (Listener listener : layer.listeners) {
            if (listener.inUse) {
                n += listener.halfOpen;
            }
        }
        return n;
    }
}
