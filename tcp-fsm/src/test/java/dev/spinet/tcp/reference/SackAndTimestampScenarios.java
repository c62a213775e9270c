package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.List;

/**
 * The TCP options both stacks offer by default: SACK (RFC 2018) with D-SACK (RFC 2883) and loss
 * recovery on it (RFC 6675), and timestamps (RFC 7323) with PAWS and the TIME-WAIT rules of
 * RFC 6191. The peer offers them in its SYNs ({@link Scenario#peerSack}, {@link Scenario#peerTimestamps});
 * SACK blocks are written relative to P (the stack's) or L (the peer's), TSvals and TSecrs
 * relative to the peer's first TSval.
 */
final class SackAndTimestampScenarios {

    private SackAndTimestampScenarios() {
    }

    static List<Scenario> all() {
        String sack = "RFC 2018 section 4";
        String dsack = "RFC 2883 section 4";
        return List.of(
                Scenario.of("LISTEN", "SYN with SACK-permitted and timestamps", "RFC 2018 section 2, RFC 7323 3.2")
                        // "MAY send a TSopt in <SYN,ACK> only if it received a TSopt in the initial <SYN>";
                        // TSecr echoes the SYN's TSval (4.3).
                        .peerSack().peerTimestamps()
                        .steps(Prefixes.listening(0))
                        .step(inject(SYN).seq(0).tsVal(1).expect(segment(SYN | ACK).seq(0).ack(1).sackPermitted(true).tsEcr(1))),
                Scenario.of("SYN-SENT", "SYN offering SACK and timestamps, SYN,ACK with both", "RFC 2018 section 2, RFC 7323 3.2, 4.3")
                        // The <SYN>'s TSecr is 0; the ACK completing the handshake echoes the SYN,ACK's TSval.
                        .peerSack().peerTimestamps()
                        .step(call(UserCall.CONNECT).expect(segment(SYN).seq(0).sackPermitted(true).withTimestamps()))
                        .step(inject(SYN | ACK).seq(0).ack(1).tsVal(5).expect(segment(ACK).seq(1).ack(1).tsEcr(5))),
                Scenario.of("ESTABLISHED", "SACK: data after a hole", sack)
                        // "The first SACK block ... MUST specify the contiguous block of data containing
                        // the segment which triggered this ACK".
                        .peerSack()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(101).ack(1).length(10).expect(segment(ACK).seq(1).ack(1).sack(101, 111))),
                Scenario.of("ESTABLISHED", "SACK: a second block goes first", sack)
                        // "... the most recently received segment first", then "the most recently reported
                        // SACK blocks".
                        .peerSack()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(101).ack(1).length(10).expect(segment(ACK).seq(1).ack(1).sack(101, 111)).setup())
                        .step(inject(ACK).seq(201).ack(1).length(10).expect(segment(ACK).seq(1).ack(1).sack(201, 211, 101, 111))),
                Scenario.of("ESTABLISHED", "D-SACK: old duplicate data", dsack)
                        // "If the D-SACK block reports a duplicate contiguous sequence from ... data below the
                        // cumulative ACK, the first SACK block" reports it.
                        .peerSack()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11)).setup())
                        .step(inject(ACK).seq(1).ack(1).length(10).expect(segment(ACK).seq(1).ack(11).sack(1, 11))),
                Scenario.of("ESTABLISHED", "D-SACK: duplicate of data held out of order", dsack)
                        // "... then the second SACK block in that SACK option should specify that (possibly
                        // larger) block of data."
                        .peerSack()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(101).ack(1).length(20).expect(segment(ACK).seq(1).ack(1).sack(101, 121)).setup())
                        .step(inject(ACK).seq(101).ack(1).length(10).expect(segment(ACK).seq(1).ack(1).sack(101, 111, 101, 121))),
                Scenario.of("ESTABLISHED", "SACK: the one segment not SACKed is retransmitted", "RFC 6675 section 5")
                        // Four 1000-byte segments; the peer SACKs the last three: IsLost(HighACK + 1), so
                        // "(4.3) Retransmit the first data segment presumed dropped", and nothing SACKed.
                        .peerSack().peerMss(1000)
                        .steps(Prefixes.established())
                        .step(call(UserCall.SEND, 4000).atLeast(4).setup())
                        .step(inject(ACK).seq(1).ack(1).sack(1001, 4001).keepRetransmissions()
                                .expect(segment(ACK).seq(1).ack(1).length(1000)))
                        .step(inject(ACK).seq(1).ack(4001).expectNothing()),
                Scenario.of("ESTABLISHED", "timestamps: data is acknowledged echoing its TSval", "RFC 7323 4.3")
                        // "(4) When a TSopt is sent, its TSecr field is set to the current TS.Recent value."
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).tsVal(100).expect(segment(ACK).seq(1).ack(11).tsEcr(100))),
                Scenario.of("ESTABLISHED", "timestamps: TS.Recent is not taken from data after a hole", "RFC 7323 4.3")
                        // "(3) If SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent, then SEG.TSval is copied
                        // to TS.Recent": data past a hole is past Last.ACK.sent; the duplicate ACK echoes the
                        // handshake's ACK (TSval 2).
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(11).ack(1).length(10).tsVal(100).expect(segment(ACK).seq(1).ack(1).tsEcr(2))),
                Scenario.of("ESTABLISHED", "PAWS: in-sequence data with an older TSval", "RFC 7323 5.3")
                        // R1: "SEG.TSval < TS.Recent ... treat the arriving segment as not acceptable: Send an
                        // acknowledgment in reply ... and drop the segment."
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).tsVal(100).expect(segment(ACK).seq(1).ack(11).tsEcr(100)).setup())
                        .step(inject(ACK).seq(11).ack(1).length(10).tsVal(50).expect(segment(ACK).seq(1).ack(11).tsEcr(100))),
                Scenario.of("ESTABLISHED", "PAWS: in-sequence data with an older TSval, again at once", "RFC 7323 5.3")
                        // R1's "Send an acknowledgment in reply" for each copy: data is no ACK loop, so the
                        // second answer is not throttled (Linux: tcp_oow_rate_limited exempts data).
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).tsVal(100).expect(segment(ACK).seq(1).ack(11).tsEcr(100)).setup())
                        .step(inject(ACK).seq(11).ack(1).length(10).tsVal(50).expect(segment(ACK).seq(1).ack(11).tsEcr(100)).setup())
                        .step(inject(ACK).seq(11).ack(1).length(10).tsVal(50).expect(segment(ACK).seq(1).ack(11).tsEcr(100))),
                Scenario.of("ESTABLISHED", "D-SACK: a late original that fails PAWS", dsack + ", RFC 7323 5.3")
                        // A reordering path: the retransmission (TSval 200) fills the hole before the
                        // original (TSval 150) arrives; PAWS turns the original away, but it is a duplicate
                        // all the same, and "the first SACK block" reports it. Not throttled: it is data.
                        .peerSack().peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(11).ack(1).length(10).tsVal(100).expect(segment(ACK).seq(1).ack(1).sack(11, 21).tsEcr(2)).setup())
                        .step(inject(ACK).seq(1).ack(1).length(10).tsVal(200).expect(segment(ACK).seq(1).ack(21).tsEcr(200)).setup())
                        .step(inject(ACK).seq(1).ack(1).length(10).tsVal(150).expect(segment(ACK).seq(1).ack(21).sack(1, 11).tsEcr(200))),
                Scenario.of("ESTABLISHED", "timestamps: data without the option", "RFC 7323 3.2")
                        // "If a non-<RST> segment is received without a TSopt, a TCP SHOULD silently drop the
                        // segment."
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(ACK).seq(1).ack(1).length(10).noTimestamps().expectNothing())
                        .linuxDeviates("Linux processes a segment without the timestamps option on a connection that"
                                + " negotiated them, and acknowledges its data; RFC 7323 3.2: \"If a non-<RST> segment is"
                                + " received without a TSopt, a TCP SHOULD silently drop the segment.\""),
                Scenario.of("ESTABLISHED", "timestamps: SYN without the option", "RFC 5961 4.2, RFC 7323 3.2")
                        // RFC 5961 4.2: "If the SYN bit is set, irrespective of the sequence number, TCP MUST
                        // send an ACK (also referred to as challenge ACK)"; 3.2's "SHOULD silently drop" of a
                        // segment without TSopt yields to it (a peer restarted without timestamps).
                        .peerTimestamps()
                        .steps(Prefixes.established())
                        .step(inject(SYN).seq(100_000).noTimestamps().expect(segment(ACK).seq(1).ack(1).tsEcr(2))),
                Scenario.of("TIME-WAIT", "timestamps: SYN with a newer TSval below RCV.NXT", "RFC 6191 section 2")
                        // "if ... the timestamp contained in the incoming SYN segment is greater than the last
                        // timestamp seen on the previous incarnation ... honor the connection request".
                        .peerTimestamps()
                        .steps(Prefixes.timeWait(UserCall.CLOSE))
                        .step(inject(SYN).seq(-100_000).tsVal(1000).expect(segment(SYN | ACK).seq(0).ack(-99_999).tsEcr(1000))),
                Scenario.of("TIME-WAIT", "timestamps: SYN with an older TSval above RCV.NXT", "RFC 6191 section 2, RFC 5961 4.2")
                        // Not a new incarnation: RFC 6191 "silently drop[s]" it, RFC 5961 4.2 answers a SYN
                        // in a synchronized state with a challenge ACK.
                        .peerTimestamps()
                        .steps(Prefixes.timeWait(UserCall.CLOSE))
                        .step(inject(SYN).seq(100_000).tsVal(3).expectOneOf(List.of(), List.of(segment(ACK).seq(2).ack(2)))));
    }
}
