package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.idle;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;

import java.util.ArrayList;
import java.util.List;

/**
 * What the sender does with its congestion window where the window itself cannot be seen: RFC
 * 3042 limited transmit on the first duplicate ACKs of a peer without SACK, and RFC 5681 4.1's
 * restart window after an idle time. The peer's MSS is 100, so that a window is many segments;
 * the two stacks start from different initial windows (Spinet RFC 5681's four segments for this
 * MSS, Linux RFC 6928's ten), so every answer is written against SND.MAX, not a fixed number.
 * The kernel's sockets use Reno here, RFC 5681's congestion control: the namespace's default may be
 * BBR, which sets cwnd by its own model (it grows on duplicate ACKs) and skips
 * tcp_slow_start_after_idle altogether.
 */
final class CongestionScenarios {

    private static final int MSS = 100;

    private CongestionScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("ESTABLISHED", "limited transmit: a new segment for each of the first two duplicate ACKs", "RFC 3042 section 2")
                        // "a TCP sender SHOULD send a segment of previously unsent data in response to each
                        // of the first two duplicate acknowledgments that arrive at the sender, if: (a) The
                        // receiver's advertised window allows the transmission of the segment. (b) The amount
                        // of outstanding data would remain less than or equal to the congestion window plus 2
                        // segments." No SACK: NewReno, whose own rules would send nothing before the third.
                        .peerMss(MSS).kernelCongestionControl("reno")
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 3000).atLeast(4).setup())
                        .step(inject(ACK).seq(1).ack(1).expect(segment(ACK).seq(Rel.sndMax(0)).ack(1).length(MSS)))
                        .step(inject(ACK).seq(1).ack(1).expect(segment(ACK).seq(Rel.sndMax(0)).ack(1).length(MSS))),
                Scenario.of("ESTABLISHED", "restart window: after an idle time longer than the RTO, cwnd is the initial window", "RFC 5681 4.1")
                        // "TCP SHOULD set cwnd to no more than RW before beginning transmission if the TCP has
                        // not sent data in an interval exceeding the retransmission timeout", RW = min(IW,
                        // cwnd). Slow start first grows cwnd beyond IW (both stacks acknowledge flights until
                        // all 2000 bytes are through); after 2 s of silence the next 3000 bytes start with IW:
                        // four segments of 100 (RFC 5681 equation 3) or ten (RFC 6928, which Linux uses).
                        .peerMss(MSS).kernelCongestionControl("reno")
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 2000).atLeast(4).setup())
                        .steps(acknowledgeEverything(6))
                        .step(idle(2000).setup())
                        .step(call(UserCall.SEND, 3000).expectOneOf(flight(4), flight(10))));
    }

    /** {@code rounds} times: the peer acknowledges all the stack has sent, and the stack sends more. */
    private static List<Step> acknowledgeEverything(int rounds) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            steps.add(inject(ACK).seq(1).ack(Rel.sndMax(0)).setup());
        }
        return steps;
    }

    /** {@code segments} full segments of new data from SND.MAX on. */
    private static List<Expected> flight(int segments) {
        List<Expected> flight = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            flight.add(segment(ACK).seq(Rel.sndMax(i * MSS)).ack(1).length(MSS));
        }
        return flight;
    }
}
