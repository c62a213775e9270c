package dev.spinet.net;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command queue from application threads to the stack thread: slot numbers, many producers,
 * one consumer, bounded, in the style of Agrona's {@code ManyToOneConcurrentArrayQueue}. A
 * producer claims a position by CAS on {@code tail} after checking there is room against
 * {@code head}, then publishes its value into the claimed cell; the consumer takes the cell at
 * {@code head} once it is published, empties it and advances {@code head}.
 *
 * <p>What a command asks is not in the queue: it is a bit in the slot's request word, and a slot
 * is queued only when that word goes from empty to non-empty. So a slot is in the queue at most
 * once, a queue with a cell per slot never fills, and the consumer allocates nothing.
 */
final class CommandQueue {

    /** Cells hold value + 1, so 0 means "not published yet". */
    private final AtomicIntegerArray cells;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    /** Written by the consumer only. */
    private volatile long head;

    CommandQueue(int minimumCapacity) {
        int capacity = Integer.highestOneBit(Math.max(1, minimumCapacity - 1)) << 1;
        this.cells = new AtomicIntegerArray(capacity);
        this.mask = capacity - 1;
    }

    int capacity() {
        return mask + 1;
    }

    /** Any thread: queues {@code value} (0 or more); false only if the queue is full. */
    boolean offer(int value) {
        long position;
        do {
            position = tail.get();
            if (position - head >= cells.length()) {
                return false;
            }
        } while (!tail.compareAndSet(position, position + 1));
        // A volatile write, not a release: the producer reads the consumer's idle flag next, and
        // the consumer sets that flag before it looks at the head cell (headWritten), so one of
        // the two always sees the other (Dekker) and a request is never slept through.
        cells.set((int) position & mask, value + 1);
        return true;
    }

    /**
     * The consumer: whether the value at the head is written, so that {@link #poll} returns it.
     * A claimed cell not yet written does not count: its producer wakes the consumer after writing.
     */
    boolean headWritten() {
        return cells.get((int) head & mask) != 0;
    }

    /** The consumer: the next value, or -1 when none is published at the head. */
    int poll() {
        long position = head;
        int index = (int) position & mask;
        int cell = cells.getAcquire(index);
        if (cell == 0) {
            return -1;
        }
        cells.setRelease(index, 0);
        head = position + 1;
        return cell - 1;
    }
}
