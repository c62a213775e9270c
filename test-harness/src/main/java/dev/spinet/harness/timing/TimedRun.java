package dev.spinet.harness.timing;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DeadlineInvariant;
import dev.spinet.iface.DutyCycle;
import java.util.function.BooleanSupplier;

/**
 * Runs a modelled board against a peer (a stack standing in for a kernel) in simulated time.
 * Unlike {@code Simulator}, the board's own work moves the clock: every SPI transaction and
 * every wait for the transmitter is charged to the {@link SimulatedTime}, and the peer acts at
 * the moments inside a charge when a frame reaches it or a timer of its falls due (a kernel
 * answers on another CPU while the board is still busy on its bus). When neither has work, the board's device gets the idle wait a board's stack thread
 * gives it ({@code awaitReceive}, with no time to wait: its SPI work is charged, e.g. the
 * ENC28J60's FIFO release and PKTIE on and off, the W5500's Sn_IR clear), and time jumps to the
 * next timer or the next frame the wire delivers. A frame the chip took from the wire during that
 * idle work (its PHY is serviced at every transaction) ends the idle at once, as the INT pin would.
 *
 * <p>A board polled with nothing to do must not report a deadline already due
 * ({@link DeadlineInvariant}): the run fails rather than stepping time over it.
 *
 * <p>Applications are pumped after each duty cycle: the peer's also whenever it acts during a charge, the
 * board's only between its cycles (never from inside the board's own poll). Single-threaded.
 */
public final class TimedRun {

    /** A run that finds no progress this many times in a row at one instant is spinning. */
    private static final int MAX_STALLS = 1_000_000;
    /** How far time moves when an idle round finds an event already due (a frame for nobody). */
    private static final long STALL_STEP_NANOS = 1_000L;

    private final SimulatedTime time;
    private final ManualClock clock;
    private final VirtualWire wire;
    private final DutyCycle board;
    private final FrameDevice boardDevice;
    private final VirtualWire.Port boardPort;
    private final Runnable boardApplication;
    private final DutyCycle peer;
    private final Runnable peerApplication;

    /**
     * @param time the board's model clock (its ManualClock is the wire's and the peer's clock)
     * @param board the board's stack
     * @param modeled the board's chip, driver and wire port (the stack runs on its {@link ModeledBoard#device()})
     * @param boardApplication what runs on the board between its duty cycles
     * @param peer the peer's stack, on a bare port of {@code wire}
     * @param peerApplication what runs on the peer after each of its duty cycles
     */
    public TimedRun(SimulatedTime time, VirtualWire wire, DutyCycle board, ModeledBoard modeled,
                    Runnable boardApplication, DutyCycle peer, Runnable peerApplication) {
        this.time = time;
        this.clock = time.clock();
        this.wire = wire;
        this.board = board;
        this.boardDevice = modeled.device();
        this.boardPort = modeled.port();
        this.boardApplication = boardApplication;
        this.peer = peer;
        this.peerApplication = peerApplication;
        time.bystander(new SimulatedTime.Bystander() {
            @Override
            public long nextEvent(long now) {
                long deadline = peer.nextDeadline(now);
                long delivery = wire.nextDeliveryTimeExcept(boardPort, now);
                return delivery - deadline < 0 ? delivery : deadline;
            }

            @Override
            public void act() {
                peer.poll(clock.nanoTime());
                peerApplication.run();
            }
        });
    }

    /**
     * Runs until {@code done} holds or {@code maxNanos} of simulated time have passed.
     *
     * @return whether {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long limit = clock.nanoTime() + maxNanos;
        int stalls = 0;
        while (!done.getAsBoolean()) {
            long now = clock.nanoTime();
            if (now - limit > 0) {
                return false;
            }
            int work = peer.poll(now);
            peerApplication.run();
            long boardNow = clock.nanoTime();
            int boardWork = board.poll(boardNow);
            if (boardWork == 0) {
                // Before the board's application runs (a write it makes is due work at once).
                DeadlineInvariant.requireFutureDeadlineWhenIdle(board, boardNow, board.nextDeadline(boardNow));
            }
            work += boardWork;
            boardApplication.run();
            if (work > 0) {
                stalls = 0;
                continue;
            }
            long taken = boardPort.received();
            idleWait();
            if (boardPort.received() != taken) {
                continue;
            }
            long t = clock.nanoTime();
            long next = nextEvent(t);
            if (next - t > 0) {
                clock.set(next - limit > 0 ? limit + 1 : next);
                stalls = 0;
            } else {
                clock.advance(STALL_STEP_NANOS);
                if (++stalls > MAX_STALLS) {
                    throw new IllegalStateException("no progress at t=" + t + " ns although an event is due: " + wire);
                }
            }
        }
        return true;
    }

    private void idleWait() {
        try {
            boardDevice.awaitReceive(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a simulated run", e);
        }
    }

    private long nextEvent(long now) {
        long next = board.nextDeadline(now);
        long peerNext = peer.nextDeadline(now);
        if (peerNext - next < 0) {
            next = peerNext;
        }
        long delivery = wire.nextDeliveryTime(now);
        return delivery - next < 0 ? delivery : next;
    }

    public long now() {
        return clock.nanoTime();
    }
}
