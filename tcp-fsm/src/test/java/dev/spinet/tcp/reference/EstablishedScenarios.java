package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.await;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.List;

/**
 * ESTABLISHED: segment acceptability (3.10.7.4 first check, the four cases), RFC 5961 challenge
 * ACKs, FIN, the user calls, and the data retransmission schedule.
 */
final class EstablishedScenarios {

    private EstablishedScenarios() {
    }

    static List<Scenario> all() {
        String first = "RFC 9293 3.10.7.4 first check";
        return List.of(
                Scenario.of("ESTABLISHED", "data in the window", "RFC 9293 3.10.7.4 seventh check")
                        // "Send an acknowledgment of the form <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11))),
                Scenario.of("ESTABLISHED", "old duplicate data", first)
                        // SEG.SEQ+SEG.LEN-1 < RCV.NXT: "If an incoming segment is not acceptable, an
                        // acknowledgment should be sent in reply ... <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11)).setup())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11))),
                Scenario.of("ESTABLISHED", "old duplicate data, 12 times: every copy is acknowledged", first)
                        // The same rule for every copy. RFC 5961 10 asks to throttle challenge ACKs (the
                        // ones RFC 5961 adds), not the acknowledgments 3.10.7.4 requires for duplicates,
                        // which a peer that lost our ACKs needs to stop retransmitting.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11)).setup())
                        .step(inject(ACK).seq(1).ack(1).length(10).times(12).expect(repeat(segment(ACK).seq(1).ack(11), 12))),
                Scenario.of("ESTABLISHED", "data beyond the right edge of the window", first)
                        // Neither RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND nor the last octet is in the window.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(Rel.rightEdge(100)).ack(1).length(10).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "pure ACK below RCV.NXT", first)
                        // SEG.LEN = 0, RCV.WND > 0: acceptable only if RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(0).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "pure ACK at RCV.NXT+RCV.WND", first)
                        // The same case at the right edge: SEG.SEQ < RCV.NXT+RCV.WND is false.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(Rel.rightEdge(0)).ack(1).expect(segment(ACK).seq(1).ack(1)))
                        .linuxDeviates("Linux takes a zero-length segment with SEG.SEQ = RCV.NXT+RCV.WND as acceptable"
                                + " (its test is SEG.SEQ =< RCV.NXT+RCV.WND) and sends nothing; the four-case table of"
                                + " 3.10.7.4 makes it acceptable only if \"RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND\"."),
                Scenario.of("ESTABLISHED", "pure ACK far beyond the window", first)
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(Rel.rightEdge(1000)).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "data straddling the left edge", first)
                        // SEG.LEN > 0: acceptable when its last octet is in the window; "only the new parts
                        // are processed": 5 new bytes.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11)).setup())
                        .step(inject(ACK).seq(6).ack(1).length(10).expect(segment(ACK).seq(1).ack(16))),
                Scenario.of("ESTABLISHED", "data after a hole", "RFC 9293 3.10.7.4, RFC 5681 4.2")
                        // Acceptable but not at RCV.NXT: held for later; RFC 5681 4.2: "A TCP receiver
                        // SHOULD send an immediate duplicate ACK when an out-of-order segment arrives."
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(101).ack(1).length(10).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "FIN after a hole", "RFC 9293 3.10.7.4 eighth check")
                        // The FIN is not at RCV.NXT, so it cannot be processed yet: a duplicate ACK.
                        .steps(Prefixes.established())
                        .step(inject(FIN | ACK).seq(11).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "in-window RST (not exact)", "RFC 5961 3.2, RFC 9293 3.10.7.4 second check")
                        // "If the RST bit is set and the sequence number does not exactly match the next
                        // expected sequence value, yet is within the current receive window, TCP MUST send
                        // an acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
                        .steps(Prefixes.established())
                        .step(inject(RST).seq(100).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "exact RST, then data", "RFC 5961 3.2, RFC 9293 3.10.7.1")
                        // "If the RST bit is set and the sequence number exactly matches the next expected
                        // sequence number (RCV.NXT), then TCP MUST reset the connection." Data then finds
                        // no connection: <SEQ=SEG.ACK><CTL=RST>.
                        .steps(Prefixes.established())
                        .step(inject(RST).seq(1).expectNothing())
                        .step(inject(ACK).seq(1).ack(1).length(5).expect(segment(RST).seq(1))),
                Scenario.of("ESTABLISHED", "RST outside the window", "RFC 5961 3.2")
                        // "If the RST bit is set and the sequence number is outside the current receive
                        // window, silently drop the segment." The connection still takes data.
                        .steps(Prefixes.established())
                        .step(inject(RST).seq(Rel.rightEdge(1000)).expectNothing())
                        .step(inject(ACK).seq(1).ack(1).length(5).expect(segment(ACK).seq(1).ack(6))),
                Scenario.of("ESTABLISHED", "SYN", "RFC 5961 4.2, RFC 9293 3.10.7.4 fourth check")
                        // "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an ACK
                        // (also referred to as challenge ACK) to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
                        .steps(Prefixes.established())
                        .step(inject(SYN).seq(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "ACK of data not yet sent", "RFC 5961 5.2, RFC 9293 3.10.7.4 fifth check")
                        // RFC 9293: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send
                        // an ACK, drop the segment, and return." RFC 5961 5.2: segments whose ACK value is
                        // outside (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT "MUST be discarded and an
                        // ACK sent back".
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1001).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "ACK older than SND.UNA - MAX.SND.WND", "RFC 5961 5.2")
                        // The other side of the same range.
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1 - 100_000).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "FIN", "RFC 9293 3.10.7.4 eighth check")
                        // "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN" (CLOSE-WAIT).
                        .steps(Prefixes.established())
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(1).ack(2))),
                Scenario.of("ESTABLISHED", "data and FIN in one segment", "RFC 9293 3.10.7.4 seventh and eighth checks")
                        .steps(Prefixes.established())
                        .step(inject(FIN | ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(12))),
                Scenario.of("ESTABLISHED", "CLOSE", "RFC 9293 3.10.4")
                        // "Queue this until all preceding SENDs have been segmentized, then form a FIN
                        // segment and send it. In any case, enter FIN-WAIT-1 state."
                        .steps(Prefixes.established())
                        .step(call(UserCall.CLOSE).expect(segment(FIN | ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "ABORT", "RFC 9293 3.10.5")
                        // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
                        .steps(Prefixes.established())
                        .step(call(UserCall.ABORT).expect(segment(RST).seq(1))),
                Scenario.of("ESTABLISHED", "SEND", "RFC 9293 3.10.2")
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 100).expect(segment(ACK).seq(1).ack(1).length(100))),
                Scenario.of("ESTABLISHED", "lost data is retransmitted with backoff", "RFC 6298 5.4, 5.5")
                        // 5.4: "Retransmit the earliest segment that has not been acknowledged"; 5.5:
                        // "The host MUST set RTO <- RTO * 2 ('back off the timer')".
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 100).expect(segment(ACK).seq(1).ack(1).length(100)).backoff(3).waitUpTo(4000)),
                Scenario.of("ESTABLISHED", "ABORT after a retransmission timeout", "RFC 9293 3.10.5, 3.3.1")
                        // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>". SND.NXT is the next sequence
                        // number to send (3.3.1); a retransmission re-sends old octets and does not take it
                        // back, so the RST carries the highest sequence number sent (SND.MAX in RFC 6298
                        // terms), which is what the peer's RCV.NXT may already be.
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 2 * ScenarioRunner.PEER_MSS).atLeast(2).setup())
                        .step(await().atLeast(1).waitUpTo(3000).keepRetransmissions().setup())
                        .step(call(UserCall.ABORT).expect(segment(RST).seq(1 + 2 * ScenarioRunner.PEER_MSS))),
                Scenario.of("ESTABLISHED", "CLOSE with unread data", "RFC 9293 3.6 (RFC 1122 4.2.2.13)")
                        // "If such a host issues a CLOSE call while received data is still pending in TCP,
                        // or if new data is received after CLOSE is called, its TCP SHOULD send a RST to
                        // show that data was lost (SHLD-2)."
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11)).setup())
                        .step(call(UserCall.CLOSE).expect(segment(RST).seq(1))),
                Scenario.of("ESTABLISHED", "challenge ACK budget is per connection", "RFC 5961 7, 10")
                        // RFC 5961 7: "An implementation SHOULD include an ACK throttling mechanism to be
                        // conservative." A budget shared by all connections lets one connection (or an
                        // attacker spraying it, CVE-2016-5696) silence the challenge ACKs another
                        // connection owes its own peer: after connection 0 used up its budget,
                        // connection 1's first in-window RST is still answered.
                        .connections(2)
                        .steps(Prefixes.established(0))
                        .steps(Prefixes.established(1))
                        .step(inject(RST).on(0).seq(100).times(12))
                        .step(inject(RST).on(1).seq(100).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("ESTABLISHED", "SYN-SENT handshake, then data (active open)", "RFC 9293 3.10.7.4 seventh check")
                        .steps(Prefixes.connected())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11))));
    }

    static Expected[] repeat(Expected segment, int count) {
        Expected[] all = new Expected[count];
        java.util.Arrays.fill(all, segment);
        return all;
    }
}
