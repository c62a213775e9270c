package dev.spinet.harness.emu;

import dev.spinet.hal.eth.MacAddress;

/** Test frames: destination, source, an experimental EtherType and a seeded payload. */
final class Frames {

    private Frames() {
    }

    static byte[] frame(long destination, long source, int length, int seed) {
        byte[] frame = new byte[length];
        MacAddress.write(destination, frame, 0);
        MacAddress.write(source, frame, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            frame[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return frame;
    }

    /** What the wire carries for a frame: padded to 60 bytes. */
    static byte[] padded(byte[] frame) {
        return frame.length >= 60 ? frame : java.util.Arrays.copyOf(frame, 60);
    }
}
