package dev.spinet.tcp;

import dev.spinet.config.StackConfig;

/**
 * Everything time-driven, run from {@link TcpLayer#poll} (RFC 9293 3.10.8, RFC 6298, RFC 1122).
 *
 * <h2>Call order in {@link #poll}, per connection</h2>
 * <ol>
 *   <li>user timeout (RFC 5482 semantics: unacknowledged data too old aborts);</li>
 *   <li>retransmission timeout: back off, collapse cwnd, resend from SND.UNA, or give up
 *       after the configured retries (a SYN also after the configured time, R2);</li>
 *   <li>tail loss probe (RFC 8985 section 7), when the RTO is not due as well;</li>
 *   <li>persist (zero-window probe), keepalive, FIN-WAIT-2 and full-TCB TIME-WAIT timers;</li>
 *   <li>delayed ACK due: ackNow;</li>
 *   <li>SACK compression deadline due: ackNow;</li>
 *   <li>pending events to the handler, then output.</li>
 * </ol>
 * Then the compact TIME-WAIT entries whose 2*MSL ran out are removed.
 *
 * <h2>One due time per timer</h2>
 * Each timer's due time comes from one method ({@code userTimeoutAt}, {@code retransmissionAt},
 * ...) that both {@link #poll} and {@link #nextDeadline} call: a deadline reported to the stack
 * thread is one that poll acts on. Were they computed apart, a condition checked by one and not
 * the other leaves a deadline in the past that nothing clears, and the thread, whose wait is
 * {@code nextDeadline(now) - now}, runs empty duty cycles back to back.
 */
final class TcpTimers {

    private static final long NOTHING_SCHEDULED = Long.MAX_VALUE / 4;

    private final TcpLayer layer;
    private final StackConfig config;

    TcpTimers(TcpLayer layer) {
        this.layer = layer;
        this.config = layer.config;
    }

