package dev.spinet.app;

import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.net.StackWakeup;
import java.util.List;

/**
 * An opened HAL: the device the stack sends and receives frames through, the device whose
 * {@code awaitReceive} wakes the idle stack thread (a TAP's descriptor, a chip's INT pin), an
 * optional pump run every cycle (an emulator moving frames between its wire and its memory),
 * the device's counters (a chip's driver counters followed by its SPI bus's, a TAP's own: the
 * status page and {@code --trace} read them), how another thread ends that idle wait (an
 * eventfd polled beside the TAP or the INT pin; {@link StackWakeup#NONE} where the wait is not
 * a poll), and what to close at the end, in order.
 */
public record OpenedHal(String label, FrameDevice device, FrameDevice waitDevice, Pump pump, DeviceCounters counters,
                        StackWakeup wakeup, List<AutoCloseable> resources)
        implements AutoCloseable {

    /** Work done outside the stack each duty cycle. Must not allocate. */
    @FunctionalInterface
    public interface Pump {
        Pump NONE = () -> 0;

        /** @return work done (0 = idle) */
        int pump();
    }

    /** Closes the resources in order; errors are ignored (the process is ending). */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception | Error ignored) {
                // Closing on the way out: nothing useful to do with a failure.
            }
        }
    }
}
