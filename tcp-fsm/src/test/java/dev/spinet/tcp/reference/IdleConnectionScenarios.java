package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.await;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.idle;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;

import java.util.List;

/**
 * Connections where nothing happens: keepalive probes (RFC 1122 4.2.3.6) in the states where both
 * ends may fall silent, and the limit on a closed connection's FIN-WAIT-2 (no RFC sets one; both
 * stacks do, 60 s by default, here 2 s on each).
 */
final class IdleConnectionScenarios {

    private IdleConnectionScenarios() {
    }

    static List<Scenario> all() {
        String keepalive = "RFC 1122 4.2.3.6";
        return List.of(
                Scenario.of("ESTABLISHED", "keepalive: an idle connection is probed", keepalive)
                        // "Such a segment generally contains SEG.SEQ = SND.NXT-1 and may or may not contain one
                        // garbage octet of data." One idle second after the handshake's ACK.
                        .steps(Prefixes.established())
                        .step(call(UserCall.KEEPALIVE).expectNothing().setup())
                        .step(await().waitUpTo(2500).expect(segment(ACK).seq(0).ack(1))),
                Scenario.of("CLOSE-WAIT", "keepalive: the idle connection is probed", keepalive)
                        // The peer has finished; our application still holds the connection: a vanished peer
                        // is found only by probing.
                        .steps(Prefixes.closeWait())
                        .step(call(UserCall.KEEPALIVE).expectNothing().setup())
                        .step(await().waitUpTo(2500).expect(segment(ACK).seq(0).ack(2))),
                Scenario.of("FIN-WAIT-2", "keepalive: the half-closed connection is probed", keepalive)
                        // Our FIN is acknowledged (SND.NXT = L+2), the application still reads.
                        .steps(Prefixes.finWait2(UserCall.SHUTDOWN))
                        .step(call(UserCall.KEEPALIVE).expectNothing().setup())
                        .step(await().waitUpTo(2500).expect(segment(ACK).seq(1).ack(1))),
                Scenario.of("FIN-WAIT-2", "closed, the peer's FIN never comes: the connection is dropped", "RFC 9293 3.10.7.1 (after the FIN-WAIT-2 timeout)")
                        // RFC 9293 sets no limit on FIN-WAIT-2; with nobody left to abort it, a vanished peer
                        // would hold it for ever. After the limit (2 s here) the connection is CLOSED,
                        // silently, and the peer's next segment is answered "<SEQ=SEG.ACK><CTL=RST>".
                        .finWait2Timeout(2)
                        .steps(Prefixes.finWait2(UserCall.CLOSE))
                        .step(inject(ACK).seq(1).ack(2).expectNothing())
                        .step(idle(4000).expectNothing())
                        .step(inject(ACK).seq(1).ack(2).expect(segment(RST).seq(2))));
    }
}
