package dev.spinet.iface;

import dev.spinet.hal.eth.FrameDevice;
import java.util.ArrayDeque;
import java.util.Arrays;

/** A FrameDevice for unit tests: frames to receive are queued by the test, sent frames collected. */
final class FakeDevice implements FrameDevice {

    final ArrayDeque<byte[]> toReceive = new ArrayDeque<>();
    final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    private final long mac;
    boolean refuseTransmit;

    FakeDevice(long mac) {
        this.mac = mac;
    }

    void inject(byte[] frame) {
        toReceive.add(frame.clone());
    }

    byte[] takeSent() {
        return sent.poll();
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        byte[] frame = toReceive.poll();
        if (frame == null) {
            return NO_FRAME;
        }
        if (frame.length > capacity) {
            return FRAME_TOO_LONG;
        }
        System.arraycopy(frame, 0, buffer, offset, frame.length);
        return frame.length;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (refuseTransmit) {
            return false;
        }
        sent.add(Arrays.copyOfRange(frame, offset, offset + length));
        return true;
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public boolean linkUp() {
        return true;
    }
}
