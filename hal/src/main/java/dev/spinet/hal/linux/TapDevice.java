package dev.spinet.hal.linux;

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
    /** Longest single poll(2), so an interrupt is noticed promptly. */
    public static final int POLL_SLICE_MILLIS = 100;
    /** The names {@link #counterValue} answers for, in index order. */
    private static final String[] COUNTER_NAMES = {"RX_FRAMES", "TX_FRAMES", "RX_ERRORS", "TX_ERRORS", "RX_TOO_LONG"};

    private static final int MIN_FRAME_WITHOUT_FCS = 60;

    private final LinuxSyscalls syscalls;
    private final String name;
    private final long mac;
    private final int mtu;
    private final Arena arena;
    private final MemorySegment receiveBuffer;
    private final MemorySegment transmitBuffer;
    private final MemorySegment pollFd;
    private int fd = -1;
    /** Also polled by {@link #awaitReceive}: another thread's signal ends the wait; null if none. */
    private EventFd wake;
    private long receiveErrors;
    private long transmitErrors;
    private long framesReceived;
    private long framesTransmitted;
    private long oversizeFrames;
    private int lastErrno;

    /**
     * Creates (or attaches to an existing persistent) TAP interface {@code name}.
     *
     * @param mac this end's MAC (the stack's), 48 bits; must be unicast
     * @param mtu the IP MTU the stack uses (68..65517); frames up to {@code mtu + 14} are sent
     * @throws LinuxDeviceException with what to do: no /dev/net/tun, no CAP_NET_ADMIN, name taken
     */
    public TapDevice(LinuxSyscalls syscalls, String name, long mac, int mtu) {
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
            receiveBuffer = arena.allocate(RECEIVE_BUFFER_SIZE, 8);
            transmitBuffer = arena.allocate(Math.max(MIN_FRAME_WITHOUT_FCS, mtu + ETHERNET_HEADER_LENGTH), 8);
            pollFd = arena.allocate(2L * PollFd.SIZE, 8);
            fd = openClone();
            this.name = attach(name);
        } catch (RuntimeException e) {
            if (fd >= 0) {
                syscalls.close(fd);
                fd = -1;
            }
            arena.close();
            throw e;
        }
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

    private String attach(String requestedName) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment ifreq = scratch.allocate(IfReq.SIZE, 8);
            IfReq.write(ifreq, requestedName, (short) (IfReq.IFF_TAP | IfReq.IFF_NO_PI));
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
        long length = syscalls.read(fd, receiveBuffer, RECEIVE_BUFFER_SIZE);
        if (length < 0) {
            if (length != -Errno.EAGAIN && length != -Errno.EINTR) {
                receiveErrors++;
                lastErrno = (int) -length;
            }
            return NO_FRAME;
        }
        if (length == 0) {
            return NO_FRAME;
        }
        if (length > capacity) {
            oversizeFrames++;
            return FRAME_TOO_LONG;
        }
        MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, buffer, offset, (int) length);
        framesReceived++;
        return (int) length;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > maxFrameLength()) {
            throw new IllegalArgumentException("frame length " + length + " outside " + ETHERNET_HEADER_LENGTH + ".."
                    + maxFrameLength() + " (MTU " + mtu + " + 14-byte header)");
        }
        Objects.checkFromIndexSize(offset, length, frame.length);
        requireOpen();
        MemorySegment.copy(frame, offset, transmitBuffer, ValueLayout.JAVA_BYTE, 0, length);
        int wireLength = length;
        if (wireLength < MIN_FRAME_WITHOUT_FCS) {
            for (int i = wireLength; i < MIN_FRAME_WITHOUT_FCS; i++) {
                transmitBuffer.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
            }
            wireLength = MIN_FRAME_WITHOUT_FCS;
        }
        long written = syscalls.write(fd, transmitBuffer, wireLength);
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

    /** The interface name the kernel confirmed. */
    public String name() {
        return name;
    }

    /** read(2) failures other than EAGAIN/EINTR. */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** write(2) failures other than EAGAIN, including short writes. */
    public long transmitErrors() {
        return transmitErrors;
    }

    /** Frames dropped by {@link #receive} because they exceeded the caller's capacity. */
    public long oversizeFrames() {
        return oversizeFrames;
    }

    /** Frames handed to the caller. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Frames the kernel took whole. */
    public long framesTransmitted() {
        return framesTransmitted;
    }

    /**
     * {@link DeviceCounters}: {@code RX_FRAMES}, {@code TX_FRAMES}, {@code RX_ERRORS} (read(2)
     * failures), {@code TX_ERRORS} (write(2) failures and short writes), {@code RX_TOO_LONG}.
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
            case 1 -> framesTransmitted;
            case 2 -> receiveErrors;
            case 3 -> transmitErrors;
            case 4 -> oversizeFrames;
            default -> throw new IndexOutOfBoundsException("TAP counter " + index + " of " + COUNTER_NAMES.length);
        };
    }

    /** The last error number counted, or 0. */
    public int lastErrno() {
        return lastErrno;
    }

    /** Closes the descriptor; a TAP that was not made persistent disappears with it. Idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            syscalls.close(fd);
            fd = -1;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "TapDevice[" + name + " mac " + MacAddress.format(mac) + " mtu " + mtu + "]";
    }
}
