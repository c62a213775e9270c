package dev.spinet.net;

/**
 * A bounded queue of ints with one producer thread and one consumer thread: the accepted
 * connections of a listener (the stack thread produces, the accepting thread consumes under the
 * listener's lock) and the slots whose waiting threads the {@link ThreadWaker} must unpark.
 * Nothing allocates after construction.
 */
final class SpscIntQueue {

    private final int[] values;
    private final int mask;
    private volatile long head;
    private volatile long tail;

    SpscIntQueue(int minimumCapacity) {
        int capacity = Integer.highestOneBit(Math.max(1, minimumCapacity - 1)) << 1;
        this.values = new int[capacity];
        this.mask = capacity - 1;
    }

    /** The producer: false when full. */
    boolean offer(int value) {
        long position = tail;
        if (position - head >= values.length) {
            return false;
        }
        values[(int) position & mask] = value;
        tail = position + 1;
        return true;
    }

    /** The consumer: the next value, or -1 when empty. */
    int poll() {
        long position = head;
        if (position == tail) {
            return -1;
        }
        int value = values[(int) position & mask];
        head = position + 1;
        return value;
    }

    int size() {
        return (int) (tail - head);
    }

    boolean isEmpty() {
        return tail == head;
    }
}
