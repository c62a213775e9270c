package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.List;

/**
 * CLOSED (no connection, no listener) and LISTEN: RFC 9293 3.10.7.1 and 3.10.7.2, and the
 * reset formats of 3.5.2. With no connection there is no ISN L, so "L+n" is the absolute n.
 */
final class ClosedAndListenScenarios {

    private ClosedAndListenScenarios() {
    }

    static List<Scenario> all() {
        // 3.10.7.1: "If the ACK bit is off, sequence number zero is used,
        // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>."
        String closed = "RFC 9293 3.10.7.1";
        String listen = "RFC 9293 3.10.7.2";
        return List.of(
                Scenario.of("CLOSED", "SYN", closed)
                        .step(inject(SYN).seq(0).expect(segment(RST | ACK).seq(0).ack(1))),
                Scenario.of("CLOSED", "ACK", closed)
                        .step(inject(ACK).seq(1).ack(5000).expect(segment(RST).seq(5000))),
                Scenario.of("CLOSED", "data without ACK", closed)
                        .step(inject(PSH).seq(1).length(10).expect(segment(RST | ACK).seq(0).ack(11))),
                Scenario.of("CLOSED", "FIN without ACK", closed)
                        // SEG.LEN counts the FIN.
                        .step(inject(FIN).seq(1).expect(segment(RST | ACK).seq(0).ack(2))),
                Scenario.of("CLOSED", "SYN carrying data", closed)
                        .step(inject(SYN).seq(0).length(20).expect(segment(RST | ACK).seq(0).ack(21))),
                Scenario.of("CLOSED", "RST", closed)
                        // "An incoming segment containing a RST is discarded."
                        .step(inject(RST).seq(1).expectNothing()),
                Scenario.of("LISTEN", "ACK", listen)
                        // "Any acknowledgment is bad if it arrives on a connection still in the LISTEN
                        // state. An acceptable reset segment should be formed ... <SEQ=SEG.ACK><CTL=RST>"
                        .steps(Prefixes.listening(0))
                        .step(inject(ACK).seq(1).ack(7777).expect(segment(RST).seq(7777))),
                Scenario.of("LISTEN", "SYN,ACK", listen)
                        // The ACK check comes before the SYN check.
                        .steps(Prefixes.listening(0))
                        .step(inject(SYN | ACK).seq(0).ack(9999).expect(segment(RST).seq(9999))),
                Scenario.of("LISTEN", "RST, then SYN", listen)
                        // "An incoming RST segment could not be valid since it could not have been sent in
                        // response to anything sent by this incarnation of the connection. An incoming RST
                        // should be ignored." The listener still answers a SYN afterwards.
                        .steps(Prefixes.listening(0))
                        .step(inject(RST).seq(0).expectNothing())
                        .step(inject(SYN).seq(0).expect(segment(SYN | ACK).seq(0).ack(1))),
                Scenario.of("LISTEN", "SYN", listen)
                        // "... form a SYN segment and send it ... <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"
                        .steps(Prefixes.listening(0))
                        .step(inject(SYN).seq(0).expect(segment(SYN | ACK).seq(0).ack(1))),
                Scenario.of("LISTEN", "FIN without ACK", listen)
                        // "Fourth, other data or control ... Any other control or text-bearing segment (not
                        // containing SYN) must have an ACK ... Drop the segment and return."
                        .steps(Prefixes.listening(0))
                        .step(inject(FIN).seq(1).expectNothing()));
    }
}
