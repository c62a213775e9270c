package dev.spinet.app;

import dev.spinet.iface.DutyCycle;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.net.IdleGate;
import dev.spinet.stats.Counters;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongPredicate;

/**
 * The one thread that owns a stack (README.md "How the stack runs", docs/design.md "The duty cycle"): read the clock once, run
 * the HAL's pump and the stack's duty cycle with that time, and when nothing happened wait on
 * the device until a frame may be there or the next timer is due (at most {@link #IDLE_CAP_NANOS},
 * so a stop request is noticed promptly). A TAP wakes {@code awaitReceive} the moment the kernel
 * queues a frame, so idling costs no latency. With sockets, the {@link IdleGate} keeps the thread
 * from idling past a request an application thread just queued, and such a thread ends the wait
 * through the HAL's wake-up (an eventfd the device's poll watches too). {@link #runCycle}
 * allocates nothing.
 */
public final class StackAgent {

    /** Longest single idle wait. */
    public static final long IDLE_CAP_NANOS = 50_000_000L;
    /** Longest the stack thread lets a leader go first before it takes the turn itself. */
    static final long LEADER_FIRST_NANOS = 1_000_000L;
    /** Longest single sleep of the stack thread waiting for an application thread's cycle (it is woken sooner). */
    static final long TURN_WAIT_NANOS = 200_000L;
    /** At most this many duty cycles on an application thread before the stack thread takes over. */
    static final int CYCLES_HERE = 4;

    /** What is polled: the stack itself, or a lab role's duty cycle that polls the stack. */
    private final DutyCycle board;
    private final OpenedHal.Pump pump;
    private final IdleWait idleWait;
    private final NanoClock clock;
    /** {@code --trace}'s device lines, checked after every cycle; null without {@code --trace}. */
    private final DeviceEventTrace deviceTrace;
    private final IdleGate idleGate;
    private volatile boolean stopRequested;
    /**
     * Cycles run so far, by any thread (written under the {@link #turn}). Volatile: the stack
     * thread reads it after it announced its idle wait, to see whether an application thread ran
     * a cycle after the stack thread computed how long to wait (that cycle may have armed an
     * earlier timer); the application thread reads the announcement after its cycle.
     */
    private volatile long cycles;
    /**
     * Set by whoever runs the duty cycle: the stack thread, except while it idles, when an
     * application thread may take it ({@link #runCycleHere}). The stack's single-threaded state
     * (TCBs, rings' stack sides, the device) is then touched by one thread at a time, and the
     * volatile write that frees it and the compare-and-set that takes it order their writes. Not a
     * {@code ReentrantLock}: waiting for one allocates a queue node, and the stack thread must not
     * allocate; it sleeps instead, for the few cycles an application thread runs, and the
     * application thread wakes it as it gives the turn back ({@link #releaseTurn}).
     */
    private final AtomicBoolean turn = new AtomicBoolean();
    /** When the stack thread's current idle wait ends (valid while it idles). */
    private volatile long idleUntil;
    /** What the wake-ups achieved ({@link StackThreadCounter}); written under {@link #turn}. */
    private final Counters<StackThreadCounter> counters = new Counters<>(StackThreadCounter.class);
    /** How the stack thread's last idle wait ended, for the cycle after it; null: it did not wait (stack thread). */
    private StackThreadCounter lastWakeup;
    /** {@link #cycles} when the stack thread last released the turn to idle (under the turn). */
    private long cyclesAtIdle;
    /** Held by the one application thread that waits on the device and runs cycles ({@link #lead}). */
    private final AtomicBoolean leading = new AtomicBoolean();
    /** The leader found the turn taken and waits for it: the stack thread lets it go first. */
    private volatile boolean leaderWantsTurn;
    /** The stack thread sleeps until the leader ends ({@link #takeTurnForStackThread}): the leader wakes it. */
    private volatile boolean stackWaitsForLeader;
    /**
     * Whole spins in a row that found nothing, after which leaders rest from spinning
     * ({@link #spinForFrame}): when the peer shares the leader's CPU it cannot answer while the
     * leader spins. Measured with the socket benchmark, 93 % of spins found nothing on one CPU
     * and 8 % on two: eight misses in a row come from a CPU shared, not from chance.
     */
    static final int SPIN_MISSES_BEFORE_REST = 8;
    /** Waits on the device without a spin after such a run; then spinning is tried again. */
    static final int WAITS_WITHOUT_SPIN = 256;
    /** Leaders' state (one leads at a time: {@link #leading} orders it between them). */
    private int spinMissesInARow;
    private int waitsWithoutSpin;
    /** The stack thread sleeps until the application thread that runs a cycle gives the turn back. */
    private volatile boolean stackWaitsForTurn;
    /** The thread that runs {@link #runCycle} (set before it first waits for the turn). */
    private volatile Thread stackThread;
    /** Until when a reader's or a writer's lease keeps the stack thread off the device ({@link #lease}). */
    private volatile long leaseUntil;
    /** A wake-up came for the stack thread ({@link #wakeStackThread}) since its last cycle began. */
    private volatile boolean wakeRequested;
    /** Lease sleeps since the last cycle, counted at the next one (the counters are written under the turn). */
    private long leaseSleeps;

