package dev.spinet.hal.linux;

/**
 * The TAP offload interface of {@code <linux/if_tun.h>}: with {@code IFF_VNET_HDR} every frame
 * carries a {@link VirtioNetHeader}, and {@code TUNSETOFFLOAD} tells the kernel what this end
 * accepts: frames whose checksum is still to be completed ({@link #TUN_F_CSUM}) and TCP/IPv4
 * segments of up to 64 KiB ({@link #TUN_F_TSO4}, which requires {@code TUN_F_CSUM}). The kernel
 * then sends large segments and partial checksums to this end, and takes the same from it, so
 * one {@code read(2)} or {@code write(2)} moves up to 64 KiB instead of one MSS.
 */
public final class TunOffload {

    /** {@code IFF_VNET_HDR}: a {@code struct virtio_net_hdr} before every frame. */
    public static final short IFF_VNET_HDR = 0x4000;

    /** {@code TUNGETFEATURES}: _IOR('T', 207, unsigned int); the {@code IFF_*} flags this kernel supports. */
    public static final long TUNGETFEATURES = Ioctl.ior('T', 207, 4);
    /** {@code TUNSETOFFLOAD}: _IOW('T', 208, unsigned int); the argument is the value, not a pointer. */
    public static final long TUNSETOFFLOAD = Ioctl.iow('T', 208, 4);
    /** {@code TUNSETVNETHDRSZ}: _IOW('T', 216, int); the argument points to the size. */
    public static final long TUNSETVNETHDRSZ = Ioctl.iow('T', 216, 4);

    /** {@code TUN_F_CSUM}: this end accepts frames with unchecksummed (partial) data. */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: this end accepts TCP/IPv4 segments larger than the MTU. */
    public static final int TUN_F_TSO4 = 0x02;

    private TunOffload() {
    }
}
