package dev.spinet.lab.grade;

import dev.spinet.config.StackConfig;
import dev.spinet.lab.Lab;
import dev.spinet.lab.LabFrame;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.lab.Side;
import dev.spinet.lab.Step;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The traces of a lab: its run, each side's inputs read back from it and played into Spinet's
 * engine again ({@link EngineReplay}), cut into one trace per connection.
 */
public final class LabTraces {

    /** A lab's traces and the transitions the replay of each side walked (they must be the run's). */
    public record Replayed(Lab lab, StackConfig configA, StackConfig configB, List<Trace> traces, List<Step> replayedA, List<Step> replayedB,
                           LabResult run) {
    }

    private LabTraces() {
    }

    public static Replayed of(Lab lab) {
        LabResult run = LabRun.run(lab, 1);
        List<Trace> traces = new ArrayList<>();
        List<List<Step>> replayed = new ArrayList<>();
        StackConfig[] configs = new StackConfig[2];
        for (Side side : Side.values()) {
            StackConfig config = config(lab, side);
            configs[side.ordinal()] = config;
            EngineReplay replay = new EngineReplay(lab.name(), side.name(), config, LabInputs.address(side), LabInputs.address(side.other()),
                    initialSequenceNumbers(run, side));
            traces.addAll(replay.play(LabInputs.of(run, side)));
            replayed.add(replay.transitions());
        }
        return new Replayed(lab, configs[0], configs[1], traces, replayed.get(0), replayed.get(1), run);
    }

    /** The configuration the lab gives a side's board. */
    public static StackConfig config(Lab lab, Side side) {
        StackConfig base = lab.tuning().apply(LabRun.baseConfig(1)).build();
        return base.toBuilder().ipAddress(LabInputs.address(side), 24).build();
    }

    /** The ISNs a side used, in the order its connections first sent their SYN (a retransmission repeats one). */
    private static List<Integer> initialSequenceNumbers(LabResult run, Side side) {
        Set<String> seen = new LinkedHashSet<>();
        List<Integer> isns = new ArrayList<>();
        for (LabFrame frame : run.frames()) {
            if (frame.from() == side && frame.tcp() != null && frame.tcp().has(TcpSegment.SYN)) {
                if (seen.add(frame.tcp().connectionKey() + "/" + frame.tcp().seq())) {
                    isns.add(frame.tcp().seq());
                }
            }
        }
        return isns;
    }
}
