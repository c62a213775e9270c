package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.Scenes.A_CLOSES_B_FOLLOWS;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;

/**
 * The receiver stops reading: zero window, persist probes, window update. A timeline lab: the
 * states only open and close (text: text/flow-control.txt).
 */
final class FlowControlLab {

    private FlowControlLab() {
    }

    static Lab lab() {
        return Lab.named("flow-control")
                .plots(LabPlot.SEQUENCE, LabPlot.CONGESTION)
                .text(LabText.load("flow-control"))
                .tuning(b -> b.tcpBuffers(2048, 8192))
                .scenes(B_LISTENS,
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.b().reading(false);
                            run.runFor(10 * MS);
                            run.a().sendBytes(6000);
                            run.runFor(8 * S);
                            run.b().reading(true);
                            run.runFor(2 * S);
                        }),
                        A_CLOSES_B_FOLLOWS,
                        B_STOPS_LISTENING)
                .build();
    }
}
