package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.List;

/** SYN-SENT (3.10.7.3) and SYN-RECEIVED (3.10.7.4), the SYN's retransmission schedule. */
final class HandshakeScenarios {

    /** Why Linux answers a SYN,ACK with text by acknowledging only the SYN. */
    private static final String SYN_ACK_TEXT = "Linux acknowledges only the SYN (P+1) and discards the text of a"
            + " SYN,ACK, which the peer then has to retransmit; RFC 9293 3.10.7.3: \"If there are other controls or text"
            + " in the segment, then continue processing at the sixth step under Section 3.10.7.4\".";

    private HandshakeScenarios() {
    }

    static List<Scenario> all() {
        String synSent = "RFC 9293 3.10.7.3";
        String otherwise = "RFC 9293 3.10.7.4";
        return List.of(
                Scenario.of("SYN-SENT", "SYN,ACK", synSent)
                        // "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
                        // ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
                        .steps(Prefixes.synSent())
                        .step(inject(SYN | ACK).seq(0).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("SYN-SENT", "ACK that does not acknowledge the SYN", synSent)
                        // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set,
                        // if so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>"
                        .steps(Prefixes.synSent())
                        .step(inject(ACK).seq(0).ack(100).expect(segment(RST).seq(100))),
                Scenario.of("SYN-SENT", "RST,ACK acknowledging the SYN", synSent)
                        // "If the ACK was acceptable, then signal to the user 'error: connection reset',
                        // drop the segment, enter CLOSED state". The SYN,ACK that follows finds no
                        // connection: <SEQ=SEG.ACK><CTL=RST> (3.10.7.1).
                        .steps(Prefixes.synSent())
                        .step(inject(RST | ACK).seq(0).ack(1).expectNothing())
                        .step(inject(SYN | ACK).seq(0).ack(1).expect(segment(RST).seq(1))),
                Scenario.of("SYN-SENT", "RST,ACK with an unacceptable ACK", synSent)
                        // "If the ACK bit is set, If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
                        // (unless the RST bit is set, if so drop the segment and return)": still SYN-SENT.
                        .steps(Prefixes.synSent())
                        .step(inject(RST | ACK).seq(0).ack(100).expectNothing())
                        .step(inject(SYN | ACK).seq(0).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("SYN-SENT", "RST without ACK", synSent)
                        // "Otherwise (no ACK), drop the segment and return" (RFC 5961 3.2: in SYN-SENT a
                        // RST is acceptable only when it acknowledges the SYN).
                        .steps(Prefixes.synSent())
                        .step(inject(RST).seq(0).expectNothing())
                        .step(inject(SYN | ACK).seq(0).ack(1).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("SYN-SENT", "SYN (simultaneous open)", synSent)
                        // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
                        // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it."
                        .steps(Prefixes.synSent())
                        .step(inject(SYN).seq(0).expect(segment(SYN | ACK).seq(0).ack(1)))
                        .step(inject(ACK).seq(1).ack(1).expectNothing()),
                Scenario.of("SYN-SENT", "SYN,ACK carrying data", synSent)
                        // "If there are other controls or text in the segment, then continue processing at
                        // the sixth step under Section 3.10.7.4 where the URG bit is checked": the text
                        // is accepted and acknowledged.
                        .steps(Prefixes.synSent())
                        .step(inject(SYN | ACK).seq(0).ack(1).length(20).expect(segment(ACK).seq(1).ack(21)))
                        .linuxDeviates(SYN_ACK_TEXT),
                Scenario.of("SYN-SENT", "SYN,ACK carrying more data than the window", synSent)
                        // 3.10.7.3: "Data or controls that were queued for transmission may be included. If
                        // there are other controls or text in the segment, then continue processing at the
                        // sixth step"; 3.10.7.4: "Segments with higher beginning sequence numbers ... If a
                        // segment's contents straddle the boundary between old and new, only the new parts
                        // are processed" and data beyond RCV.WND is trimmed: the ACK covers the window only.
                        .smallReceiveBuffer()
                        .steps(Prefixes.synSent())
                        .step(inject(SYN | ACK).seq(0).ack(1).length(new Rel(n -> Math.min(n.window + 100, 1400), "RCV.WND+100"))
                                .expect(segment(ACK).seq(1).ack(new Rel(n -> 1 + Math.min(n.window, 1400), "1+RCV.WND"))))
                        .linuxDeviates(SYN_ACK_TEXT),
                Scenario.of("SYN-SENT", "lost SYN is retransmitted with backoff", "RFC 6298 5.5, RFC 9293 3.8.1")
                        // RFC 6298 5.5: "The host MUST set RTO <- RTO * 2 ('back off the timer')".
                        .step(call(UserCall.CONNECT).expect(segment(SYN).seq(0)).backoff(3).waitUpTo(5000))
                        .linuxDeviates("Linux retransmits the first SYNs at a constant interval"
                                + " (net.ipv4.tcp_syn_linear_timeouts, 4 linear retransmissions by default) and backs off"
                                + " only after them; RFC 6298 5.5: \"The host MUST set RTO <- RTO * 2\" after each expiry."),
                Scenario.of("SYN-RECEIVED", "retransmitted SYN", otherwise)
                        // First check: SEG.SEQ < RCV.NXT, "not acceptable ... an acknowledgment should be
                        // sent in reply <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"; a retransmitted SYN,ACK carries
                        // the same acknowledgment (and is what most stacks send).
                        .steps(Prefixes.synReceived(0))
                        .step(inject(SYN).seq(0).keepRetransmissions().expectOneOf(
                                List.of(segment(ACK).seq(1).ack(1)), List.of(segment(SYN | ACK).seq(0).ack(1)))),
                Scenario.of("SYN-RECEIVED", "segment outside the window", otherwise)
                        // First check, then "If an incoming segment is not acceptable, an acknowledgment
                        // should be sent in reply".
                        .steps(Prefixes.synReceived(0))
                        .step(inject(ACK).seq(200_000).ack(1).keepRetransmissions().expectOneOf(
                                List.of(segment(ACK).seq(1).ack(1)), List.of(segment(SYN | ACK).seq(0).ack(1)))),
                Scenario.of("SYN-RECEIVED", "ACK that does not acknowledge the SYN,ACK", otherwise)
                        // Fifth check: "If the segment acknowledgment is not acceptable, form a reset
                        // segment <SEQ=SEG.ACK><CTL=RST> and send it."
                        .steps(Prefixes.synReceived(0))
                        .step(inject(ACK).seq(1).ack(100).expect(segment(RST).seq(100))),
                Scenario.of("SYN-RECEIVED", "RST, then the handshake's ACK", otherwise)
                        // Second check: "If this connection was initiated with a passive OPEN (i.e., came
                        // from the LISTEN state), then return this connection to LISTEN state". The ACK then
                        // finds only the listener: <SEQ=SEG.ACK><CTL=RST>.
                        .steps(Prefixes.synReceived(0))
                        .step(inject(RST).seq(1).expectNothing())
                        .step(inject(ACK).seq(1).ack(1).expect(segment(RST).seq(1))),
                Scenario.of("SYN-RECEIVED", "new SYN in the window (passive open)", otherwise)
                        // Fourth check: "SYN-RECEIVED STATE: If the connection was initiated with a passive
                        // OPEN, then return this connection to the LISTEN state and return." Nothing is
                        // sent; the handshake's ACK afterwards finds only the listener and gets a reset.
                        .steps(Prefixes.synReceived(0))
                        .step(inject(SYN).seq(1000).expectNothing())
                        .step(inject(ACK).seq(1).ack(1).expect(segment(RST).seq(1)))
                        .linuxDeviates("Linux follows RFC 793's older rule, \"If the SYN is in the window it is an error,"
                                + " send a reset\": a RST,ACK with SEQ=0 acknowledging the new SYN, and the half-open"
                                + " connection is dropped. RFC 9293 3.10.7.4 returns a passively opened connection to"
                                + " LISTEN without sending anything."),
                Scenario.of("SYN-RECEIVED", "the handshake's ACK carrying data", otherwise)
                        // Fifth check: "enter ESTABLISHED state and continue processing"; seventh: the
                        // text is delivered and "Send an acknowledgment of the form
                        // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".
                        .steps(Prefixes.synReceived(0))
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11))),
                Scenario.of("SYN-RECEIVED", "the handshake's ACK carrying FIN", otherwise)
                        // Eighth check: "SYN-RECEIVED STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state"
                        // after "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN".
                        .steps(Prefixes.synReceived(0))
                        .step(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(1).ack(2))));
    }
}
