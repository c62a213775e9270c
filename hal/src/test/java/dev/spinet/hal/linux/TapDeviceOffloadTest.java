package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.hal.eth.FrameDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The TAP with {@code IFF_VNET_HDR} against a scripted kernel: the ioctls that turn offloads on,
 * the virtio header on every frame both ways, partial checksums completed on receive and left to
 * the kernel on transmit, large TCP segments. Checksums are checked with RFC 1071 written out
 * here, byte by byte.
 */
class TapDeviceOffloadTest {

    private static final long MAC = 0x02_00_00_99_00_02L;
    private static final int TCP_AT = 14 + 20;

    /** A kernel that knows IFF_VNET_HDR (or not), records ioctls and writes, and reads a given frame. */
    private static final class ScriptedKernel implements LinuxSyscalls {
        final boolean vnetSupported;
        int offloadResult;
        final List<long[]> ioctls = new ArrayList<>(); // request, first int of the argument or its address
        final List<byte[]> written = new ArrayList<>();
        byte[] nextRead;

        ScriptedKernel(boolean vnetSupported) {
            this.vnetSupported = vnetSupported;
        }

        @Override
        public int open(String path, int flags) {
            return 7;
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public long read(int fd, MemorySegment buffer, long count) {
            if (nextRead == null) {
                return -Errno.EAGAIN;
            }
            byte[] bytes = nextRead;
            nextRead = null;
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return bytes.length;
        }

        @Override
        public long write(int fd, MemorySegment buffer, long count) {
            written.add(buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE));
            return count;
        }

        @Override
        public int poll(MemorySegment pollFds, int count, int timeoutMillis) {
            return 0;
        }

        @Override
        public int ioctl(int fd, long request, MemorySegment argument) {
            if (request == TunOffload.TUNSETOFFLOAD) {
                ioctls.add(new long[] {request, argument.address()});
                return offloadResult;
            }
            if (request == TunOffload.TUNGETFEATURES) {
                ioctls.add(new long[] {request, 0});
                argument.set(ValueLayout.JAVA_INT, 0, 0x0003 | 0x1000 | (vnetSupported ? TunOffload.IFF_VNET_HDR : 0));
                return 0;
            }
            ioctls.add(new long[] {request, request == IfReq.TUNSETIFF
                    ? argument.get(ValueLayout.JAVA_SHORT, IfReq.FLAGS_OFFSET) & 0xFFFF
                    : argument.get(ValueLayout.JAVA_INT, 0)});
            return 0;
        }

        @Override
        public String strerror(int errno) {
            return null;
        }
    }

