package dev.spinet.hal.linux;

import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * {@link FrameDevice} on a Linux TAP interface ({@code /dev/net/tun}, {@code TUNSETIFF} with
 * {@code IFF_TAP | IFF_NO_PI}): every frame the kernel sends out of the interface is one
 * {@code read}, every {@code write} is one frame arriving at the kernel.
 *
 * <p>The interface has two ends. The kernel's end has its own MAC (shown by {@code ip link}) and
 * its own addresses; this end is a separate station on the same virtual wire with the MAC given
 * here, which is the one the stack uses as its source address. The kernel side is configured
 * with {@code ip} (addresses, {@code up}); this class does not touch it.
 *
 * <p>The descriptor is nonblocking: {@link #receive} returns {@link #NO_FRAME} on EAGAIN, and
 * {@link #awaitReceive} sleeps in {@code poll(2)} until a frame is queued. Frames are copied
 * through native buffers allocated at open; nothing is allocated per frame. Transmit pads frames
 * shorter than 60 bytes with zeros, as an Ethernet controller would.
 *
 * <h2>Offloads</h2>
 * Opened with {@code offloadRequested} on a kernel that supports {@code IFF_VNET_HDR}
 * ({@code TUNGETFEATURES}), every frame carries a {@link VirtioNetHeader} and the kernel is told
 * ({@code TUNSETOFFLOAD}, {@link TunOffload#TUN_F_CSUM} | {@link TunOffload#TUN_F_TSO4}) that this
 * end takes and gives TCP/IPv4 segments of up to 64 KiB with partial checksums:
 * <ul>
 *   <li>receive: a TCP or UDP segment the kernel left with a partial checksum ({@code NEEDS_CSUM})
 *       or marked {@code DATA_VALID} is handed over as verified
 *       ({@link #receivedTransportChecksumVerified}), the stack does not sum it; any other partial
 *       checksum is completed here before the caller sees it, so the stack's own check passes
 *       exactly when the data are intact; a large segment ({@code GSO_TCPV4}) is handed over
 *       whole, up to {@link #OFFLOAD_FRAME_LENGTH} bytes;</li>
 *   <li>transmit: every unfragmented TCP (and UDP with a checksum) datagram leaves with
 *       {@code NEEDS_CSUM} and the pseudo-header sum in its checksum field, which the kernel
 *       completes or, delivering locally, skips; {@link #transmitSegmented} hands the kernel one
 *       large TCP segment with {@code GSO_TCPV4} and the segment size, instead of one write per
 *       MSS.</li>
 * </ul>
 * Without offloads (the default, or a kernel without {@code IFF_VNET_HDR}) frames are plain
 * Ethernet up to MTU + 14 bytes, as on a board.
 *
 * <p>Read and write failures other than EAGAIN (the interface was deleted, EIO while it is down)
 * are counted ({@link #receiveErrors()}, {@link #transmitErrors()}, {@link #lastErrno()}), never
 * thrown from the packet path.
 */
public final class TapDevice implements FrameDevice, DeviceCounters {

    /** The clone device. */
    public static final String TUN_PATH = "/dev/net/tun";
    /** A locally administered unicast default for this end: 02:53:50:4e:45:54 ("SPNET"). */
    public static final long DEFAULT_MAC = 0x02_53_50_4E_45_54L;
    /** Largest frame read(2) can return: a TAP's MTU can be raised up to 65535. */
    public static final int RECEIVE_BUFFER_SIZE = 65_536 + 18;
    /** With offloads: the largest frame either way, a 65535-byte IPv4 datagram and its Ethernet header. */
    public static final int OFFLOAD_FRAME_LENGTH = 65_535 + ETHERNET_HEADER_LENGTH;
    /**
     * Frames in the transmit thread's ring ({@link TapTransmitQueue}) that {@code spinet run --hal
     * tap} asks for: 128 frames of 1514 bytes, about three times a 64 KB send window in MSS-sized
     * segments, so a window's burst never waits for a slot.
     */
    public static final int TRANSMIT_QUEUE_FRAMES = 128;
    /**
     * With a transmit thread, frames up to this long are written by the caller when nothing is
     * queued: every pure ACK (at most 14 + 20 + 60 bytes), ARP, pings and short replies.
     */
    public static final int DIRECT_WRITE_MAX_LENGTH = 256;
    /**
     * With a transmit thread, a pure TCP acknowledgment goes through it rather than being written
     * by the caller once at least this many frames longer than {@link #DIRECT_WRITE_MAX_LENGTH}
     * arrived since the last short frame left: a bulk receive, where each ACK's {@code write(2)}
     * runs the kernel sender's ACK processing and its next segments
     * (docs/performance.md "ACKs through the transmit thread"). Two, because a receiver
     * acknowledges every second full-sized segment (RFC 5681 4.2); a lone request of one frame
     * is answered directly.
     */
    public static final int BULK_RECEIVE_FRAMES = 2;
    /** Longest single poll(2), so an interrupt is noticed promptly. */
    public static final int POLL_SLICE_MILLIS = 100;
    /** The names {@link #counterValue} answers for, in index order. */
    private static final String[] COUNTER_NAMES = {"RX_FRAMES", "TX_FRAMES", "RX_ERRORS", "TX_ERRORS", "RX_TOO_LONG",
        "RX_SEGMENTED", "TX_SEGMENTED", "RX_CHECKSUMS_COMPLETED", "RX_BAD_VNET_HEADER", "TX_QUEUE_FULL", "TX_QUEUE_REFUSED",
        "TX_QUEUED_ACKS", "TX_BATCHES", "RX_CHECKSUMS_TRUSTED"};
    /** The offloads asked of the kernel: partial checksums both ways and TCP/IPv4 segmentation. */
    private static final int OFFLOAD_FLAGS = TunOffload.TUN_F_CSUM | TunOffload.TUN_F_TSO4;
    /** What an offloading TAP does for the stack (DeviceCapabilities): it completes TCP/UDP checksums on transmit. */
    private static final DeviceCapabilities OFFLOAD_CAPABILITIES = new DeviceCapabilities(false, true, false, false);
    private static final int ETHERTYPE_OFFSET = 12;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int IP_PROTOCOL_TCP = 6;
    private static final int IP_PROTOCOL_UDP = 17;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;

    private static final int MIN_FRAME_WITHOUT_FCS = 60;

    private final LinuxSyscalls syscalls;
    private final String name;
    private final long mac;
    private final int mtu;
    private final Arena arena;
    private final MemorySegment receiveBuffer;
    private final MemorySegment transmitBuffer;
    /** With a transmit thread: its ring; null when {@code write(2)} runs on the caller's thread. */
    private final TapTransmitQueue transmitQueue;
    /** Where the frame being sent is prepared: {@link #transmitBuffer}, or the queue slot claimed for it. */
    private MemorySegment outgoing;
    private final MemorySegment pollFd;
    private volatile int fd = -1;
    /** Frames carry a {@link VirtioNetHeader} and the kernel takes and gives large segments. */
    private final boolean offload;
    /** Where a frame starts in the native buffers: after the virtio header with offloads. */
    private final int frameStart;
    /** The {@link #newWatch} results, closed with the device. */
    private final java.util.List<TapWatch> watches = new java.util.ArrayList<>();
    /** Also polled by {@link #awaitReceive}: another thread's signal ends the wait; null if none. */
    private EventFd wake;
    private long receiveErrors;
    private long transmitErrors;
    private long framesReceived;
    private long framesTransmitted;
    private long oversizeFrames;
    private long segmentedReceived;
    private long segmentedTransmitted;
    private long checksumsCompleted;
    /** Frames handed over as verified ({@link #receivedTransportChecksumVerified}) without summing them. */
    private long checksumsTrusted;
    /** What {@link #receivedTransportChecksumVerified} answers for the frame {@link #receive} returned last. */
    private boolean receivedVerified;
    private long badVnetHeaders;
    private int lastErrno;
    /** Frames longer than {@link #DIRECT_WRITE_MAX_LENGTH} received since the last short frame was sent. */
    private int largeReceivedSinceShortSent;
    /** Pure ACKs sent through the transmit thread because a bulk receive was in progress. */
    private long queuedAcks;

    /**
     * Creates (or attaches to an existing persistent) TAP interface {@code name}.
     *
     * @param mac this end's MAC (the stack's), 48 bits; must be unicast
     * @param mtu the IP MTU the stack uses (68..65517); frames up to {@code mtu + 14} are sent
     * @throws LinuxDeviceException with what to do: no /dev/net/tun, no CAP_NET_ADMIN, name taken
     */
    public TapDevice(LinuxSyscalls syscalls, String name, long mac, int mtu) {
        this(syscalls, name, mac, mtu, false);
    }

    /**
     * As {@link #TapDevice(LinuxSyscalls, String, long, int)}, with offloads when
     * {@code offloadRequested} and the kernel supports them ({@link #offload()} tells).
     */
    public TapDevice(LinuxSyscalls syscalls, String name, long mac, int mtu, boolean offloadRequested) {
        this(syscalls, name, mac, mtu, offloadRequested, 0);
    }

    /**
     * As {@link #TapDevice(LinuxSyscalls, String, long, int, boolean)}, with a transmit thread fed
     * through a ring of {@code transmitQueueFrames} frames when that is above 0 (a power of two
     * up to 4096) and the device runs without offloads: {@link #transmit} then copies the frame
     * into the ring and returns, and the thread does the {@code write(2)} ({@link TapTransmitQueue});
     * short frames while nothing is queued are still written at once ({@link #DIRECT_WRITE_MAX_LENGTH}).
     */
    public TapDevice(LinuxSyscalls syscalls, String name, long mac, int mtu, boolean offloadRequested, int transmitQueueFrames) {
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        IfReq.validateName(name);
        if ((mac & ~0xFFFF_FFFF_FFFFL) != 0 || MacAddress.isMulticast(mac) || mac == 0) {
            throw new IllegalArgumentException("TAP MAC must be a unicast 48-bit address (for example 02:00:00:00:00:01), not "
                    + MacAddress.format(mac & 0xFFFF_FFFF_FFFFL));
        }
        if (mtu < 68 || mtu > 65_517) {
            throw new IllegalArgumentException("MTU must be 68..65517, not " + mtu);
        }
        this.mac = mac;
        this.mtu = mtu;
        this.arena = Arena.ofShared();
        try {
            pollFd = arena.allocate(2L * PollFd.SIZE, 8);
            fd = openClone();
            boolean vnet = offloadRequested && supportsVnetHeader();
            this.name = attach(name, vnet);
            this.frameStart = vnet ? VirtioNetHeader.SIZE : 0;
            this.offload = vnet && enableOffloads();
            receiveBuffer = arena.allocate(frameStart + Math.max(RECEIVE_BUFFER_SIZE, OFFLOAD_FRAME_LENGTH), 8);
            int transmitBytes = frameStart + Math.max(MIN_FRAME_WITHOUT_FCS, maxFrameLength());
            transmitBuffer = arena.allocate(transmitBytes, 8);
            outgoing = transmitBuffer;
            // Only for one frame per write: with offloads one write carries up to 44 segments and the
            // thread hand-over measured slower (3.5 to 4.1 Gbit/s against 12.4 to 13.3 without it,
            // docs/performance.md "A transmit thread for the TAP").
            transmitQueue = transmitQueueFrames > 0 && !offload
                    ? new TapTransmitQueue(syscalls, fd, this.name, transmitQueueFrames, (transmitBytes + 63) & ~63)
                    : null;
        } catch (RuntimeException e) {
            if (fd >= 0) {
                syscalls.close(fd);
                fd = -1;
            }
            arena.close();
            throw e;
        }
    }

    /** Whether this kernel's TAP can carry a virtio header ({@code TUNGETFEATURES}). */
    private boolean supportsVnetHeader() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment features = scratch.allocate(ValueLayout.JAVA_INT);
            int status = syscalls.ioctl(fd, TunOffload.TUNGETFEATURES, features);
            return status >= 0 && (features.get(ValueLayout.JAVA_INT, 0) & TunOffload.IFF_VNET_HDR) != 0;
        }
    }

    /**
     * Sets the header size and asks for the offloads. If the kernel refuses them, frames still
     * carry the header (the interface was created with it) but the kernel sends no partial or
     * large ones; returns false, and the device runs as without offloads apart from the header.
     */
    private boolean enableOffloads() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment size = scratch.allocate(ValueLayout.JAVA_INT);
            size.set(ValueLayout.JAVA_INT, 0, VirtioNetHeader.SIZE);
            if (syscalls.ioctl(fd, TunOffload.TUNSETVNETHDRSZ, size) < 0) {
                throw new LinuxDeviceException("TUNSETVNETHDRSZ " + VirtioNetHeader.SIZE + " failed on a TAP created with"
                        + " IFF_VNET_HDR: run without offloads (--no-offload)", Errno.EINVAL);
            }
        }
        // TUNSETOFFLOAD takes the flags as the argument itself, not through a pointer.
        return syscalls.ioctl(fd, TunOffload.TUNSETOFFLOAD, MemorySegment.ofAddress(OFFLOAD_FLAGS)) >= 0;
    }

    /** Opens {@code name} with the C library, MTU 1500. */
    public static TapDevice open(String name, long mac) {
        return new TapDevice(Libc.instance(), name, mac, 1500);
    }

    private int openClone() {
        int result = syscalls.open(TUN_PATH, OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        if (result >= 0) {
            return result;
        }
        int errno = -result;
        String advice = switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "no " + TUN_PATH + ": load the tun module ('sudo modprobe tun');"
                    + " in a container pass the device in (docker run --device /dev/net/tun --cap-add NET_ADMIN)";
            case Errno.EACCES, Errno.EPERM -> TUN_PATH + " is not accessible to this user: run as root, or have root"
                    + " create the TAP for you ('sudo ip tuntap add dev NAME mode tap user $USER') and make " + TUN_PATH
                    + " readable and writable (mode 0666 is the usual default)";
            default -> null;
        };
        throw new LinuxDeviceException(Errno.message(syscalls, "open " + TUN_PATH, errno, advice), errno);
    }

    private String attach(String requestedName, boolean vnetHeader) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment ifreq = scratch.allocate(IfReq.SIZE, 8);
            IfReq.write(ifreq, requestedName, (short) (IfReq.IFF_TAP | IfReq.IFF_NO_PI | (vnetHeader ? TunOffload.IFF_VNET_HDR : 0)));
            int status = syscalls.ioctl(fd, IfReq.TUNSETIFF, ifreq);
            if (status < 0) {
                int errno = -status;
                String advice = switch (errno) {
                    case Errno.EPERM, Errno.EACCES -> "creating TAP '" + requestedName + "' needs CAP_NET_ADMIN: run as"
                            + " root, give java the capability ('sudo setcap cap_net_admin+ep $(readlink -f $(which java))'),"
                            + " or create a persistent TAP owned by your user first: 'sudo ip tuntap add dev "
                            + requestedName + " mode tap user $USER'";
                    case Errno.EBUSY -> "TAP '" + requestedName + "' is already attached to another process: stop it"
                            + " or choose another --tap name";
                    case Errno.EINVAL -> "an interface named '" + requestedName + "' already exists and is not a TAP"
                            + " (a TUN, bridge or physical device): choose another --tap name";
                    default -> null;
                };
                throw new LinuxDeviceException(Errno.message(syscalls, "TUNSETIFF " + requestedName, errno, advice), errno);
            }
            return IfReq.name(ifreq);
        }
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        Objects.checkFromIndexSize(offset, capacity, buffer.length);
        requireOpen();
        receivedVerified = false;
        long read = syscalls.read(fd, receiveBuffer, receiveBuffer.byteSize());
        if (read < 0) {
            if (read != -Errno.EAGAIN && read != -Errno.EINTR) {
                receiveErrors++;
                lastErrno = (int) -read;
            }
            return NO_FRAME;
        }
        long length = read - frameStart;
        if (length <= 0) {
            return NO_FRAME;
        }
        if (length > capacity) {
            oversizeFrames++;
            return FRAME_TOO_LONG;
        }
        if (offload && !acceptVnetHeader((int) length)) {
            return NO_FRAME;
        }
        MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, frameStart, buffer, offset, (int) length);
        framesReceived++;
        if (length > DIRECT_WRITE_MAX_LENGTH && largeReceivedSinceShortSent < BULK_RECEIVE_FRAMES) {
            largeReceivedSinceShortSent++;
        }
        return (int) length;
    }

    /**
     * Interprets the header of the frame just read. A partial checksum ({@code NEEDS_CSUM}) of an
     * unfragmented TCP or UDP datagram, starting at its transport header, is left as it is and
     * the frame handed over as verified ({@link #receivedTransportChecksumVerified}): its data
     * never left the host's memory, and Linux delivering such a packet to a local socket does not
     * sum it either ({@code skb_csum_unnecessary()} holds for {@code CHECKSUM_PARTIAL}). Summing
     * it here and again in the stack cost two passes over every 64 KiB segment of a bulk upload.
     * {@code DATA_VALID} (the kernel verified the checksum) is handed over as verified too. Any
     * other partial checksum is completed in place (RFC 1071 over {@code csum_start} to the end,
     * the pseudo-header sum already in the field: what the kernel's {@code skb_checksum_help}
     * does), so the stack checks it like any other. A header pointing outside the frame is
     * counted and the frame dropped.
     */
    private boolean acceptVnetHeader(int length) {
        int flags = VirtioNetHeader.flags(receiveBuffer, 0);
        if (VirtioNetHeader.gsoType(receiveBuffer, 0) != VirtioNetHeader.GSO_NONE) {
            segmentedReceived++;
        }
        if ((flags & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            if ((flags & VirtioNetHeader.F_DATA_VALID) != 0) {
                receivedVerified = true;
                checksumsTrusted++;
            }
            return true;
        }
        int start = VirtioNetHeader.csumStart(receiveBuffer, 0);
        int field = start + VirtioNetHeader.csumOffset(receiveBuffer, 0);
        if (start < ETHERNET_HEADER_LENGTH || field + 2 > length) {
            badVnetHeaders++;
            return false;
        }
        if (isTransportChecksumField(start, field, length)) {
            receivedVerified = true;
            checksumsTrusted++;
            return true;
        }
        long sum = SegmentChecksum.sum(receiveBuffer, frameStart + start, length - start);
        SegmentChecksum.writeShort(receiveBuffer, frameStart + field, ~SegmentChecksum.fold(sum) & 0xFFFF);
        checksumsCompleted++;
        return true;
    }

    /**
     * Whether {@code start} is the transport header of the received frame, an unfragmented IPv4
     * datagram, and {@code field} its TCP or UDP checksum field: then the stack's own check is
     * the one a partial checksum makes needless.
     */
    private boolean isTransportChecksumField(int start, int field, int length) {
        if (length < ETHERNET_HEADER_LENGTH + 20
                || SegmentChecksum.readShort(receiveBuffer, frameStart + ETHERTYPE_OFFSET) != ETHERTYPE_IPV4) {
            return false;
        }
        int ip = frameStart + ETHERNET_HEADER_LENGTH;
        int versionAndLength = receiveBuffer.get(ValueLayout.JAVA_BYTE, ip) & 0xFF;
        int headerLength = (versionAndLength & 0x0F) * 4;
        int fragment = SegmentChecksum.readShort(receiveBuffer, ip + 6) & 0x3FFF; // MF and the offset
        if ((versionAndLength >> 4) != 4 || headerLength < 20 || fragment != 0
                || start != ETHERNET_HEADER_LENGTH + headerLength) {
            return false;
        }
        int protocol = receiveBuffer.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xFF;
        return protocol == IP_PROTOCOL_TCP && field == start + TCP_CHECKSUM_OFFSET && start + 20 <= length
                || protocol == IP_PROTOCOL_UDP && field == start + UDP_CHECKSUM_OFFSET && start + 8 <= length;
    }

    @Override
    public boolean receivedTransportChecksumVerified() {
        return receivedVerified;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > maxFrameLength()) {
            throw new IllegalArgumentException("frame length " + length + " outside " + ETHERNET_HEADER_LENGTH + ".."
                    + maxFrameLength() + " (MTU " + mtu + " + 14-byte header)");
        }
        Objects.checkFromIndexSize(offset, length, frame.length);
        requireOpen();
        if (!claimOutgoing(frame, offset, length)) {
            return false;
        }
        MemorySegment.copy(frame, offset, outgoing, ValueLayout.JAVA_BYTE, frameStart, length);
        int wireLength = length;
        if (wireLength < MIN_FRAME_WITHOUT_FCS) {
            for (int i = wireLength; i < MIN_FRAME_WITHOUT_FCS; i++) {
                outgoing.set(ValueLayout.JAVA_BYTE, frameStart + i, (byte) 0);
            }
            wireLength = MIN_FRAME_WITHOUT_FCS;
        }
        if (frameStart > 0) {
            int transport = offload ? checksummedTransport(length) : 0;
            if (transport > 0) {
                int field = transport + (protocolOf() == IP_PROTOCOL_TCP ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
                writePseudoHeaderSum(transport, field, length);
                VirtioNetHeader.write(outgoing, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0,
                        transport, field - transport);
            } else {
                VirtioNetHeader.write(outgoing, 0, 0, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0);
            }
        }
        return write(frameStart + wireLength);
    }

    /**
     * Sends one TCP/IPv4 segment longer than the MTU as the kernel's segmentation offload
     * (TSO) takes it: the virtio header says {@code GSO_TCPV4} with {@code gso_size}
     * {@code segmentPayload} and a partial checksum; the kernel cuts it into segments of that
     * many payload bytes if it forwards it, or delivers it whole to a local socket. The frame's
     * checksum field is replaced by the pseudo-header sum (so a complete checksum is fine too).
     *
     * @return false if this device has no offloads, the frame is no unfragmented TCP/IPv4
     *     segment, or the kernel took no room for it now
     * @throws IllegalArgumentException as {@link #transmit} for a length outside 14..{@link #maxSegmentedFrameLength()}
     */
    @Override
    public boolean transmitSegmented(byte[] frame, int offset, int length, int segmentPayload) {
        if (length < ETHERNET_HEADER_LENGTH || length > maxFrameLength()) {
            throw new IllegalArgumentException("frame length " + length + " outside " + ETHERNET_HEADER_LENGTH + ".."
                    + maxFrameLength());
        }
        Objects.checkFromIndexSize(offset, length, frame.length);
        requireOpen();
        if (!offload || segmentPayload <= 0) {
            transmitErrors++;
            return false;
        }
        if (!claimOutgoing(frame, offset, length)) {
            return false;
        }
        MemorySegment.copy(frame, offset, outgoing, ValueLayout.JAVA_BYTE, frameStart, length);
        int transport = checksummedTransport(length);
        if (transport == 0 || protocolOf() != IP_PROTOCOL_TCP || transport + 20 > length) {
            transmitErrors++;
            return false;
        }
        int field = transport + TCP_CHECKSUM_OFFSET;
        writePseudoHeaderSum(transport, field, length);
        int headers = transport + ((outgoing.get(ValueLayout.JAVA_BYTE, frameStart + transport + 12) >> 4) & 0x0F) * 4;
        boolean large = length - headers > segmentPayload;
        VirtioNetHeader.write(outgoing, 0, VirtioNetHeader.F_NEEDS_CSUM,
                large ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_NONE, headers, large ? segmentPayload : 0,
                transport, TCP_CHECKSUM_OFFSET);
        if (!write(frameStart + length)) {
            return false;
        }
        if (large) {
            segmentedTransmitted++;
        }
        return true;
    }

    /** With offloads, frames up to {@link #OFFLOAD_FRAME_LENGTH}; otherwise 0 (the device cannot segment). */
    @Override
    public int maxSegmentedFrameLength() {
        return offload ? OFFLOAD_FRAME_LENGTH : 0;
    }

    /**
     * Where the TCP or UDP header of the frame in the transmit buffer starts, if the frame is an
     * unfragmented IPv4 datagram of one of those whose checksum the kernel may complete (a UDP
     * checksum of 0 means none, RFC 768, and stays so); otherwise 0.
     */
    private int checksummedTransport(int length) {
        if (length < ETHERNET_HEADER_LENGTH + 20
                || SegmentChecksum.readShort(outgoing, frameStart + ETHERTYPE_OFFSET) != ETHERTYPE_IPV4) {
            return 0;
        }
        int ip = frameStart + ETHERNET_HEADER_LENGTH;
        int versionAndLength = outgoing.get(ValueLayout.JAVA_BYTE, ip) & 0xFF;
        int headerLength = (versionAndLength & 0x0F) * 4;
        int fragment = SegmentChecksum.readShort(outgoing, ip + 6) & 0x3FFF; // MF and the offset
        int protocol = protocolOf();
        int transport = ETHERNET_HEADER_LENGTH + headerLength;
        if ((versionAndLength >> 4) != 4 || headerLength < 20 || fragment != 0) {
            return 0;
        }
        if (protocol == IP_PROTOCOL_TCP && transport + 20 <= length) {
            return transport;
        }
        if (protocol == IP_PROTOCOL_UDP && transport + 8 <= length
                && SegmentChecksum.readShort(outgoing, frameStart + transport + UDP_CHECKSUM_OFFSET) != 0) {
            return transport;
        }
        return 0;
    }

    private int protocolOf() {
        return outgoing.get(ValueLayout.JAVA_BYTE, frameStart + ETHERNET_HEADER_LENGTH + 9) & 0xFF;
    }

    /**
     * Writes Linux's {@code CHECKSUM_PARTIAL} start value into the field: the folded, not
     * complemented, sum of the pseudo-header (RFC 9293 3.1, RFC 768: source, destination, zero
     * and protocol, transport length from the IPv4 total length).
     */
    private void writePseudoHeaderSum(int transport, int field, int frameLength) {
        int ip = frameStart + ETHERNET_HEADER_LENGTH;
        int totalLength = SegmentChecksum.readShort(outgoing, ip + 2);
        int transportLength = Math.min(totalLength, frameLength - ETHERNET_HEADER_LENGTH) - (transport - ETHERNET_HEADER_LENGTH);
        long sum = SegmentChecksum.sum(outgoing, ip + 12, 8) + protocolOf() + transportLength;
        SegmentChecksum.writeShort(outgoing, frameStart + field, SegmentChecksum.fold(sum));
    }

    /**
     * Points {@link #outgoing} at where the next frame is prepared: the one transmit buffer, or
     * the transmit queue's next free slot (waiting while the ring is full). A short frame (an
     * ACK, an echo reply, ARP) while the queue is empty is written here and now: waking the
     * writer would add a thread hand-over to a round trip, and with nothing queued the order of
     * frames stays as sent. The exception is a pure ACK during a bulk receive
     * ({@link #BULK_RECEIVE_FRAMES}): nobody waits on it but the peer's sender, and its
     * {@code write(2)} runs that sender's ACK processing and transmission in the kernel, which
     * the writer thread then does while this thread reads the next segments. False, counted, if
     * the queue's writer made no progress for {@link TapTransmitQueue#FULL_WAIT_NANOS}.
     */
    private boolean claimOutgoing(byte[] frame, int offset, int length) {
        if (transmitQueue == null) {
            outgoing = transmitBuffer;
            return true;
        }
        if (length <= DIRECT_WRITE_MAX_LENGTH) {
            boolean bulkAck = largeReceivedSinceShortSent >= BULK_RECEIVE_FRAMES && PureAck.test(frame, offset, length);
            largeReceivedSinceShortSent = 0;
            if (bulkAck) {
                queuedAcks++;
            } else if (transmitQueue.queued() == 0) {
                outgoing = transmitBuffer;
                return true;
            }
        }
        MemorySegment slot = transmitQueue.claim();
        if (slot == null) {
            return false;
        }
        outgoing = slot;
        return true;
    }

    private boolean write(int wireLength) {
        if (outgoing != transmitBuffer) {
            transmitQueue.publish(wireLength);
            return true;
        }
        long written = syscalls.write(fd, outgoing, wireLength);
        if (written == wireLength) {
            framesTransmitted++;
            return true;
        }
        if (written != -Errno.EAGAIN) {
            transmitErrors++;
            lastErrno = written < 0 ? (int) -written : Errno.EIO;
        }
        return false;
    }

    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        requireOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        EventFd wakeSource = wake;
        int count = wakeSource == null ? 1 : 2;
        while (true) {
            PollFd.set(pollFd, 0, fd, PollFd.POLLIN);
            if (wakeSource != null) {
                PollFd.set(pollFd, 1, wakeSource.fd(), PollFd.POLLIN);
            }
            int ready = syscalls.poll(pollFd, count, PollFd.timeoutMillis(deadline - System.nanoTime(), POLL_SLICE_MILLIS));
            if (wakeSource != null && ready > 0 && (PollFd.revents(pollFd, 1) & PollFd.POLLIN) != 0) {
                wakeSource.drain();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (ready != 0 || deadline - System.nanoTime() <= 0) {
                // Ready, an error (receive() will count it), or time is up: spurious returns are allowed.
                return;
            }
        }
    }

    /**
     * A wait for the next frame for a thread other than the one calling {@link #awaitReceive};
     * closed with the device.
     */
    public synchronized TapWatch newWatch() {
        requireOpen();
        TapWatch watch = new TapWatch(this, syscalls);
        watches.add(watch);
        return watch;
    }

    /**
     * The stack thread's idle wait as a {@link TapWatch} whose bell is the {@link #wakeOn}
     * eventfd (call that first): use it instead of {@link #awaitReceive}. Make it after the
     * {@link #newWatch} that application threads wait on, so that a frame wakes a waiting
     * application thread and not the stack thread beside it (the watches' exclusive wake-up
     * favours the one made first). Closed with the device; the eventfd stays its owner's.
     */
    public synchronized TapWatch newIdleWatch() {
        requireOpen();
        if (wake == null) {
            throw new IllegalStateException("TAP " + name + ": wakeOn before newIdleWatch");
        }
        TapWatch watch = new TapWatch(this, syscalls, wake);
        watches.add(watch);
        return watch;
    }

    /** The descriptor, or -1 once closed ({@link TapWatch}). */
    int descriptor() {
        return fd;
    }

    /**
     * Makes {@link #awaitReceive} also return when {@code wakeSource} is signalled (and drain it):
     * application threads wake the idle stack thread this way. Call before the stack thread
     * starts; {@code null} removes it.
     */
    public void wakeOn(EventFd wakeSource) {
        this.wake = wakeSource;
    }

    private void requireOpen() {
        if (fd < 0) {
            throw new IllegalStateException("TAP " + name + " is closed");
        }
    }

    @Override
    public long macAddress() {
        return mac;
    }

    /** A TAP's carrier is on while a process holds its descriptor, which this object does until closed. */
    @Override
    public boolean linkUp() {
        return fd >= 0;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** With offloads, {@link #OFFLOAD_FRAME_LENGTH}: the kernel hands over segments up to 64 KiB. */
    @Override
    public int maxFrameLength() {
        return offload ? OFFLOAD_FRAME_LENGTH : mtu + ETHERNET_HEADER_LENGTH;
    }

    /** With offloads, TCP and UDP checksums are completed by the kernel on transmit. */
    @Override
    public DeviceCapabilities capabilities() {
        return offload ? OFFLOAD_CAPABILITIES : DeviceCapabilities.NONE;
    }

    /** Whether frames carry a virtio header and the kernel takes and gives large segments with partial checksums. */
    public boolean offload() {
        return offload;
    }

    /** The interface name the kernel confirmed. */
    public String name() {
        return name;
    }

    /** read(2) failures other than EAGAIN/EINTR. */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** write(2) failures other than EAGAIN, including short writes (with a transmit thread: any failure, EAGAIN too). */
    public long transmitErrors() {
        return transmitQueue == null ? transmitErrors : transmitErrors + transmitQueue.writeErrors();
    }

    /** Frames dropped by {@link #receive} because they exceeded the caller's capacity. */
    public long oversizeFrames() {
        return oversizeFrames;
    }

    /** Frames handed to the caller. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Frames the kernel took whole (with a transmit thread: written by it so far). */
    public long framesTransmitted() {
        return transmitQueue == null ? framesTransmitted : framesTransmitted + transmitQueue.written();
    }

    /**
     * Whether this process can hand frames to the kernel through io_uring, several per system
     * call ({@link TapTransmitQueue}): not where the kernel is older than 5.6, sets
     * {@code kernel.io_uring_disabled} or a seccomp filter refuses it; the transmit thread then
     * writes frame by frame. Opens and closes a ring: start-up and tests only.
     */
    public static boolean batchedTransmitAvailable() {
        if (!Libc.isSupportedPlatform()) {
            return false;
        }
        try (IoUring ring = IoUring.open(Libc.instance(), 2)) {
            return ring != null;
        }
    }

    /** Whether frames are written by a transmit thread ({@link TapTransmitQueue}) rather than the caller. */
    public boolean transmitThread() {
        return transmitQueue != null;
    }

    /**
     * {@link DeviceCounters}: {@code RX_FRAMES}, {@code TX_FRAMES}, {@code RX_ERRORS} (read(2)
     * failures), {@code TX_ERRORS} (write(2) failures and short writes), {@code RX_TOO_LONG}; with
     * offloads {@code RX_SEGMENTED} and {@code TX_SEGMENTED} (large segments each way),
     * {@code RX_CHECKSUMS_COMPLETED} (partial checksums completed) and {@code RX_BAD_VNET_HEADER};
     * with a transmit thread {@code TX_QUEUE_FULL} (the ring was full and the caller waited for a
     * slot: back-pressure), {@code TX_QUEUE_REFUSED} (the writer made no progress and a frame
     * was refused), {@code TX_QUEUED_ACKS} (pure ACKs handed to the writer during a bulk
     * receive, {@link #BULK_RECEIVE_FRAMES}) and {@code TX_BATCHES} (io_uring_enter(2) calls
     * that carried the writer's frames, several per call: {@link TapTransmitQueue}).
     */
    @Override
    public int counterCount() {
        return COUNTER_NAMES.length;
    }

    @Override
    public String counterName(int index) {
        return COUNTER_NAMES[index];
    }

    @Override
    public long counterValue(int index) {
        return switch (index) {
            case 0 -> framesReceived;
            case 1 -> framesTransmitted();
            case 2 -> receiveErrors;
            case 3 -> transmitErrors();
            case 4 -> oversizeFrames;
            case 5 -> segmentedReceived;
            case 6 -> segmentedTransmitted;
            case 7 -> checksumsCompleted;
            case 8 -> badVnetHeaders;
            case 9 -> transmitQueue == null ? 0 : transmitQueue.fullWaits();
            case 10 -> transmitQueue == null ? 0 : transmitQueue.refused();
            case 11 -> queuedAcks;
            case 12 -> transmitQueue == null ? 0 : transmitQueue.batches();
            case 13 -> checksumsTrusted;
            default -> throw new IndexOutOfBoundsException("TAP counter " + index + " of " + COUNTER_NAMES.length);
        };
    }

    /** The last error number counted, or 0. */
    public int lastErrno() {
        return transmitQueue != null && transmitQueue.lastErrno() != 0 ? transmitQueue.lastErrno() : lastErrno;
    }

    /** Closes the descriptor; a TAP that was not made persistent disappears with it. Idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            if (transmitQueue != null) {
                // The writer ends before the descriptor it writes to is closed.
                transmitQueue.close();
            }
            syscalls.close(fd);
            fd = -1;
            arena.close();
        }
        synchronized (this) {
            for (TapWatch watch : watches) {
                watch.close();
            }
            watches.clear();
        }
    }

    @Override
    public String toString() {
        return "TapDevice[" + name + " mac " + MacAddress.format(mac) + " mtu " + mtu + (offload ? " offload" : "") + "]";
    }
}
