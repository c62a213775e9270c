package dev.spinet.tcp.reference;

import static dev.spinet.tcp.reference.Expected.segment;
import static dev.spinet.tcp.reference.Step.call;
import static dev.spinet.tcp.reference.Step.inject;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.SYN;

import java.util.ArrayList;
import java.util.List;

/**
 * The setup steps that bring a connection into a state, every segment of them checked, so a
 * scenario starts from exactly the state it names. P is the peer's ISN, L the stack's.
 */
final class Prefixes {

    private Prefixes() {
    }

    /** LISTEN on the connection's stack port. */
    static List<Step> listening(int connection) {
        return List.of(call(UserCall.LISTEN).on(connection).expectNothing().setup());
    }

    /** Passive open: LISTEN, the peer's SYN, our SYN,ACK: SYN-RECEIVED. */
    static List<Step> synReceived(int connection) {
        List<Step> steps = new ArrayList<>(listening(connection));
        steps.add(inject(SYN).on(connection).seq(0).expect(segment(SYN | ACK).seq(0).ack(1)).setup());
        return steps;
    }

    /** Passive open through the three-way handshake: ESTABLISHED. */
    static List<Step> established(int connection) {
        List<Step> steps = new ArrayList<>(synReceived(connection));
        steps.add(inject(ACK).on(connection).seq(1).ack(1).expectNothing().setup());
        return steps;
    }

    static List<Step> established() {
        return established(0);
    }

    /** Active open: CONNECT, our SYN: SYN-SENT. */
    static List<Step> synSent() {
        return List.of(call(UserCall.CONNECT).expect(segment(SYN).seq(0)).setup());
    }

    /** Active open through the handshake: ESTABLISHED. */
    static List<Step> connected() {
        List<Step> steps = new ArrayList<>(synSent());
        steps.add(inject(SYN | ACK).seq(0).ack(1).expect(segment(ACK).seq(1).ack(1)).setup());
        return steps;
    }

    /** ESTABLISHED, then {@code call} (CLOSE or SHUTDOWN): our FIN, FIN-WAIT-1. */
    static List<Step> finWait1(UserCall call) {
        List<Step> steps = new ArrayList<>(established());
        steps.add(call(call).expect(segment(FIN | ACK).seq(1).ack(1)).setup());
        return steps;
    }

    /** FIN-WAIT-1, then the peer acknowledges our FIN: FIN-WAIT-2. */
    static List<Step> finWait2(UserCall call) {
        List<Step> steps = new ArrayList<>(finWait1(call));
        steps.add(inject(ACK).seq(1).ack(2).expectNothing().setup());
        return steps;
    }

    /** ESTABLISHED, then the peer's FIN, acknowledged: CLOSE-WAIT. */
    static List<Step> closeWait() {
        List<Step> steps = new ArrayList<>(established());
        steps.add(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(1).ack(2)).setup());
        return steps;
    }

    /** CLOSE-WAIT, then CLOSE: our FIN, LAST-ACK. */
    static List<Step> lastAck() {
        List<Step> steps = new ArrayList<>(closeWait());
        steps.add(call(UserCall.CLOSE).expect(segment(FIN | ACK).seq(1).ack(2)).setup());
        return steps;
    }

    /** FIN-WAIT-1, then the peer's FIN not acknowledging ours (simultaneous close): CLOSING. */
    static List<Step> closing() {
        List<Step> steps = new ArrayList<>(finWait1(UserCall.CLOSE));
        steps.add(inject(FIN | ACK).seq(1).ack(1).expect(segment(ACK).seq(2).ack(2)).setup());
        return steps;
    }

    /** FIN-WAIT-2, then the peer's FIN, acknowledged: TIME-WAIT. */
    static List<Step> timeWait(UserCall call) {
        List<Step> steps = new ArrayList<>(finWait2(call));
        steps.add(inject(FIN | ACK).seq(1).ack(2).expect(segment(ACK).seq(2).ack(2)).setup());
        return steps;
    }
}
