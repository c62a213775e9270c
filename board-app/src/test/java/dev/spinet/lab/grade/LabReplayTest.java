package dev.spinet.lab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.Side;
import org.junit.jupiter.api.Test;

/**
 * The traces are only as good as the replay: each side's inputs, read back from a lab's run and
 * played into a fresh engine, must make it walk exactly the transitions the run's board walked.
 */
class LabReplayTest {

    @Test
    void replayingEachSideOfEveryLabWalksTheRunsTransitions() {
        int traces = 0;
        for (Lab lab : LabCatalogue.standard().labs()) {
            LabTraces.Replayed replayed = LabTraces.of(lab);
            assertEquals(replayed.run().actual(Side.A), replayed.replayedA(), lab.name() + " A");
            assertEquals(replayed.run().actual(Side.B), replayed.replayedB(), lab.name() + " B");
            traces += replayed.traces().size();
        }
        assertTrue(traces > 100, traces + " connections");
    }
}
