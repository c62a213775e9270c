package dev.spinet.lab.grade;

import dev.spinet.config.StackConfig;
import java.util.List;

/**
 * One connection's life as a sequence of events and the reactions Spinet's engine had, taken
 * from a scenario (a lab's run, or a per-state scenario); a graded machine must react the same
 * way, event by event.
 *
 * @param scenario the lab or per-state scenario it comes from
 * @param name     which connection ("B #2, port 4000 <- 51522")
 * @param config   the configuration the engine ran the scenario with (its timers and pools decide
 *                 when each timeout comes; Spinet's own machine needs it, a student's does not)
 */
public record Trace(String scenario, String name, StackConfig config, List<TraceEvent> events) {

    public Trace {
        events = List.copyOf(events);
    }
}
