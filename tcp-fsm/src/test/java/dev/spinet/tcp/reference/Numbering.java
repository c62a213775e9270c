package dev.spinet.tcp.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's frame of reference, so that two stacks with different initial sequence numbers
 * can be compared: the peer's ISN P is chosen by the scenario, the stack's ISN L is learnt from
 * the SYN it sends (and learnt again when it sends a new one, for example a SYN,ACK of a reopened
 * connection). Also tracks what the stack last told the peer (RCV.NXT and its window) and the
 * highest sequence number it has sent, which later segments of a scenario are written against.
 */
final class Numbering {

    final int peerPort;
    final int peerIsn;
    int stackPort;
    /** Absolute; 0 until the stack sends a SYN, so that numbers before it stay absolute. */
    int stackIsn;
    /** RCV.NXT as the stack last advertised it, relative to P (1 once a SYN is acknowledged). */
    int rcvNxt = 1;
    /** The stack's last advertised window, unscaled (scripts never offer window scaling). */
    int window = -1;
    /** SND.MAX relative to L: one past the highest sequence number the stack has sent. */
    int sndMax;
    /** The stack's last TSval (RFC 7323), which the peer's next segment echoes; 0 before any. */
    int stackTsVal;
    /** The peer's last TSval, relative to {@link ScenarioRunner#PEER_TS_BASE}; each segment's is one more unless a step sets it. */
    int peerTsVal;
    /** The segments occupying sequence space the stack sent on this connection since its last new ISN. */
    final List<Observed> sequenceSegmentsSent = new ArrayList<>();

    Numbering(int peerPort, int peerIsn, int stackPort) {
        this.peerPort = peerPort;
        this.peerIsn = peerIsn;
        this.stackPort = stackPort;
    }

    Numbering copy() {
        Numbering copy = new Numbering(peerPort, peerIsn, stackPort);
        copy.stackIsn = stackIsn;
        copy.rcvNxt = rcvNxt;
        copy.window = window;
        copy.sndMax = sndMax;
        copy.stackTsVal = stackTsVal;
        copy.peerTsVal = peerTsVal;
        return copy;
    }
}
