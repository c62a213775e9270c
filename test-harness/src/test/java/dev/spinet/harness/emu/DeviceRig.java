package dev.spinet.harness.emu;

import dev.spinet.hal.eth.FrameDevice;
import java.util.OptionalLong;

/**
 * A {@link FrameDevice} under test together with the far end of its wire, which the test drives:
 * what the far end sends, the device receives; what the device transmits, the far end takes.
 * {@link FrameDeviceContractTest} runs the same checks on every kind of device through this.
 */
interface DeviceRig extends AutoCloseable {

    /** Events a device may count itself, besides reporting them to the caller. */
    enum Counted {
        /** {@link FrameDevice#receive} returned {@link FrameDevice#FRAME_TOO_LONG}. */
        RECEIVE_TOO_LONG,
        /** {@link FrameDevice#transmit} returned false because the link was down. */
        TRANSMIT_LINK_DOWN
    }

    FrameDevice device();

    /** The MAC address the device was set up with. */
    long configuredMac();

    /** The far end puts {@code frame} on the wire to the device. */
    void sendToDevice(byte[] frame);

    /**
     * {@link FrameDevice#receive}, waiting a bounded time for a frame that is still crossing a
     * kernel (a TAP); devices in memory answer at once.
     */
    int receive(byte[] buffer, int offset, int capacity);

    /**
     * The next frame the device put on the wire, as the far end sees it (a frame shorter than 60
     * bytes arrives padded to 60), or null when none arrives.
     */
    byte[] takeFromDevice();

    /**
     * Pulls ({@code false}) or plugs ({@code true}) the cable, and lets the device notice.
     *
     * @throws UnsupportedOperationException for a device without a cable (a TAP)
     */
    void plugCable(boolean plugged);

    /** The device's own count of {@code event}, or empty when it keeps no such count. */
    OptionalLong counted(Counted event);

    /**
     * Fails if the device was used in a way its data sheet forbids, reported an error, or holds
     * frames the test sent but never received.
     */
    void assertHealthy();

    @Override
    void close();
}