    int poll(long now) {
        int work = 0;
        TcbTable tcbs = layer.tcbs;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            if (!tcb.inUse) {
                continue;
            }
            work += connectionTimers(tcb, now);
            if (tcb.inUse && tcb.events != 0) {
                // Delivering events is work: nextDeadline reports pending events as due now.
                layer.dispatch(tcb);
                work++;
            }
            if (tcb.inUse) {
                work += layer.output.output(tcb, now);
                layer.retireIfDone(tcb);
            }
        }
        TimeWaitTable timeWait = layer.timeWait;
        if (timeWait.size() > 0) {
            for (int i = 0; i < timeWait.capacity(); i++) {
                if (timeWait.isUsed(i) && due(timeWait.deadline(i), now)) {
                    // RFC 9293 3.10.8: "If the time-wait timeout expires on a connection, delete the
                    // TCB, enter the CLOSED state, and return."
                    int id = timeWait.connectionId(i);
                    timeWait.remove(i);
                    layer.observer.onTransition(id, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_TIMEOUT);
                    work++;
                }
            }
        }
        return work;
    }

    private int connectionTimers(Tcb tcb, long now) {
        int work = 0;
        // ---- user timeout ----
        if (due(userTimeoutAt(tcb, now), now)) {
            // RFC 9293 3.10.8: "For any state if the user timeout expires, flush all queues, signal
            // the user 'error: connection aborted due to user timeout' ... enter the CLOSED state".
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.USER_TIMEOUT);
            layer.finish(tcb, CloseReason.TIMED_OUT);
            return 1;
        }
        // ---- retransmission ----
        if (due(retransmissionAt(tcb, now), now)) {
            work++;
            tcb.rtoArmed = false;
            tcb.probeArmed = false;
            tcb.probeOutstanding = false;
            tcb.retries++;
            boolean handshake = tcb.synUnacked();
            if (handshake ? synGivenUp(tcb, now) : tcb.retries > config.tcpMaxRetransmissions) {
                // RFC 1122 4.2.3.5 R2: give up on the connection (naming an ICMP soft error as the
                // cause if one arrived meanwhile, RFC 1122 4.2.3.9).
                layer.transition(tcb, TcpState.CLOSED, TransitionCause.RETRANSMISSION_TIMEOUT);
                layer.finish(tcb, tcb.timeoutReason());
                return work;
            }
            layer.counters.increment(TcpCounter.RETRANSMISSION_TIMEOUTS);
            if (handshake) {
                tcb.synTimedOut = true;
            }
            tcb.congestion.onRetransmissionTimeout(handshake, tcb.sndMax, tcb.flightSize(), tcb.sndMss);
            // RFC 6298 5.5 back-off; Karn: the retransmitted segment gives no RTT sample.
            tcb.rtt.onRetransmissionTimeout();
            // Go back to SND.UNA: output resends the SYN, SYN,ACK, data or FIN from there.
            tcb.sndNxt = tcb.sndUna;
        }
        // ---- tail loss probe ----
        if (due(lossProbeAt(tcb, now), now)) {
            work++;
            tcb.probeArmed = false;
            layer.output.sendLossProbe(tcb, now);
        }
        // ---- persist ----
        if (due(persistAt(tcb, now), now)) {
            work++;
            tcb.persistArmed = false;
            if (tcb.sndWnd == 0) {
                layer.output.sendWindowProbe(tcb, now);
                tcb.persistBackoff++;
                tcb.persistArmed = true;
                tcb.persistDeadline = now + layer.output.persistInterval(tcb);
            } else {
                // The SWS override timeout (RFC 9293 3.8.6.2.1): output, right after the timers,
                // sends what the small window allows.
                tcb.swsOverride = true;
            }
        }
        // ---- keepalive (RFC 1122 4.2.3.6) ----
        if (due(keepaliveAt(tcb, now), now)) {
            work++;
            if (tcb.keepaliveProbesSent >= config.tcpKeepaliveProbes) {
                layer.transition(tcb, TcpState.CLOSED, TransitionCause.KEEPALIVE_TIMEOUT);
                layer.finish(tcb, CloseReason.TIMED_OUT);
                return work;
            }
            tcb.keepaliveProbesSent++;
            layer.output.sendKeepalive(tcb, now);
        }
        // ---- FIN-WAIT-2 of a closed application ----
        if (due(finWait2At(tcb, now), now)) {
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.FIN_WAIT_2_TIMEOUT);
            layer.finish(tcb, CloseReason.TIMED_OUT);
            return work + 1;
        }
        // ---- delayed ACK ----
        if (due(delayedAckAt(tcb, now), now)) {
            tcb.delayedAckArmed = false;
            tcb.ackNow = true;
            layer.counters.increment(TcpCounter.DELAYED_ACKS);
            work++;
        }
        // ---- SACK compression (the withheld ACK of out-of-order segments) ----
        if (due(sackCompressAt(tcb, now), now)) {
            tcb.sackCompressArmed = false;
            tcb.ackNow = true;
            work++;
        }
        return work;
    }

    /**
     * R2 for a SYN or SYN,ACK (RFC 1122 4.2.3.5), checked when its retransmission timer expires:
     * the configured count of retransmissions is used up, or the SYN has been unacknowledged
     * (since it first left, see {@code unackedSinceNanos}) for the configured time, by default
     * 3 minutes: "at least 3 minutes" of retransmission.
     */
    private boolean synGivenUp(Tcb tcb, long now) {
        return tcb.retries > config.tcpMaxSynRetransmissions || now - tcb.unackedSinceNanos >= config.tcpSynGiveUpNanos;
    }

    /**
     * The earliest time {@link #poll} has work, or now + Long.MAX_VALUE / 4 when none. Each timer's
     * time comes from the same method {@link #poll} tests it with, so a deadline reported here is
     * one poll acts on: a stale one would make the stack thread's wait zero or negative.
     */
    long nextDeadline(long now) {
        long next = never(now);
        TcbTable tcbs = layer.tcbs;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            if (!tcb.inUse) {
                continue;
            }
            if (tcb.ackNow || tcb.events != 0 || hasSendableData(tcb)) {
                return now;
            }
            next = earlier(next, userTimeoutAt(tcb, now));
            next = earlier(next, retransmissionAt(tcb, now));
            next = earlier(next, lossProbeAt(tcb, now));
            next = earlier(next, persistAt(tcb, now));
            next = earlier(next, keepaliveAt(tcb, now));
            next = earlier(next, finWait2At(tcb, now));
            next = earlier(next, delayedAckAt(tcb, now));
            next = earlier(next, sackCompressAt(tcb, now));
        }
        TimeWaitTable timeWait = layer.timeWait;
        if (timeWait.size() > 0) {
            for (int i = 0; i < timeWait.capacity(); i++) {
                if (timeWait.isUsed(i)) {
                    next = earlier(next, timeWait.deadline(i));
                }
            }
        }
        return next;
    }

    // ---- when each timer is due: absolute time, or never(now) when it does not run ----

    /**
     * RFC 5482 / RFC 9293 3.10.8 user timeout: sent data (SYN and FIN included) unacknowledged
     * this long. Synchronized states only: before that, R2 of the SYN (RFC 1122 4.2.3.5) decides.
     */
    private long userTimeoutAt(Tcb tcb, long now) {
        if (config.tcpUserTimeoutNanos > 0 && tcb.state.isSynchronized() && tcb.sndMax != tcb.sndUna) {
            return tcb.unackedSinceNanos + config.tcpUserTimeoutNanos;
        }
        return never(now);
    }

    private static long retransmissionAt(Tcb tcb, long now) {
        return tcb.rtoArmed ? tcb.rtoDeadline : never(now);
    }

    /** The probe goes only while the retransmission timer runs: it stands in for its expiry. */
    private static long lossProbeAt(Tcb tcb, long now) {
        return tcb.probeArmed && tcb.rtoArmed ? tcb.probeDeadline : never(now);
    }

    private static long persistAt(Tcb tcb, long now) {
        return tcb.persistArmed ? tcb.persistDeadline : never(now);
    }

    /**
     * RFC 1122 4.2.3.6: a probe after the idle time and then every interval while unanswered; one
     * interval after the last allowed probe the connection is dead. Only with nothing in flight:
     * "an idle connection", and otherwise the retransmission timer already asks for an answer.
     */
    private long keepaliveAt(Tcb tcb, long now) {
        if ((config.tcpKeepalive || tcb.keepalive) && keepsAlive(tcb.state) && tcb.sndMax == tcb.sndUna) {
            return tcb.lastHeardNanos + config.tcpKeepaliveIdleNanos
                    + tcb.keepaliveProbesSent * config.tcpKeepaliveIntervalNanos;
        }
        return never(now);
    }

    /**
     * RFC 1122 4.2.3.6 speaks of "an idle connection", whatever its state: the states in which the
     * peer owes us nothing and we owe it nothing in flight. ESTABLISHED; CLOSE-WAIT (the peer's
     * FIN is in, our application has not closed: a peer that vanished would hold the TCB for
     * good); FIN-WAIT-2 (our FIN acknowledged, the peer's still to come; also bounded by the
     * FIN-WAIT-2 timeout once the application has closed). Not FIN-WAIT-1, CLOSING or LAST-ACK:
     * our FIN is in flight there and its retransmission timer asks for an answer (R2), and not
     * TIME-WAIT, which ends by itself.
     */
    private static boolean keepsAlive(TcpState state) {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.FIN_WAIT_2;
    }

    private static long finWait2At(Tcb tcb, long now) {
        return tcb.finWait2Armed && tcb.state == TcpState.FIN_WAIT_2 ? tcb.finWait2Deadline : never(now);
    }

    private static long delayedAckAt(Tcb tcb, long now) {
        return tcb.delayedAckArmed ? tcb.delayedAckDeadline : never(now);
    }

    private static long sackCompressAt(Tcb tcb, long now) {
        return tcb.sackCompressArmed ? tcb.sackCompressDeadline : never(now);
    }

    private static long never(long now) {
        return now + NOTHING_SCHEDULED;
    }

    private static boolean due(long at, long now) {
        return at - now <= 0;
    }

    /** Whether output would send something now (a SYN, or data/FIN the windows allow). */
    private static boolean hasSendableData(Tcb tcb) {
        switch (tcb.state) {
            case SYN_SENT, SYN_RECEIVED -> {
                return tcb.sndNxt == tcb.iss;
            }
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, LAST_ACK, CLOSING -> {
                if (tcb.synUnacked()) {
                    return tcb.sndNxt == tcb.iss;
                }
                return TcpOutput.wouldSendData(tcb);
            }
            default -> {
                return false;
            }
        }
    }

    private static long earlier(long a, long b) {
        return b - a < 0 ? b : a;
    }
}
