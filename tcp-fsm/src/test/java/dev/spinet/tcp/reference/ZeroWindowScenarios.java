package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.await;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.fillReceiveWindow;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.ArrayList;
import java.util.List;

/**
 * Zero windows both ways (RFC 9293 3.8.6.1): the stack's own closed window (the application does
 * not read), with the first check's row "SEG.LEN > 0, RCV.WND = 0: not acceptable" and its
 * allowance for ACKs and RSTs; and the peer's closed window, which the stack must probe.
 */
final class ZeroWindowScenarios {

    private ZeroWindowScenarios() {
    }

    static List<Scenario> all() {
        String first = "RFC 9293 3.10.7.4 first check, 3.8.6.1";
        return List.of(
                Scenario.of("ESTABLISHED", "zero window: one-octet probe is answered", first)
                        // "If the RCV.WND is zero, no segments will be acceptable, but special allowance
                        // should be made to accept valid ACKs, URGs, and RSTs"; 3.8.6.1: "When the
                        // receiving TCP peer has a zero window and a segment arrives, it must still send an
                        // acknowledgment showing its next expected sequence number and current window (zero)."
                        .smallReceiveBuffer()
                        .steps(closedWindow())
                        .step(inject(ACK).seq(Rel.rcvNxt(0)).ack(1).length(1)
                                .expect(segment(ACK).seq(1).ack(Rel.rcvNxt(0)).zeroWindow(true))),
                Scenario.of("ESTABLISHED", "zero window: pure ACK at RCV.NXT is acceptable", first)
                        // Row "SEG.LEN = 0, RCV.WND = 0: SEG.SEQ = RCV.NXT": acceptable, nothing to answer.
                        .smallReceiveBuffer()
                        .steps(closedWindow())
                        .step(inject(ACK).seq(Rel.rcvNxt(0)).ack(1).expectNothing()),
                Scenario.of("ESTABLISHED", "zero window: pure ACK at RCV.NXT+1", first)
                        // The same row: SEG.SEQ != RCV.NXT is not acceptable, so an ACK is sent.
                        .smallReceiveBuffer()
                        .steps(closedWindow())
                        .step(inject(ACK).seq(Rel.rcvNxt(1)).ack(1)
                                .expect(segment(ACK).seq(1).ack(Rel.rcvNxt(0)).zeroWindow(true))),
                Scenario.of("ESTABLISHED", "zero window: RST at RCV.NXT is accepted", first + ", RFC 5961 3.2")
                        // The allowance for RSTs: an exact RST resets the connection; data then finds none.
                        .smallReceiveBuffer()
                        .steps(closedWindow())
                        .step(inject(RST).seq(Rel.rcvNxt(0)).expectNothing())
                        .step(inject(ACK).seq(Rel.rcvNxt(0)).ack(1).length(1).expect(segment(RST).seq(1))),
                Scenario.of("ESTABLISHED", "zero window: the application reads, the window reopens", "RFC 9293 3.8.6.2.2")
                        // Receiver-side SWS avoidance sends the window update once the window can grow by
                        // min(RCV.BUFF/2, Eff.snd.MSS); reading everything frees the whole buffer.
                        .smallReceiveBuffer()
                        .steps(closedWindow())
                        .step(call(UserCall.READ, 65_536).expect(segment(ACK).seq(1).ack(Rel.rcvNxt(0)).zeroWindow(false))),
                Scenario.of("ESTABLISHED", "peer's zero window: the stack probes", "RFC 9293 3.8.6.1, RFC 1122 4.2.2.17")
                        // "The sending TCP peer must regularly transmit at least one octet of new data (if
                        // available), or retransmit to the receiving TCP peer even if the send window is
                        // zero, in order to 'probe' the window." A zero-length segment at SND.UNA-1 is the
                        // older probe form (an out-of-window segment the receiver must acknowledge); either
                        // draws the ACK that reopens the window. Nothing is sent before the timer.
                        .steps(Prefixes.listening(0))
                        .step(inject(SYN).seq(0).expect(segment(SYN | ACK).seq(0).ack(1)).setup())
                        .step(inject(ACK).seq(1).ack(1).window(0).expectNothing().setup())
                        .step(call(UserCall.SEND, 100).expectNothing())
                        .step(await().waitUpTo(3000).keepRetransmissions().expectOneOf(
                                List.of(segment(ACK).seq(1).ack(1).length(1)), List.of(segment(ACK).seq(0).ack(1))))
                        .step(inject(ACK).seq(1).ack(1).window(8192).expect(segment(ACK).seq(1).ack(1).length(100))));
    }

    /** ESTABLISHED, then data until the stack advertises a zero window (the application never reads). */
    private static List<Step> closedWindow() {
        List<Step> steps = new ArrayList<>(Prefixes.established());
        steps.add(fillReceiveWindow());
        return steps;
    }
}
