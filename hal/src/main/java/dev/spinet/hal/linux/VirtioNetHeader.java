package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} ({@code <linux/virtio_net.h>}), the 10 bytes a TAP opened with
 * {@code IFF_VNET_HDR} puts in front of every frame it hands over and expects in front of every
 * frame it is given. Fields are in the host's byte order (a TAP without {@code TUNSETVNETBE}
 * uses little-endian on little-endian hosts, which is every host Spinet runs on):
 *
 * <pre>
 *  0       1          2          4           6             8              10
 * +-------+----------+----------+-----------+-------------+--------------+
 * | flags | gso_type | hdr_len  | gso_size  | csum_start  | csum_offset  |
 * +-------+----------+----------+-----------+-------------+--------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code flags} {@link #F_NEEDS_CSUM}: the checksum from {@code csum_start} to the end of
 *       the frame is still to be computed and stored at {@code csum_start + csum_offset}, where
 *       the field already holds the pseudo-header sum (Linux's {@code CHECKSUM_PARTIAL});
 *       {@link #F_DATA_VALID}: the kernel verified the checksums.</li>
 *   <li>{@code gso_type} {@link #GSO_TCPV4}: the frame is one TCP/IPv4 segment of up to 64 KiB
 *       that stands for segments of {@code gso_size} payload bytes each; {@code hdr_len} is the
 *       length of its Ethernet, IPv4 and TCP headers.</li>
 * </ul>
 */
public final class VirtioNetHeader {

    /** {@code sizeof(struct virtio_net_hdr)}, the size {@code TUNSETVNETHDRSZ} is set to. */
    public static final int SIZE = 10;

    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}. */
    public static final int F_DATA_VALID = 2;

    /** {@code VIRTIO_NET_HDR_GSO_NONE}. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: a flag on the type, set when the segment carries CWR. */
    public static final int GSO_ECN = 0x80;

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private VirtioNetHeader() {
    }

    /** Writes a header at {@code at}; values are unsigned 16-bit except the two bytes. */
    public static void write(MemorySegment segment, long at, int flags, int gsoType, int headerLength, int gsoSize,
                             int csumStart, int csumOffset) {
        segment.set(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET, (byte) flags);
        segment.set(ValueLayout.JAVA_BYTE, at + GSO_TYPE_OFFSET, (byte) gsoType);
        segment.set(LE_SHORT, at + HDR_LEN_OFFSET, (short) headerLength);
        segment.set(LE_SHORT, at + GSO_SIZE_OFFSET, (short) gsoSize);
        segment.set(LE_SHORT, at + CSUM_START_OFFSET, (short) csumStart);
        segment.set(LE_SHORT, at + CSUM_OFFSET_OFFSET, (short) csumOffset);
    }

    public static int flags(MemorySegment segment, long at) {
        return segment.get(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET) & 0xFF;
    }

    public static int gsoType(MemorySegment segment, long at) {
        return segment.get(ValueLayout.JAVA_BYTE, at + GSO_TYPE_OFFSET) & 0xFF;
    }

    public static int gsoSize(MemorySegment segment, long at) {
        return segment.get(LE_SHORT, at + GSO_SIZE_OFFSET) & 0xFFFF;
    }

    public static int csumStart(MemorySegment segment, long at) {
        return segment.get(LE_SHORT, at + CSUM_START_OFFSET) & 0xFFFF;
    }

    public static int csumOffset(MemorySegment segment, long at) {
        return segment.get(LE_SHORT, at + CSUM_OFFSET_OFFSET) & 0xFFFF;
    }
}