    public StackAgent(DutyCycle board, OpenedHal.Pump pump, FrameDevice waitDevice, NanoClock clock) {
        this(board, pump, waitDevice, clock, null);
    }

    /** @param deviceTrace the device's link and recovery lines to print after each cycle, or null */
    public StackAgent(DutyCycle board, OpenedHal.Pump pump, FrameDevice waitDevice, NanoClock clock, DeviceEventTrace deviceTrace) {
        this(board, pump, waitDevice, clock, deviceTrace, IdleGate.NONE);
    }

    /** @param idleGate asked before each idle wait (the sockets' command queue); {@link IdleGate#NONE} for none */
    public StackAgent(DutyCycle board, OpenedHal.Pump pump, FrameDevice waitDevice, NanoClock clock, DeviceEventTrace deviceTrace,
                      IdleGate idleGate) {
        this(board, pump, IdleWait.of(waitDevice), clock, deviceTrace, idleGate);
    }

    /** @param idleWait how the stack thread sleeps (the device's {@code awaitReceive}, or a TAP watch of its own) */
    public StackAgent(DutyCycle board, OpenedHal.Pump pump, IdleWait idleWait, NanoClock clock, DeviceEventTrace deviceTrace,
                      IdleGate idleGate) {
        this.idleGate = idleGate;
        this.board = board;
        this.pump = pump;
        this.idleWait = idleWait;
        this.clock = clock;
        this.deviceTrace = deviceTrace;
    }

    /** Asks {@link #runUntilStopped} to return (any thread). */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Cycles run so far. */
    public long cycles() {
        return cycles;
    }

    /**
     * Runs duty cycles until {@link #requestStop} (or an interrupt), and returns with the stack to
     * the calling thread alone: a cycle an application thread runs now ({@link #runCycleHere},
     * {@link #lead}) ends first, and after the stop none starts one (each looks at the stop once it
     * holds the turn). What the caller does next, a shutdown that closes and resets connections,
     * then touches the stack as the only thread.
     */
    public void runUntilStopped() {
        try {
            while (!stopRequested) {
                if (!runCycle(IDLE_CAP_NANOS)) {
                    return;
                }
            }
        } finally {
            stopRequested = true;
            takeTurnForStackThread();
            turn.set(false);
        }
    }

