package dev.spinet.lab;

/** What happens in a lab, in simulated time: the boards' calls, the faults, the waits. */
@FunctionalInterface
public interface LabScript {

    void run(LabRun run);
}
