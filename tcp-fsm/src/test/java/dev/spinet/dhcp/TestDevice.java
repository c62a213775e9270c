package dev.spinet.dhcp;

import dev.spinet.hal.eth.FrameDevice;
import java.util.ArrayDeque;
import java.util.Arrays;

/** A FrameDevice for unit tests: the test queues frames to receive and takes the frames sent. */
final class TestDevice implements FrameDevice {

    final ArrayDeque<byte[]> toReceive = new ArrayDeque<>();
    final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    private final long mac;
    int mtu = 1500;

    TestDevice(long mac) {
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
        System.arraycopy(frame, 0, buffer, offset, frame.length);
        return frame.length;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        sent.add(Arrays.copyOfRange(frame, offset, offset + length));
        return true;
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return true;
    }
}
