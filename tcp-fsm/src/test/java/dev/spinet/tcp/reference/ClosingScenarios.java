package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.await;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.ArrayList;
import java.util.List;

/**
 * FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK and TIME-WAIT. TIME-WAIT is played twice:
 * reached after CLOSE (the application is done with the connection) and after SHUTDOWN (it
 * still holds it), since a stack may keep the two differently and must answer the same.
 */
final class ClosingScenarios {

    private ClosingScenarios() {
    }

    static List<Scenario> all() {
        String rst5961 = "RFC 5961 3.2";
        String syn5961 = "RFC 5961 4.2";
        String first = "RFC 9293 3.10.7.4 first check";
        String eighth = "RFC 9293 3.10.7.4 eighth check";
        List<Scenario> all = new ArrayList<>(List.of(
                Scenario.of("FIN-WAIT-1", "ACK of our FIN", "RFC 9293 3.10.7.4 fifth check")
                        // "if the FIN segment is now acknowledged, then enter FIN-WAIT-2": nothing to send.
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(inject(ACK).seq(1).ack(2).expectNothing()),
                Scenario.of("FIN-WAIT-1", "FIN not acknowledging ours (simultaneous close)", eighth)
                        // "FIN-WAIT-1 STATE: If our FIN has been ACKed (perhaps in this segment), then enter
                        // TIME-WAIT ...; otherwise, enter the CLOSING state", after acknowledging the FIN.
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("FIN-WAIT-1", "FIN acknowledging ours", eighth)
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("FIN-WAIT-1", "in-window RST (not exact)", rst5961)
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(2).ack(1))),
                Scenario.of("FIN-WAIT-1", "new data after CLOSE", "RFC 9293 3.6 (RFC 1122 4.2.2.13)")
                        // "... or if new data is received after CLOSE is called, its TCP SHOULD send a RST
                        // to show that data was lost (SHLD-2)." The RST's number is SEG.ACK (a reply to the
                        // segment, 3.10.7.1) or SND.NXT (an abort, 3.10.5); here they differ by the FIN.
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(inject(ACK).seq(1).ack(1).length(10).expectOneOf(
                                List.of(segment(RST).seq(1)), List.of(segment(RST).seq(2)))),
                Scenario.of("FIN-WAIT-1", "our FIN is retransmitted", "RFC 9293 3.10.4, RFC 6298 5.4")
                        // The FIN occupies sequence space and is retransmitted like data until acknowledged.
                        .steps(Prefixes.finWait1(UserCall.CLOSE))
                        .step(await().waitUpTo(2000).keepRetransmissions().expect(segment(FIN | ACK).seq(1).ack(1))),
                Scenario.of("FIN-WAIT-2", "FIN", eighth)
                        // "FIN-WAIT-2 STATE: Enter the TIME-WAIT state", acknowledging the FIN.
                        .steps(Prefixes.finWait2(UserCall.SHUTDOWN))
                        .step(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("FIN-WAIT-2", "data after SHUTDOWN", "RFC 9293 3.10.7.4 seventh check")
                        // "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE: ... deliver segment text
                        // to user RECEIVE buffers": a half-closed connection still receives.
                        .steps(Prefixes.finWait2(UserCall.SHUTDOWN))
                        .step(inject(ACK).seq(1).ack(2).length(10).expect(segment(ACK).seq(2).ack(11))),
                Scenario.of("FIN-WAIT-2", "new data after CLOSE", "RFC 9293 3.6 (RFC 1122 4.2.2.13)")
                        // SHLD-2 again; here SEG.ACK and SND.NXT agree.
                        .steps(Prefixes.finWait2(UserCall.CLOSE))
                        .step(inject(ACK).seq(1).ack(2).length(10).expect(segment(RST).seq(2))),
                Scenario.of("FIN-WAIT-2", "SYN", syn5961)
                        .steps(Prefixes.finWait2(UserCall.SHUTDOWN))
                        .step(inject(SYN).seq(1).expect(segment(ACK).seq(2).ack(1))),
                Scenario.of("FIN-WAIT-2", "in-window RST (not exact)", rst5961)
                        .steps(Prefixes.finWait2(UserCall.SHUTDOWN))
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(2).ack(1))),
                Scenario.of("CLOSE-WAIT", "retransmitted FIN", first)
                        // The FIN lies below RCV.NXT: not acceptable, so an ACK.
                        .steps(Prefixes.closeWait())
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(1).ack(2))),
                Scenario.of("CLOSE-WAIT", "retransmitted FIN, 12 times: every copy is acknowledged", first)
                        // Each copy is an unacceptable segment owed an ACK; a peer whose ACKs were lost
                        // keeps retransmitting its FIN until one gets through.
                        .steps(Prefixes.closeWait())
                        .step(inject(FIN | ACK).seq(1).ack(1).times(12)
                                .expect(EstablishedScenarios.repeat(segment(ACK).seq(1).ack(2), 12))),
                Scenario.of("CLOSE-WAIT", "CLOSE", "RFC 9293 3.10.4")
                        // "CLOSE-WAIT STATE: Queue this request until all preceding SENDs have been
                        // segmentized; then send a FIN segment, enter LAST-ACK state."
                        .steps(Prefixes.closeWait())
                        .step(call(UserCall.CLOSE).expect(segment(FIN | ACK).seq(1).ack(2))),
                Scenario.of("CLOSE-WAIT", "SEND", "RFC 9293 3.10.2")
                        // "CLOSE-WAIT STATE: Segmentize the buffer and send it."
                        .steps(Prefixes.closeWait())
                        .step(call(UserCall.SEND, 10).expect(segment(ACK).seq(1).ack(2).length(10))),
                Scenario.of("CLOSE-WAIT", "in-window RST (not exact)", rst5961)
                        .steps(Prefixes.closeWait())
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(1).ack(2))),
                Scenario.of("CLOSE-WAIT", "SYN", syn5961)
                        .steps(Prefixes.closeWait())
                        .step(inject(SYN).seq(2).expect(segment(ACK).seq(1).ack(2))),
                Scenario.of("CLOSING", "retransmitted FIN", first)
                        .steps(Prefixes.closing())
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("CLOSING", "ACK of our FIN, then a retransmitted FIN", "RFC 9293 3.10.7.4 fifth and eighth checks")
                        // "CLOSING STATE: ... if the ACK acknowledges our FIN, then enter the TIME-WAIT
                        // state"; "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL
                        // time-wait timeout", acknowledging the FIN.
                        .steps(Prefixes.closing())
                        .step(inject(ACK).seq(2).ack(2).expectNothing())
                        .step(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2).zeroWindow(false))),
                Scenario.of("LAST-ACK", "ACK of our FIN, then data", "RFC 9293 3.10.7.4 fifth check, 3.10.7.1")
                        // "LAST-ACK STATE: ... If our FIN is now acknowledged, delete the TCB, enter the
                        // CLOSED state, and return." A later segment finds no connection.
                        .steps(Prefixes.lastAck())
                        .step(inject(ACK).seq(2).ack(2).expectNothing())
                        .step(inject(ACK).seq(2).ack(2).length(5).expect(segment(RST).seq(2))),
                Scenario.of("LAST-ACK", "retransmitted FIN", first)
                        .steps(Prefixes.lastAck())
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("LAST-ACK", "in-window RST (not exact)", rst5961)
                        .steps(Prefixes.lastAck())
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(2).ack(2))),
                Scenario.of("LAST-ACK", "our FIN is retransmitted", "RFC 9293 3.10.4, RFC 6298 5.4")
                        .steps(Prefixes.lastAck())
                        .step(await().waitUpTo(2000).keepRetransmissions().expect(segment(FIN | ACK).seq(1).ack(2)))));
        all.addAll(timeWait(UserCall.CLOSE, "TIME-WAIT"));
        all.addAll(timeWait(UserCall.SHUTDOWN, "TIME-WAIT (socket open)"));
        return all;
    }

    /** The TIME-WAIT scenarios, reached through {@code call} (CLOSE or SHUTDOWN). */
    private static List<Scenario> timeWait(UserCall call, String state) {
        return List.of(
                Scenario.of(state, "retransmitted FIN", "RFC 9293 3.10.7.4 eighth check")
                        // "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
                        // timeout." The FIN is acknowledged again.
                        // 3.8.6: "This so-called 'shrinking the window' is strongly discouraged": RCV.NXT
                        // has not moved, so the window offered must not close.
                        .steps(Prefixes.timeWait(call))
                        .step(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2).zeroWindow(false))),
                Scenario.of(state, "in-window RST (not exact)", "RFC 5961 3.2")
                        // RFC 9293 3.10.7.4 second check lists the RFC 5961 rules for every synchronized
                        // state, TIME-WAIT included: "If the RST bit is set and the sequence number does not
                        // exactly match the next expected sequence value, yet is within the current receive
                        // window, TCP endpoints MUST send an acknowledgment (challenge ACK)".
                        .steps(Prefixes.timeWait(call))
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(2).ack(2)))
                        .linuxDeviates("Linux's TIME-WAIT drops a RST whose sequence number is not exactly RCV.NXT"
                                + " without the challenge ACK RFC 5961 3.2 requires (an exact RST ends TIME-WAIT, since"
                                + " net.ipv4.tcp_rfc1337 is 0 by default)."),
                Scenario.of(state, "exact RST, then a retransmitted FIN", "RFC 9293 3.10.7.4 second check; RFC 1337 section 3")
                        // "TIME-WAIT STATE: If the RST bit is set, then enter the CLOSED state, delete the
                        // TCB, and return." The FIN then finds no connection: <SEQ=SEG.ACK><CTL=RST>. RFC 1337
                        // section 3 ("Fix: ... ignore RST segments in TIME-WAIT state"), which RFC 9293 did not
                        // adopt but does not forbid, keeps TIME-WAIT: the FIN is acknowledged again.
                        .steps(Prefixes.timeWait(call))
                        .step(inject(RST).seq(2).expectNothing())
                        .step(inject(FIN | ACK).seq(1).ack(2).expectOneOf(
                                List.of(segment(RST).seq(2)), List.of(segment(ACK).seq(2).ack(2)))),
                Scenario.of(state, "exact RST is ignored (TIME-WAIT assassination)", "RFC 1337 section 3")
                        // Hazard TW2: an old duplicate draws an ACK from TIME-WAIT, the peer (with no
                        // connection left) answers it with a RST at exactly RCV.NXT, and TIME-WAIT ends early,
                        // so a new incarnation may meet old duplicates. "Fix: Ignore RST segments in TIME-WAIT
                        // state": the RST changes nothing and the retransmitted FIN is acknowledged.
                        .steps(Prefixes.timeWait(call))
                        .step(inject(ACK).seq(0).ack(2).expect(segment(ACK).seq(2).ack(2)).setup())
                        .step(inject(RST).seq(2).expectNothing())
                        .step(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2)))
                        .linuxDeviates("Linux ends TIME-WAIT on a RST at exactly RCV.NXT: net.ipv4.tcp_rfc1337 is 0"
                                + " by default (RFC 9293 3.10.7.4's rule); with it set to 1 Linux ignores the RST as"
                                + " RFC 1337 section 3 recommends and as Spinet does by default (StackConfig.tcpRfc1337)."),
                Scenario.of(state, "segment below the window", "RFC 9293 3.10.7.4 first check")
                        .steps(Prefixes.timeWait(call))
                        .step(inject(ACK).seq(0).ack(2).expect(segment(ACK).seq(2).ack(2).zeroWindow(false))),
                Scenario.of(state, "new SYN above RCV.NXT", "RFC 5961 4.2; RFC 1122 4.2.2.13, RFC 6191")
                        // RFC 5961 4.2 (a synchronized state): challenge ACK. RFC 1122 4.2.2.13 "MAY accept
                        // a new SYN from the remote TCP to reopen the connection directly from TIME-WAIT
                        // state" when its sequence number is larger: a SYN,ACK of a new connection.
                        .steps(Prefixes.timeWait(call))
                        .step(inject(SYN).seq(100_000).expectOneOf(
                                List.of(segment(ACK).seq(2).ack(2)), List.of(segment(SYN | ACK).seq(0).ack(100_001)))));
    }
}
