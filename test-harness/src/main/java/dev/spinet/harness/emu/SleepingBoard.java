package dev.spinet.harness.emu;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.gpio.InputPin;
import dev.spinet.harness.mock.MockPin;
import dev.spinet.iface.DutyCycle;

/**
 * A board on an emulated chip as the stack thread runs it on a Raspberry Pi
 * ({@code StackAgent}), in simulated time: it polls while there is work and, when idle, sleeps in
 * the driver's {@code awaitReceive} until the chip's INT line moves or the time the driver chose
 * to wait has passed. The driver's INT pin is a {@link Pin} whose {@code awaitEdge} never blocks
 * but records how long the driver asked to wait; the board then stays asleep (its polls return
 * 0) until an edge on the chip's line or that time, and the {@code Simulator} jumps to it. So a
 * driver that waits on an INT edge that never comes sleeps exactly as long as it would on a board.
 *
 * <p>This models {@code awaitReceive} as "check, then wait": whatever a driver does after its
 * {@code awaitEdge} returns runs at the start of the sleep here, not at its end.
 */
public final class SleepingBoard implements DutyCycle {

    /** The INT line as the driver sees it: the chip's {@link MockPin}, with a wait that only records its length. */
    public static final class Pin implements InputPin {
        private final MockPin line;
        private long requested = -1;

        public Pin(MockPin line) {
            this.line = line;
        }

        @Override
        public boolean isHigh() {
            return line.isHigh();
        }

        /** How long the last {@code awaitEdge} that found no edge was asked to wait, or -1. */
        public long requestedWaitNanos() {
            return requested;
        }

        /** An edge since the last call ends the wait at once; otherwise the wait is recorded and reported as timed out. */
        @Override
        public boolean awaitEdge(long timeoutNanos) throws InterruptedException {
            if (line.awaitEdge(0)) {
                return true;
            }
            requested = Math.max(timeoutNanos, 1);
            return false;
        }
    }

    private final DutyCycle board;
    private final FrameDevice device;
    private final Pin pin;
    private final MockPin line;
    private boolean sleeping;
    private long wakeAt;
    private long sleeps;
    private long wokenByInterrupt;

    /**
     * @param board the stack (or what polls it)
     * @param device the driver, built with {@code pin}
     * @param pin the pin given to the driver
     */
    public SleepingBoard(DutyCycle board, FrameDevice device, Pin pin) {
        this.board = board;
        this.device = device;
        this.pin = pin;
        this.line = pin.line;
    }

    @Override
    public int poll(long nowNanos) {
        if (sleeping) {
            boolean edge = edgeSinceLastLook();
            if (!edge && nowNanos - wakeAt < 0) {
                return 0;
            }
            sleeping = false;
            if (edge) {
                wokenByInterrupt++;
            }
        }
        int work = board.poll(nowNanos);
        if (work > 0) {
            return work;
        }
        pin.requested = -1;
        try {
            device.awaitReceive(board.nextDeadline(nowNanos) - nowNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("a simulated sleep never blocks", e);
        }
        if (pin.requested < 0) {
            // awaitReceive returned without waiting (INT asserted, frames known to wait): the
            // stack thread polls again at once.
            return 1;
        }
        sleeping = true;
        sleeps++;
        wakeAt = nowNanos + pin.requested;
        return 0;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return sleeping ? wakeAt : board.nextDeadline(nowNanos);
    }

    private boolean edgeSinceLastLook() {
        try {
            return line.awaitEdge(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Times the board went to sleep. */
    public long sleeps() {
        return sleeps;
    }

    /** Times an INT edge (rather than the driver's wait running out) woke it. */
    public long wokenByInterrupt() {
        return wokenByInterrupt;
    }
}
