package dev.spinet.net;

/**
 * Lets the threads that feed a stack keep its thread from idling through their work. The stack
 * thread calls {@link #enterIdle()} just before it waits for the device and {@link #leaveIdle()}
 * after; a producer that queues work after {@code enterIdle} sees the thread idle and wakes it
 * ({@link StackWakeup}), one that queued it before is seen by {@code enterIdle}, which then says
 * not to wait (Dekker's pattern over two volatile fields).
 */
public interface IdleGate {

    /** Nobody else feeds the stack. */
    IdleGate NONE = new IdleGate() {
        @Override
        public boolean enterIdle() {
            return true;
        }

        @Override
        public void leaveIdle() {
        }
    };

    /** @return false when work is already waiting: do not wait */
    boolean enterIdle();

    void leaveIdle();
}