    /**
     * One duty cycle, then an idle wait of at most {@code maxWaitNanos} if there was no work.
     *
     * @return false if the thread was interrupted while waiting
     */
    public boolean runCycle(long maxWaitNanos) {
        long now;
        long wait;
        if (stackThread == null) {
            stackThread = Thread.currentThread();
        }
        takeTurnForStackThread();
        boolean capped;
        try {
            // Before the cycle: a wake-up given from here on is for work this cycle may miss.
            wakeRequested = false;
            if (leaseSleeps != 0) {
                counters.add(StackThreadCounter.LEASE_SLEEPS, leaseSleeps);
                leaseSleeps = 0;
            }
            now = clock.nanoTime();
            StackThreadCounter woke = cycles != cyclesAtIdle ? StackThreadCounter.WAKEUPS_OVERTAKEN : lastWakeup;
            lastWakeup = null;
            int work = cycleWithoutWaiting(now);
            counters.increment(StackThreadCounter.CYCLES);
            if (woke != null) {
                counters.increment(woke);
                if (work == 0) {
                    counters.increment(emptyAfter(woke));
                }
            }
            if (work != 0) {
                cyclesAtIdle = cycles;
                return true;
            }
            wait = board.nextDeadline(now) - now;
            if (wait <= 0) {
                // Work may have come in since the cycle looked (a request queued meanwhile): the
                // promise is broken only if the next cycle, at once, finds nothing either.
                lastWakeup = StackThreadCounter.AT_DUE_DEADLINE;
            }
            cyclesAtIdle = cycles;
            capped = wait > maxWaitNanos;
            if (capped) {
                wait = maxWaitNanos;
            }
            // Under the turn: a cycle on an application thread compares its timers with this.
            idleUntil = now + wait;
        } finally {
            turn.set(false);
        }
        if (wait > 0) {
            if (idleGate.enterIdle()) {
                if (cycles != cyclesAtIdle) {
                    // An application thread ran a cycle since the wait was computed: compute it again.
                    idleGate.leaveIdle();
                    return true;
                }
                boolean signalled;
                try {
                    signalled = sleepThroughLease(now + wait);
                    long left = now + wait - clock.nanoTime();
                    if (!signalled && left > 0) {
                        signalled = idleWait.awaitReceive(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    idleGate.leaveIdle();
                }
                // Woken by a frame or a signal counts as early even when the thread ran only after
                // its deadline (a busy machine): the cap and the deadline count waits that timed out.
                lastWakeup = signalled || clock.nanoTime() - (now + wait) < 0 ? StackThreadCounter.WAKEUPS_EARLY
                        : capped ? StackThreadCounter.WAKEUPS_AT_CAP : StackThreadCounter.WAKEUPS_AT_DEADLINE;
            } else {
                lastWakeup = StackThreadCounter.IDLE_GATE_REFUSED;
            }
        }
        return true;
    }

    /**
     * The stack thread takes the {@link #turn}, letting a leader go first ({@link #lead}): while
     * an application thread leads and runs a cycle, or waits to run one, the stack thread sleeps
     * (for at most {@link #LEADER_FIRST_NANOS} in one go) instead of yielding until the turn is
     * free and then running a cycle of its own. The leader's cycles read every frame (its watch
     * notes each), and a leader that ends while the stack thread waits here wakes it
     * ({@code LED_WAKE_STACK}). Without this the two took turns at the cycles for as long as data
     * flowed, each spinning while the other held the turn: a bulk transfer's leader yielded its
     * carrier hundreds of thousands of times per 500 MB and the stack thread a hundred thousand
     * (docs/applications.md "Bulk transfers through the rings"). A request queued meanwhile ends
     * the wait (the idle gate: the posting thread wakes the stack thread, or serves the request
     * itself), and a stack thread that found requests waiting does not wait for the leader. Nor
     * for a leader off the CPU: it sleeps in steps of {@link #TURN_WAIT_NANOS}, and when the turn
     * stayed free through one with no cycle run, the leader's wish is stale and is cleared
     * ({@code StackAgentStaleLeaderTest}).
     */
    private void takeTurnForStackThread() {
        boolean mayWait = true;
        long waitingSince = 0;
        long cyclesAtWait = 0;
        while (true) {
            if (mayWait && !stopRequested && leading.get() && (leaderWantsTurn || turn.get())) {
                long now = clock.nanoTime();
                if (waitingSince == 0) {
                    waitingSince = now | 1;
                    cyclesAtWait = cycles;
                }
                long left = LEADER_FIRST_NANOS - (now - waitingSince);
                if (left > 0 && idleGate.enterIdle()) {
                    stackWaitsForLeader = true;
                    try {
                        if (leading.get()) {
                            LockSupport.parkNanos(Math.min(left, TURN_WAIT_NANOS));
                        }
                    } finally {
                        stackWaitsForLeader = false;
                        idleGate.leaveIdle();
                    }
                    if (!turn.get() && cycles == cyclesAtWait && leaderWantsTurn
                            && clock.nanoTime() - waitingSince >= TURN_WAIT_NANOS) {
                        // The turn stayed free for a whole sleep and nobody ran a cycle: the leader
                        // that asked for it is off the CPU (it yields between tries). Its wish is
                        // stale; cleared, it no longer holds the stack thread up in every cycle,
                        // and a leader back on the CPU that finds the turn taken asks again.
                        leaderWantsTurn = false;
                        mayWait = false;
                    }
                    continue;
                }
                mayWait = false; // requests are waiting, or the leader had its time: take the turn when free
            }
            if (turn.compareAndSet(false, true)) {
                return;
            }
            long lease = leaseUntil - clock.nanoTime();
            if (lease > 0 && !wakeRequested && !stopRequested) {
                // The reader or writer that holds the lease runs the cycles (it has the turn now): leave the
                // frame that woke this thread to it, unannounced, so that its every releaseTurn
                // does not wake this thread again to find the turn taken once more.
                leaseSleeps++;
                LockSupport.parkNanos(Math.min(lease, TURN_WAIT_NANOS));
                continue;
            }
            // An application thread runs a cycle: sleep until it gives the turn back (it unparks
            // this thread, see releaseTurn) rather than yield the CPU the two others need.
            stackThread = Thread.currentThread();
            stackWaitsForTurn = true;
            if (turn.get()) {
                LockSupport.parkNanos(TURN_WAIT_NANOS);
            }
            stackWaitsForTurn = false;
        }
    }

    /**
     * A reader or a writer keeps the stack thread off the device for {@code nanos} ({@code
     * StackLead.lease}): the stack thread's idle wait becomes a park until then, so the frames of a
     * bulk upload that arrive between two reads (the ACKs of a download between two writes) do not
     * wake it. Without the lease each such frame woke the stack
     * thread, which preempted the reader on a two-core machine, waited for the turn the reader
     * held and ran a cycle that found the reader had already taken the frame (about 900
     * wake-ups, nearly all empty, per 100 MB; docs/applications.md "Bulk transfers through the
     * rings"). Any thread; allocation-free.
     */
    public void lease(long nanos) {
        leaseUntil = clock.nanoTime() + nanos;
    }

    /**
     * Ends a lease that still lasts ({@code StackLead.endLease}) and wakes the stack thread if it
     * sleeps through it, so that it waits on the device again; nothing when no lease lasts (a
     * reader of small messages parks without waking anybody). Any thread; allocation-free.
     */
    public void endLease() {
        long now = clock.nanoTime();
        if (leaseUntil - now > 0) {
            leaseUntil = now;
            wakeStackThread();
        }
    }

    /**
     * Ends the stack thread's idle wait from another thread, whether it waits on the device (the
     * caller also signals the device's wake-up) or sleeps through a lease. Any thread.
     */
    public void wakeStackThread() {
        wakeRequested = true;
        Thread thread = stackThread;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Sleeps while a reader's or a writer's lease lasts, at most until {@code waitEnd}, off the device.
     *
     * @return true when a wake-up ended the sleep, or a frame waits on the device when it woke to
     *     look at the lease again (run a cycle now); false when the lease lapsed, there was none
     *     or {@code waitEnd} came (wait on the device for the rest)
     */
    private boolean sleepThroughLease(long waitEnd) {
        while (true) {
            long now = clock.nanoTime();
            long lease = leaseUntil - now;
            long left = waitEnd - now;
            if (lease <= 0 || left <= 0) {
                return false;
            }
            if (wakeRequested || stopRequested) {
                return true;
            }
            leaseSleeps++;
            LockSupport.parkNanos(Math.min(lease, left));
            if (frameWaitingDuringLease.getAsBoolean()) {
                // The lease's holder has not taken it: a writer renewing its lease while its cycles
                // take one frame each may fall behind other traffic, and a frame whose wake-up went
                // to a leader that left without it is not seen by this thread's watch. So a frame
                // waits at most a lease (docs/applications.md "Threads").
                return true;
            }
        }
    }

    /** An application thread gives the turn back, and wakes the stack thread if it waits for it. */
    private void releaseTurn() {
        turn.set(false);
        if (stackWaitsForTurn) {
            Thread waiting = stackThread;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** The counter of a wake-up of kind {@code woke} after which the cycle found nothing to do. */
    private static StackThreadCounter emptyAfter(StackThreadCounter woke) {
        return switch (woke) {
            case AT_DUE_DEADLINE -> StackThreadCounter.EMPTY_AT_DUE_DEADLINE;
            case IDLE_GATE_REFUSED -> StackThreadCounter.EMPTY_AFTER_GATE_REFUSED;
            case WAKEUPS_AT_DEADLINE -> StackThreadCounter.EMPTY_WAKEUPS_AT_DEADLINE;
            case WAKEUPS_AT_CAP -> StackThreadCounter.EMPTY_WAKEUPS_AT_CAP;
            case WAKEUPS_OVERTAKEN -> StackThreadCounter.EMPTY_WAKEUPS_OVERTAKEN;
            default -> StackThreadCounter.EMPTY_WAKEUPS_EARLY;
        };
    }

    /**
     * What the stack thread's wake-ups achieved. Written under the duty cycle's turn; a reader on
     * another thread takes a {@link Counters#snapshot()} (values may lag by a cycle).
     */
    public Counters<StackThreadCounter> counters() {
        return counters;
    }

    /**
     * Leader/follower ({@link dev.spinet.net.StackLead}): an application thread waiting for data
     * waits on the device itself ({@code awaitFrame}, a {@code poll(2)} of its own beside the
     * stack thread's) and runs the duty cycle whenever it may have work, until {@code until}
     * holds or {@code maxNanos} passed. The frame with its data then wakes it, not the stack
     * thread that would hand the data over. The cycles take the {@link #turn} like the stack
     * thread's, so the stack stays single-threaded; while the stack thread holds it (it wakes on
     * the same frames) the leader spins on {@code until}, for at most a cycle of the stack
     * thread's, which then lets the leader go first ({@link #takeTurnForStackThread}). A due timer is run at once, like on the stack thread: no busy loop at a deadline
     * (the stack's nextDeadline moves on after the cycle that fires it). Only for a wait device
     * whose idle wait touches nothing a cycle uses (a TAP). Allocates nothing.
     *
     * <p>A frame that arrives while the leader waits wakes the leader alone when the waits are
     * exclusive ({@code TapWatch}): the stack thread sleeps on. So when the lead ends with a frame
     * still unread ({@code frameWaiting}: a frame came after the last cycle, or the time ran out
     * while the stack thread held the turn), the stack thread must be woken for it, or it would
     * lie there until the stack thread's next timer. Frames that come after the leader left its
     * wait wake the stack thread themselves: no leader waits for them.
     *
     * @return {@link dev.spinet.net.StackLead#NOT_LED} when another thread leads;
     *     {@code LED_WAKE_STACK} when a timer the cycles armed falls due before the stack
     *     thread's idle wait ends or a frame is left unread, else {@code LED}
     */
    public int lead(long maxNanos, BooleanSupplier until, LongPredicate awaitFrame, BooleanSupplier frameWaiting) {
        return lead(maxNanos, until, awaitFrame, frameWaiting, 0);
    }

    /**
     * {@link #lead}, looking for a frame (a non-blocking {@code frameWaiting}) for up to
     * {@code spinNanos} before each wait on the device: for a bulk transfer's leader, whose next
     * ACK or segment comes within tens of microseconds, while a wake-up from that wait costs a
     * virtual machine's idle CPU 30 to 40 µs of scheduling delay before the thread runs
     * (docs/applications.md "Bulk transfers through the rings", `perf sched`). A round trip's
     * reader does not spin: its answer is a round trip away, and its spinning took the CPU the
     * peer needed (echo round trips 1.5x to 1.8x longer with every leader spinning 60 µs).
     */
    public int lead(long maxNanos, BooleanSupplier until, LongPredicate awaitFrame, BooleanSupplier frameWaiting,
                    long spinNanos) {
        if (!leading.compareAndSet(false, true)) {
            return dev.spinet.net.StackLead.NOT_LED;
        }
        int result = dev.spinet.net.StackLead.LED;
        try {
            long end = clock.nanoTime() + maxNanos;
            boolean armedEarly = false;
            // No cycle before the first wait: a frame already queued ends the wait at once (the
            // readers' watch is asked first for every frame, so its epoll notes each), and whatever else a cycle could do now (requests, timers) is
            // the posting thread's or the stack thread's, which is awake or due to wake for it. So
            // the reader that finds its ring empty right after sending its reply sleeps at once,
            // without a cycle that finds nothing (a read of the TAP that fails with EAGAIN).
            if (!stopRequested && !until.getAsBoolean() && !spinForFrame(spinNanos, end, until, frameWaiting)) {
                long first = end - clock.nanoTime(); // what the spin left of the lead's time
                if (first > 0) {
                    awaitFrame.test(first);
                }
            }
            while (!stopRequested && !until.getAsBoolean()) {
                if (!turn.compareAndSet(false, true)) {
                    if (clock.nanoTime() - end >= 0) {
                        break;
                    }
                    leaderWantsTurn = true;
                    Thread.yield(); // the stack thread runs a cycle: its data may be ours
                    continue;
                }
                if (stopRequested) {
                    releaseTurn(); // the stopped stack belongs to the stack thread's shutdown (runUntilStopped)
                    break;
                }
                leaderWantsTurn = false;
                long now;
                long wait;
                int work;
                try {
                    now = clock.nanoTime();
                    work = leaderCycle(now);
                    long next = board.nextDeadline(now);
                    armedEarly = next - idleUntil < 0;
                    wait = next - now;
                } catch (RuntimeException e) {
                    // The stack thread runs the cycle again and meets the same fault where it is handled.
                    result = dev.spinet.net.StackLead.LED_WAKE_STACK;
                    break;
                } finally {
                    releaseTurn();
                }
                if (work != 0 || until.getAsBoolean()) {
                    continue;
                }
                long left = end - now;
                if (left <= 0) {
                    break;
                }
                if (wait > 0) {
                    long sleep = Math.min(wait, left);
                    // The spin counts against the wait, from the moment read before the cycle: a
                    // timer the cycle armed is not run late by the cycle's own duration.
                    if (!spinForFrame(spinNanos, now + sleep, until, frameWaiting)) {
                        sleep -= clock.nanoTime() - now;
                        if (sleep > 0) {
                            awaitFrame.test(sleep);
                        }
                    }
                }
            }
            // A frame left unread needs the stack thread, unless a lease lasts: then the thread
            // that holds it is back at once and reads it (a writer's next write, a reader's next
            // read), or the stack thread does, which asks the device whenever it wakes during the
            // lease (sleepThroughLease). Woken here, the stack thread ended the lease's sleep at
            // every lead that left a frame and took the turn the writer needed a moment later.
            if (armedEarly || (leaseUntil - clock.nanoTime() <= 0 && frameWaiting.getAsBoolean())) {
                result = dev.spinet.net.StackLead.LED_WAKE_STACK;
            }
        } finally {
            leaderWantsTurn = false;
            leading.set(false);
        }
        // After the lead is given up: a stack thread that began to wait for it before then is seen here.
        return stackWaitsForLeader ? dev.spinet.net.StackLead.LED_WAKE_STACK : result;
    }

    /**
     * Looks for a frame, or for {@code until}, for {@code spinNanos} (not past {@code end}),
     * unless the last {@link #SPIN_MISSES_BEFORE_REST} whole spins found nothing: then the next
     * {@link #WAITS_WITHOUT_SPIN} waits go to sleep at once.
     *
     * @return true when one came: run a cycle instead of waiting
     */
    private boolean spinForFrame(long spinNanos, long end, BooleanSupplier until, BooleanSupplier frameWaiting) {
        if (spinNanos <= 0) {
            return false;
        }
        if (waitsWithoutSpin > 0) {
            waitsWithoutSpin--;
            return false;
        }
        long now = clock.nanoTime();
        long spinEnd = now + spinNanos;
        boolean whole = true;
        if (end - spinEnd < 0) {
            spinEnd = end;
            whole = false; // cut short by a timer or the lead's end: says nothing of the peer
        }
        while (now - spinEnd < 0 && !stopRequested) {
            if (frameWaiting.getAsBoolean() || until.getAsBoolean()) {
                spinMissesInARow = 0;
                return true;
            }
            Thread.onSpinWait();
            now = clock.nanoTime();
        }
        if (whole && ++spinMissesInARow >= SPIN_MISSES_BEFORE_REST) {
            spinMissesInARow = 0;
            waitsWithoutSpin = WAITS_WITHOUT_SPIN;
        }
        return false;
    }

    /**
     * Frames a cycle on an application thread takes when it runs between pieces of that thread's
     * own work (a lead, a leased write's cycle): one, so that a leader sees after each frame
     * whether its condition holds, and a writer's ring is not drained dry in one cycle. On one CPU
     * the kernel's peer acknowledges each 64 KiB frame before the TAP write returns, so one cycle
     * with the whole budget went on from ACK to frame to ACK until the writer's outbound ring was
     * empty; the frames after that were remainders and single segments (docs/applications.md
     * "Bulk transfers through the rings").
     */
    static final int LEADER_RECEIVE_BUDGET = 1;

    /**
     * Whether a frame waits on the device now (a {@code poll(2)} that does not wait), asked each time
     * the stack thread wakes while it sleeps through a lease; never, until {@link #leadOn} sets it.
     */
    private BooleanSupplier frameWaitingDuringLease = () -> false;

    /** Sets how many frames the stack's cycles take ({@code Interface.receiveBudget}); none by default. */
    private IntConsumer receiveBudget = frames -> {
    };

    /**
     * Lets leaders' cycles, and a leased writer's one cycle ({@link #runOneLeasedCycle}), take
     * {@link #LEADER_RECEIVE_BUDGET} frames each ({@code Interface::receiveBudget} of the stack these
     * cycles run); without it they take the interface's whole budget.
     */
    public void limitLeadersWith(IntConsumer budget) {
        this.receiveBudget = budget;
    }

    /** Sets what {@link #leadOn} sets: how the stack thread sleeping through a lease looks for a waiting frame. */
    void lookForFramesDuringLeasesWith(BooleanSupplier frameWaiting) {
        this.frameWaitingDuringLease = frameWaiting;
    }

    /** {@link #lead} for sockets' readers, waiting on {@code watch} (a TAP's: docs/applications.md "Threads"). */
    public dev.spinet.net.StackLead leadOn(dev.spinet.hal.linux.TapWatch watch) {
        LongPredicate awaitFrame = watch::await;
        BooleanSupplier frameWaiting = watch::frameWaiting;
        frameWaitingDuringLease = frameWaiting;
        long leaseNanos = dev.spinet.net.StackLead.leaseNanos();
        long bulkSpinNanos = dev.spinet.net.StackLead.bulkSpinNanos();
        return new dev.spinet.net.StackLead() {
            @Override
            public int lead(long maxNanos, BooleanSupplier until) {
                return StackAgent.this.lead(maxNanos, until, awaitFrame, frameWaiting);
            }

            @Override
            public int lead(long maxNanos, BooleanSupplier until, boolean bulk) {
                return StackAgent.this.lead(maxNanos, until, awaitFrame, frameWaiting, bulk ? bulkSpinNanos : 0);
            }

            @Override
            public boolean leases() {
                return leaseNanos > 0;
            }

            @Override
            public void lease() {
                if (leaseNanos > 0) {
                    StackAgent.this.lease(leaseNanos);
                }
            }

            @Override
            public void endLease() {
                StackAgent.this.endLease();
            }

            @Override
            public boolean cycleForLease() {
                return runOneLeasedCycle();
            }

            @Override
            public void wakeLeader() {
                watch.ring();
            }
        };
    }

    /** {@link #cycleWithoutWaiting} taking {@link #LEADER_RECEIVE_BUDGET} frames, under {@link #turn}. */
    private int leaderCycle(long now) {
        receiveBudget.accept(LEADER_RECEIVE_BUDGET);
        try {
            return cycleWithoutWaiting(now);
        } finally {
            receiveBudget.accept(dev.spinet.iface.Interface.RX_BUDGET);
        }
    }

    /**
     * One cycle taking one frame on an application thread that holds a lease and will be back at
     * once ({@code StackLead.cycleForLease}): what it leaves waits for that thread's next cycle, or
     * for the stack thread, which asks the device whenever it wakes during the lease. Returns false, so that the caller wakes the stack thread, when another
     * thread runs the cycle now or a timer the cycle armed falls due before the stack thread's
     * idle wait ends.
     */
    public boolean runOneLeasedCycle() {
        if (!turn.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (stopRequested) {
                return false; // the stopped stack belongs to the stack thread's shutdown (runUntilStopped)
            }
            long now = clock.nanoTime();
            leaderCycle(now);
            counters.increment(StackThreadCounter.TURN_CYCLES);
            return board.nextDeadline(now) - idleUntil >= 0;
        } catch (RuntimeException e) {
            // The stack thread runs the cycle again and meets the same fault where it is handled.
            return false;
        } finally {
            releaseTurn();
        }
    }

    /** The pump and the duty cycle at {@code now}, under {@link #turn}; returns the work done. */
    private int cycleWithoutWaiting(long now) {
        int work = pump.pump();
        work += board.poll(now);
        if (deviceTrace != null) {
            // Counters move inside the driver calls the cycle made; what they record is already
            // handled, so a trace line is not work that needs another cycle.
            deviceTrace.check();
        }
        cycles++;
        return work;
    }

    /**
     * An application thread that queued a request while the stack thread idles runs the duty
     * cycle here instead of waking it ({@link dev.spinet.net.StackTurn}): a few cycles, until
     * one finds no work. Returns false, so that the caller wakes the stack thread, when another
     * thread runs the cycle now, when work is left, or when a timer the cycles armed falls due
     * before the stack thread's idle wait ends. Only for a wait device whose idle wait touches
     * nothing a cycle uses (a TAP's {@code poll(2)}): the wait runs outside the turn.
     */
    public boolean runCycleHere() {
        if (!turn.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (stopRequested) {
                return false; // the stopped stack belongs to the stack thread's shutdown (runUntilStopped)
            }
            for (int i = 0; i < CYCLES_HERE; i++) {
                long now = clock.nanoTime();
                int work = cycleWithoutWaiting(now);
                counters.increment(StackThreadCounter.TURN_CYCLES);
                if (work == 0) {
                    if (board.nextDeadline(now) - idleUntil >= 0) {
                        return true;
                    }
                    break;
                }
            }
            counters.increment(StackThreadCounter.TURNS_LEFT_TO_STACK_THREAD);
            return false;
        } catch (RuntimeException e) {
            // The stack thread runs the cycle again and meets the same fault where it is handled.
            return false;
        } finally {
            releaseTurn();
        }
    }
}
