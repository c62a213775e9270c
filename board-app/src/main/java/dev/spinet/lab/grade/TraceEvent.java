package dev.spinet.lab.grade;

import dev.spinet.student.ConnectionEvent;
import dev.spinet.student.Reaction;

/**
 * One event of a connection's trace and what Spinet's engine did about it.
 *
 * @param nanos    when it happened (simulated time of the scenario)
 * @param expected the engine's reaction: its transition and the control segments it sent
 */
public record TraceEvent(long nanos, ConnectionEvent event, Reaction expected) {
}
