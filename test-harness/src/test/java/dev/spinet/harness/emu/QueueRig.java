package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.OptionalLong;

/**
 * The test double itself: the far end is its two queues. It keeps sent frames as the stack
 * handed them over, so this rig pads them as the wire would.
 */
final class QueueRig implements DeviceRig {

    private final QueueFrameDevice device = new QueueFrameDevice(0x0200_0000_00AAL);

    @Override
    public FrameDevice device() {
        return device;
    }

    @Override
    public long configuredMac() {
        return 0x0200_0000_00AAL;
    }

    @Override
    public void sendToDevice(byte[] frame) {
        device.inject(frame);
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        return device.receive(buffer, offset, capacity);
    }

    @Override
    public byte[] takeFromDevice() {
        byte[] frame = device.takeSent();
        return frame == null ? null : Frames.padded(frame);
    }

    @Override
    public void plugCable(boolean plugged) {
        device.setLinkUp(plugged);
    }

    @Override
    public OptionalLong counted(Counted event) {
        return OptionalLong.empty();
    }

    @Override
    public void assertHealthy() {
        assertEquals(0, device.pendingReceive(), "every frame sent to the device was received");
    }

    @Override
    public void close() {
        device.close();
    }
}
