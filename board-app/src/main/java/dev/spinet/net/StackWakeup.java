package dev.spinet.net;

/**
 * Ends the stack thread's idle wait from another thread: an eventfd the device's {@code poll(2)}
 * also watches ({@code TapDevice.wakeOn}, {@code GpioInputPin.wakeOn}), or an unpark when the
 * wait is a park. A wake-up given before the wait begins must not be lost (both keep it).
 */
@FunctionalInterface
public interface StackWakeup {

    /** For a stack thread that never idles (a test driving the duty cycle itself). */
    StackWakeup NONE = () -> {
    };

    void wake();
}
