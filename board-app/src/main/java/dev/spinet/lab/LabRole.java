package dev.spinet.lab;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;

/**
 * What a real board does when it runs a lab ({@code spinet run --lab NAME}): students drive it
 * from their own computer with {@code nc}, a short script or a browser, and watch its
 * {@code /diagram.svg} and {@code --trace}. Everything is done from outside the TCP engine: the
 * stack configuration, a {@link FilteredLink} around the board's device, and the application API.
 *
 * <p>Wiring in {@code spinet run} (in this order):
 * <pre>{@code
 * LabRole role = LabRoles.forLab(name);                          // IllegalArgumentException lists the labs
 * StackConfig config = role.tune(configBuilder).build();
 * FrameDevice device = role.wrap(chipDevice, clock);             // may add drop rules
 * Stack stack = new Stack(config, device, observer);
 * DutyCycle board = role.start(stack, new LabRole.Options(peerAddress, System.out::println));
 * // the run loop polls `board` instead of `stack` (it polls the stack itself)
 * }</pre>
 */
public interface LabRole {

    /**
     * @param peer the student's computer (IPv4 address in an int), for roles that connect out; 0 if not given
     * @param log  where the role reports what it does (one line each)
     */
    record Options(int peer, java.util.function.Consumer<String> log) {
    }

    /** The lab this role belongs to. */
    String lab();

    /** One paragraph for the console and the status page. */
    String description();

    /**
     * The most ports the role listens on at once, so that {@code spinet run} sizes the stack's
     * listener table for the services and the role together.
     */
    default int listeners() {
        return 1;
    }

    /** Whether the role connects to the student's computer and so needs {@code --peer}. */
    default boolean needsPeer() {
        return false;
    }

    /** Changes the stack configuration (short timers, small buffers...). */
    default StackConfig.Builder tune(StackConfig.Builder config) {
        return config;
    }

    /** Wraps the board's frame device (e.g. in a {@link FilteredLink} that drops chosen segments). */
    default FrameDevice wrap(FrameDevice device, NanoClock clock) {
        return device;
    }

    /**
     * Starts the role on a stack (listens, schedules connects...) and returns the duty cycle the
     * run loop polls from now on: it polls the stack and the role's own timers.
     */
    DutyCycle start(Stack stack, Options options);
}
