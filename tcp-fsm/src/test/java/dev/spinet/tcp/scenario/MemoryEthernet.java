package dev.spinet.tcp.scenario;

import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.hal.eth.FrameDevice;

/**
 * Two {@link FrameDevice}s joined back to back in memory, like a veth pair: what one end
 * transmits, the other receives, in order, from a fixed ring of frame slots (a frame that finds
 * the ring full is refused, as a full transmit buffer refuses it). The ends declare the
 * {@link DeviceCapabilities} given: a frame that never leaves memory cannot be corrupted, so
 * {@link DeviceCapabilities#CHECKSUMS_OFFLOADED} is honest here, and {@link DeviceCapabilities#NONE}
 * makes both stacks compute and check every checksum as on a real link. Nothing allocates after
 * construction: whole stacks run on it under benchmarks and allocation checks.
 */
public final class MemoryEthernet {

    public static final long MAC_A = 0x02_00_00_00_00_01L;
    public static final long MAC_B = 0x02_00_00_00_00_02L;

    public final End a;
    public final End b;

    /**
     * @param slots          frames each direction holds
     * @param maxFrameLength the largest frame, Ethernet header included (MTU + 14)
     */
    public MemoryEthernet(int slots, int maxFrameLength, DeviceCapabilities capabilities) {
        if (slots < 1 || maxFrameLength < FrameDevice.ETHERNET_HEADER_LENGTH + 68 || capabilities == null) {
            throw new IllegalArgumentException("a memory link needs slots >= 1, frames of at least 82 bytes (IPv4's 68-byte"
                    + " minimum MTU) and capabilities (DeviceCapabilities.NONE for none)");
        }
        this.a = new End(MAC_A, slots, maxFrameLength, capabilities);
        this.b = new End(MAC_B, slots, maxFrameLength, capabilities);
        a.peer = b;
        b.peer = a;
    }

    /** One end: receives what the other end transmits. */
    public static final class End implements FrameDevice {
        private final long mac;
        private final int maxFrameLength;
        private final DeviceCapabilities capabilities;
        private final byte[][] frames;
        private final int[] lengths;
        private End peer;
        private int head;
        private int count;
        private long received;
        private long refused;

        End(long mac, int slots, int maxFrameLength, DeviceCapabilities capabilities) {
            this.mac = mac;
            this.maxFrameLength = maxFrameLength;
            this.capabilities = capabilities;
            this.frames = new byte[slots][maxFrameLength];
            this.lengths = new int[slots];
        }

        @Override
        public int receive(byte[] buffer, int offset, int capacity) {
            if (count == 0) {
                return NO_FRAME;
            }
            int length = lengths[head];
            byte[] frame = frames[head];
            head = head + 1 == frames.length ? 0 : head + 1;
            count--;
            if (length > capacity) {
                return FRAME_TOO_LONG;
            }
            System.arraycopy(frame, 0, buffer, offset, length);
            received++;
            return length;
        }

        @Override
        public boolean transmit(byte[] frame, int offset, int length) {
            if (length < ETHERNET_HEADER_LENGTH || length > maxFrameLength) {
                throw new IllegalArgumentException("frame length " + length + " is outside 14.." + maxFrameLength);
            }
            End to = peer;
            if (to.count == to.frames.length) {
                refused++;
                return false;
            }
            int slot = to.head + to.count;
            if (slot >= to.frames.length) {
                slot -= to.frames.length;
            }
            System.arraycopy(frame, offset, to.frames[slot], 0, length);
            to.lengths[slot] = length;
            to.count++;
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

        @Override
        public int mtu() {
            return maxFrameLength - ETHERNET_HEADER_LENGTH;
        }

        @Override
        public DeviceCapabilities capabilities() {
            return capabilities;
        }

        /** Copies the next frame waiting at this end without taking it; returns its length, or 0 if none. */
        public int peek(byte[] buffer) {
            if (count == 0) {
                return 0;
            }
            System.arraycopy(frames[head], 0, buffer, 0, lengths[head]);
            return lengths[head];
        }

        /** Frames waiting to be received at this end. */
        public int queued() {
            return count;
        }

        /** Frames this end has handed to its stack. */
        public long received() {
            return received;
        }

        /** Frames this end could not transmit because the other end's ring was full. */
        public long refused() {
            return refused;
        }
    }
}
