package dev.spinet.app;

import dev.spinet.net.IdleGate;

/** The sockets' gate in miniature, for tests of {@link StackAgent}: tells whether the stack thread is in its idle wait. */
final class RecordingIdleGate implements IdleGate {
    volatile boolean idle;

    @Override
    public boolean enterIdle() {
        idle = true;
        return true;
    }

    @Override
    public void leaveIdle() {
        idle = false;
    }
}
