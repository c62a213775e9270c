package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.Scenes.A_CLOSES_B_FOLLOWS;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;

/**
 * Loss on an established connection: three timeouts in a row (RTO backoff, Karn), then one loss in
 * a burst (fast retransmit). A timeline lab: the states only open and close (text: text/retransmission.txt).
 */
final class RetransmissionLab {

    private RetransmissionLab() {
    }

    static Lab lab() {
        return Lab.named("retransmission")
                .plots(LabPlot.SEQUENCE, LabPlot.CONGESTION)
                .text(LabText.load("retransmission"))
                .tuning(b -> b.tcpBuffers(16 * 1024, 16 * 1024).tcpMss(500))
                .scenes(B_LISTENS,
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.note("A's RTO is " + rtoMillis(run) + " ms");
                            run.note("1. the next three data segments to B are lost");
                            run.b().link().drop(IN, TcpMatch.data(), 3);
                            run.a().send("one segment that has to try four times");
                            run.runFor(5 * S);
                            run.note("A's RTO is " + rtoMillis(run)
                                    + " ms: the backed-off value stays until a new segment is timed (Karn)");
                            run.a().send("x");
                            run.runFor(1 * S);
                            run.note("A's RTO is " + rtoMillis(run) + " ms after a segment sent once was acknowledged");
                            run.note("2. warm up the congestion window, then lose one segment in a burst of ten");
                            run.a().sendBytes(8000);
                            run.runFor(1 * S);
                            run.b().link().drop(IN, TcpMatch.data(), 1);
                            run.a().sendBytes(5000);
                            run.runFor(2 * S);
                        }),
                        A_CLOSES_B_FOLLOWS,
                        B_STOPS_LISTENING)
                .build();
    }

    private static long rtoMillis(LabRun run) {
        return run.a().tcp().retransmissionTimeoutNanos(run.a().connection()) / 1_000_000;
    }
}