    @Test
    void asksForVirtioHeadersChecksumAndTso4WhenTheKernelHasThem() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            assertEquals(4, kernel.ioctls.size());
            assertEquals(TunOffload.TUNGETFEATURES, kernel.ioctls.get(0)[0]);
            assertEquals(IfReq.TUNSETIFF, kernel.ioctls.get(1)[0]);
            assertEquals(0x5002, kernel.ioctls.get(1)[1], "IFF_TAP | IFF_NO_PI | IFF_VNET_HDR");
            assertEquals(TunOffload.TUNSETVNETHDRSZ, kernel.ioctls.get(2)[0]);
            assertEquals(10, kernel.ioctls.get(2)[1]);
            assertEquals(TunOffload.TUNSETOFFLOAD, kernel.ioctls.get(3)[0]);
            assertEquals(0x03, kernel.ioctls.get(3)[1], "TUN_F_CSUM | TUN_F_TSO4 as the argument's value");
            assertTrue(tap.offload());
            assertEquals(65_535 + 14, tap.maxFrameLength());
            assertEquals(65_535 + 14, tap.maxSegmentedFrameLength());
            assertEquals(1500, tap.mtu(), "the MTU stays the wire's; only offloaded segments are larger");
            assertTrue(tap.capabilities().transportChecksumOnTransmit());
            assertFalse(tap.capabilities().transportChecksumVerifiedOnReceive());
        }
    }

    @Test
    void withoutKernelSupportOrWhenNotAskedItIsThePlainTap() {
        ScriptedKernel old = new ScriptedKernel(false);
        try (TapDevice tap = new TapDevice(old, "sp0", MAC, 1500, true)) {
            assertFalse(tap.offload());
            assertEquals(0x1002, old.ioctls.get(1)[1]);
            assertEquals(1514, tap.maxFrameLength());
            assertEquals(0, tap.maxSegmentedFrameLength());
            assertEquals(DeviceCapabilities.NONE, tap.capabilities());
            byte[] frame = tcpFrame(100, new Random(1));
            assertTrue(tap.transmit(frame, 0, frame.length));
            assertArrayEquals(frame, old.written.getFirst(), "no header in front");
            assertFalse(tap.transmitSegmented(frame, 0, frame.length, 1448));
        }
        ScriptedKernel notAsked = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(notAsked, "sp0", MAC, 1500, false)) {
            assertFalse(tap.offload());
            assertEquals(1, notAsked.ioctls.size(), "only TUNSETIFF");
            assertEquals(0x1002, notAsked.ioctls.getFirst()[1]);
        }
    }

    @Test
    void refusedOffloadsKeepTheHeaderButNoLargeSegments() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        kernel.offloadResult = -Errno.EINVAL;
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            assertFalse(tap.offload());
            assertEquals(1514, tap.maxFrameLength());
            byte[] frame = tcpFrame(100, new Random(2));
            assertTrue(tap.transmit(frame, 0, frame.length));
            byte[] written = kernel.written.getFirst();
            assertEquals(10 + frame.length, written.length);
            assertArrayEquals(new byte[10], Arrays.copyOf(written, 10), "an empty virtio header");
            assertArrayEquals(frame, Arrays.copyOfRange(written, 10, written.length));
        }
    }

    @Test
    void partialTcpChecksumFromTheKernelIsHandedOverAsVerifiedWithoutSummingIt() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            byte[] complete = tcpFrame(30_001, new Random(3)); // a large segment, odd length
            assertTrue(verifies(complete));
            byte[] partial = complete.clone();
            putU16(partial, TCP_AT + 16, pseudoHeaderFold(complete));
            kernel.nextRead = withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 66, 1448, TCP_AT, 16, partial);
            byte[] into = new byte[TapDevice.OFFLOAD_FRAME_LENGTH];
            assertEquals(partial.length, tap.receive(into, 0, into.length));
            assertArrayEquals(partial, Arrays.copyOf(into, partial.length), "the pseudo-header sum left in the field");
            assertTrue(tap.receivedTransportChecksumVerified());
            assertEquals(1, tap.counterValue(tap.indexOf("RX_SEGMENTED")));
            assertEquals(1, tap.counterValue(tap.indexOf("RX_CHECKSUMS_TRUSTED")));
            assertEquals(0, tap.counterValue(tap.indexOf("RX_CHECKSUMS_COMPLETED")));

            // DATA_VALID: the kernel checked it.
            kernel.nextRead = withHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0, complete);
            assertEquals(complete.length, tap.receive(into, 0, into.length));
            assertArrayEquals(complete, Arrays.copyOf(into, complete.length));
            assertTrue(tap.receivedTransportChecksumVerified());

            // No flags: the stack checks it.
            kernel.nextRead = withHeader(0, 0, 0, 0, 0, 0, complete);
            assertEquals(complete.length, tap.receive(into, 0, into.length));
            assertFalse(tap.receivedTransportChecksumVerified());
            assertEquals(2, tap.counterValue(tap.indexOf("RX_CHECKSUMS_TRUSTED")));
        }
    }

    @Test
    void partialChecksumThatIsNotTheTransportHeadersIsCompletedBeforeTheStackSeesTheFrame() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            byte[] into = new byte[TapDevice.OFFLOAD_FRAME_LENGTH];
            // A fragment (MF set): its checksum covers data in other frames, the stack reassembles and checks.
            byte[] fragment = tcpFrame(1001, new Random(5));
            fragment[14 + 6] = 0x20;
            putU16(fragment, TCP_AT + 16, pseudoHeaderFold(fragment));
            kernel.nextRead = withHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, TCP_AT, 16, fragment);
            assertEquals(fragment.length, tap.receive(into, 0, into.length));
            assertArrayEquals(complete(fragment), Arrays.copyOf(into, fragment.length));
            assertFalse(tap.receivedTransportChecksumVerified());

            // csum_start past the transport header: completed where the kernel said, not trusted.
            byte[] complete = tcpFrame(1001, new Random(6));
            byte[] odd = complete.clone();
            putU16(odd, TCP_AT + 20 + 16, 0x1234);
            kernel.nextRead = withHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, TCP_AT + 20, 16, odd);
            assertEquals(odd.length, tap.receive(into, 0, into.length));
            assertFalse(tap.receivedTransportChecksumVerified());
            assertEquals(2, tap.counterValue(tap.indexOf("RX_CHECKSUMS_COMPLETED")));
            assertEquals(0, tap.counterValue(tap.indexOf("RX_CHECKSUMS_TRUSTED")));

            // A header whose checksum field lies past the frame: dropped and counted.
            kernel.nextRead = withHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, TCP_AT, 40_000, complete);
            assertEquals(FrameDevice.NO_FRAME, tap.receive(into, 0, into.length));
            assertEquals(1, tap.counterValue(tap.indexOf("RX_BAD_VNET_HEADER")));
            assertFalse(tap.receivedTransportChecksumVerified());
        }
    }

    @Test
    void transmittedTcpLeavesWithThePseudoHeaderSumForTheKernelToComplete() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            byte[] frame = tcpFrame(1000, new Random(4));
            assertTrue(tap.transmit(frame, 0, frame.length));
            byte[] written = kernel.written.getFirst();
            assertHeader(written, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, TCP_AT, 16);
            byte[] sent = Arrays.copyOfRange(written, 10, written.length);
            assertEquals(pseudoHeaderFold(frame), u16(sent, TCP_AT + 16));
            assertArrayEquals(complete(sent), frame, "completing as the kernel would gives the stack's checksum back");

            byte[] arp = new byte[42];
            arp[12] = 0x08;
            arp[13] = 0x06;
            assertTrue(tap.transmit(arp, 0, arp.length));
            assertArrayEquals(new byte[10], Arrays.copyOf(kernel.written.get(1), 10), "not IP: no checksum flags");
            assertEquals(10 + 60, kernel.written.get(1).length, "padded to 60 behind the header");
        }
    }

    @Test
    void largeSegmentGoesAsOneWriteWithGsoTcpv4AndTheSegmentSize() {
        ScriptedKernel kernel = new ScriptedKernel(true);
        try (TapDevice tap = new TapDevice(kernel, "sp0", MAC, 1500, true)) {
            byte[] frame = tcpFrame(1448 * 40, new Random(5));
            assertTrue(tap.transmitSegmented(frame, 0, frame.length, 1448));
            assertEquals(1, kernel.written.size());
            byte[] written = kernel.written.getFirst();
            assertEquals(10 + frame.length, written.length);
            assertHeader(written, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 14 + 20 + 20, 1448, TCP_AT, 16);
            assertArrayEquals(complete(Arrays.copyOfRange(written, 10, written.length)), frame);
            assertEquals(1, tap.counterValue(tap.indexOf("TX_SEGMENTED")));

            // Not TCP: refused and counted, nothing written.
            byte[] udp = frame.clone();
            udp[23] = 17;
            assertFalse(tap.transmitSegmented(udp, 0, udp.length, 1448));
            assertEquals(1, kernel.written.size());
            assertEquals(1, tap.transmitErrors());
        }
    }

    // ---- frames and RFC 1071, written out independently of the device ----

    /** Ethernet + IPv4 (20) + TCP (20) + payload, both checksums complete. */
    private static byte[] tcpFrame(int payload, Random random) {
        byte[] f = new byte[TCP_AT + 20 + payload];
        random.nextBytes(f);
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        f[15] = 0;
        putU16(f, 16, 20 + 20 + payload);
        f[20] = 0x40; // DF, offset 0
        f[21] = 0;
        f[22] = 64;
        f[23] = 6;
        putU16(f, 24, 0);
        putU16(f, 24, ~fold(sum16(f, 14, 20)) & 0xFFFF);
        f[TCP_AT + 12] = 0x50;
        putU16(f, TCP_AT + 16, 0);
        long sum = pseudoHeader(f) + sum16(f, TCP_AT, f.length - TCP_AT);
        putU16(f, TCP_AT + 16, ~fold(sum) & 0xFFFF);
        return f;
    }

    private static boolean verifies(byte[] f) {
        return fold(pseudoHeader(f) + sum16(f, TCP_AT, f.length - TCP_AT)) == 0xFFFF;
    }

    /** What the kernel does with NEEDS_CSUM: sum from csum_start to the end, store the complement. */
    private static byte[] complete(byte[] partial) {
        byte[] f = partial.clone();
        putU16(f, TCP_AT + 16, ~fold(sum16(f, TCP_AT, f.length - TCP_AT)) & 0xFFFF);
        return f;
    }

    private static long pseudoHeader(byte[] f) {
        return sum16(f, 26, 8) + 6 + (f.length - TCP_AT);
    }

    private static int pseudoHeaderFold(byte[] f) {
        return fold(pseudoHeader(f));
    }

    private static long sum16(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = b[offset + i] & 0xFF;
            int low = i + 1 < length ? b[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static byte[] withHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset, byte[] frame) {
        byte[] out = new byte[10 + frame.length];
        out[0] = (byte) flags;
        out[1] = (byte) gsoType;
        putLe16(out, 2, hdrLen);
        putLe16(out, 4, gsoSize);
        putLe16(out, 6, csumStart);
        putLe16(out, 8, csumOffset);
        System.arraycopy(frame, 0, out, 10, frame.length);
        return out;
    }

    private static void assertHeader(byte[] w, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        assertEquals(flags, w[0] & 0xFF, "flags");
        assertEquals(gsoType, w[1] & 0xFF, "gso_type");
        assertEquals(hdrLen, le16(w, 2), "hdr_len");
        assertEquals(gsoSize, le16(w, 4), "gso_size");
        assertEquals(csumStart, le16(w, 6), "csum_start");
        assertEquals(csumOffset, le16(w, 8), "csum_offset");
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }
}
