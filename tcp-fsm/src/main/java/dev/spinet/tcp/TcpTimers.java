package dev.spinet.tcp;

import dev.spinet.config.StackConfig;

/**
 * Everything time-driven, run from {@link TcpLayer#poll} (RFC 9293 3.10.8, RFC 6298, RFC 1122).
 *
 * <h2>Call order in {@link #poll}, per connection</h2>
 * <ol>
 *   <li>user timeout (RFC 5482 semantics: unacknowledged data too old aborts);</li>
 *   <li>retransmission timeout: back off, collapse cwnd, resend from SND.UNA, or give up
 *       after the configured retries;</li>
 *   <li>persist (zero-window probe), keepalive, FIN-WAIT-2 and full-TCB TIME-WAIT timers;</li>
 *   <li>delayed ACK due: ackNow;</li>
 *   <li>pending events to the handler, then output.</li>
 * </ol>
 * Then the compact TIME-WAIT entries whose 2*MSL ran out are removed.
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
            if (tcb.inUse) {
                layer.dispatch(tcb);
            }
            if (tcb.inUse) {
                work += layer.output.output(tcb, now);
                layer.retireIfDone(tcb);
            }
        }
        TimeWaitTable timeWait = layer.timeWait;
        if (timeWait.size() > 0) {
            for (int i = 0; i < timeWait.capacity(); i++) {
                if (timeWait.isUsed(i) && timeWait.deadline(i) - now <= 0) {
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
        if (config.tcpUserTimeoutNanos > 0 && tcb.state.isSynchronized() && tcb.sndMax != tcb.sndUna
                && now - tcb.unackedSinceNanos >= config.tcpUserTimeoutNanos) {
            // RFC 9293 3.10.8: "For any state if the user timeout expires, flush all queues, signal
            // the user 'error: connection aborted due to user timeout' ... enter the CLOSED state".
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.USER_TIMEOUT);
            layer.finish(tcb, CloseReason.TIMED_OUT);
            return 1;
        }
        // ---- retransmission ----
        if (tcb.rtoArmed && tcb.rtoDeadline - now <= 0) {
            work++;
            tcb.rtoArmed = false;
            tcb.retries++;
            boolean handshake = tcb.synUnacked();
            int limit = handshake ? config.tcpMaxSynRetransmissions : config.tcpMaxRetransmissions;
            if (tcb.retries > limit) {
                // RFC 1122 4.2.3.5 R2: give up on the connection.
                layer.transition(tcb, TcpState.CLOSED, TransitionCause.RETRANSMISSION_TIMEOUT);
                layer.finish(tcb, CloseReason.TIMED_OUT);
                return work;
            }
            layer.counters.increment(TcpCounter.RETRANSMISSION_TIMEOUTS);
            if (!handshake) {
                // RFC 5681 3.1 equation 4 and "cwnd to no more than ... 1 full-sized segment".
                tcb.ssthresh = Math.max(tcb.flightSize() / 2, 2 * tcb.sndMss);
                tcb.cwnd = tcb.sndMss;
            }
            // RFC 6582 3.2 step 4... after a timeout, recover is the highest sequence sent.
            tcb.recover = tcb.sndMax;
            tcb.inRecovery = false;
            tcb.dupAcks = 0;
            // RFC 6298 5.5: "back off the timer": RTO = RTO * 2, at most the maximum.
            tcb.rto = Math.min(tcb.rto * 2, config.tcpRtoMaxNanos);
            // Karn: the retransmitted segment gives no RTT sample.
            tcb.rttTiming = false;
            // Go back to SND.UNA: output resends the SYN, SYN,ACK, data or FIN from there.
            tcb.sndNxt = tcb.sndUna;
        }
        // ---- persist ----
        if (tcb.persistArmed && tcb.persistDeadline - now <= 0) {
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
        if (config.tcpKeepalive && tcb.state == TcpState.ESTABLISHED && tcb.sndMax == tcb.sndUna) {
            long idle = now - tcb.lastHeardNanos;
            long firstProbe = config.tcpKeepaliveIdleNanos;
            if (idle >= firstProbe) {
                long due = 1 + (idle - firstProbe) / config.tcpKeepaliveIntervalNanos;
                if (tcb.keepaliveProbesSent >= config.tcpKeepaliveProbes && due > config.tcpKeepaliveProbes) {
                    layer.transition(tcb, TcpState.CLOSED, TransitionCause.KEEPALIVE_TIMEOUT);
                    layer.finish(tcb, CloseReason.TIMED_OUT);
                    return work + 1;
                }
                if (due > tcb.keepaliveProbesSent && tcb.keepaliveProbesSent < config.tcpKeepaliveProbes) {
                    tcb.keepaliveProbesSent++;
                    layer.output.sendKeepalive(tcb, now);
                    work++;
                }
            }
        }
        // ---- FIN-WAIT-2 of a closed application ----
        if (tcb.finWait2Armed && tcb.state == TcpState.FIN_WAIT_2 && tcb.finWait2Deadline - now <= 0) {
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.FIN_WAIT_2_TIMEOUT);
            layer.finish(tcb, CloseReason.TIMED_OUT);
            return work + 1;
        }
        // ---- delayed ACK ----
        if (tcb.delayedAckArmed && tcb.delayedAckDeadline - now <= 0) {
            tcb.delayedAckArmed = false;
            tcb.ackNow = true;
            layer.counters.increment(TcpCounter.DELAYED_ACKS);
            work++;
        }
        return work;
    }

    /** The earliest time {@link #poll} has work, or now + Long.MAX_VALUE / 4 when none. */
    long nextDeadline(long now) {
        long next = now + NOTHING_SCHEDULED;
        TcbTable tcbs = layer.tcbs;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            if (!tcb.inUse) {
                continue;
            }
            if (tcb.ackNow || tcb.events != 0 || hasSendableData(tcb)) {
                return now;
            }
            if (tcb.rtoArmed) {
                next = earlier(next, tcb.rtoDeadline);
            }
            if (tcb.delayedAckArmed) {
                next = earlier(next, tcb.delayedAckDeadline);
            }
            if (tcb.persistArmed) {
                next = earlier(next, tcb.persistDeadline);
            }
            if (tcb.finWait2Armed) {
                next = earlier(next, tcb.finWait2Deadline);
            }
            if (config.tcpUserTimeoutNanos > 0 && tcb.sndMax != tcb.sndUna) {
                next = earlier(next, tcb.unackedSinceNanos + config.tcpUserTimeoutNanos);
            }
            if (config.tcpKeepalive && tcb.state == TcpState.ESTABLISHED) {
                long probe = tcb.lastHeardNanos + config.tcpKeepaliveIdleNanos
                        + tcb.keepaliveProbesSent * config.tcpKeepaliveIntervalNanos;
                next = earlier(next, probe);
            }
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
