package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.testkit.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A Linux {@link TapDevice} whose far end is a second TAP, the two joined by a bridge inside a
 * network namespace the rig creates ({@code spinet-fdcontract-PID}) and deletes on close. Both
 * TAPs are opened in the host namespace, where they stay down and silent, and moved into the
 * namespace at once; IPv6 is off there, nothing has an address and the bridge does no multicast
 * snooping, so the kernel adds no frames of its own. Without root, {@code ip} or {@code /dev/net/tun} the test is skipped, or fails
 * under {@code CI=true} ({@link Netns#requireOrSkip}).
 */
final class TapRig implements DeviceRig {

    static final long DEVICE_MAC = 0x02_00_00_7A_00_01L;
    static final long FAR_END_MAC = 0x02_00_00_7A_00_02L;
    /** Frames cross the kernel's bridge in a softirq: wait this long before calling one lost. */
    private static final long ARRIVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final String BRIDGE = "spbr0";

    private final Netns netns;
    private final TapDevice device;
    private final TapDevice farEnd;
    private final byte[] farBuffer = new byte[FrameDevice.ETHERNET_HEADER_LENGTH + 1500];

    private TapRig(Netns netns, TapDevice device, TapDevice farEnd) {
        this.netns = netns;
        this.device = device;
        this.farEnd = farEnd;
    }

    static TapRig open() throws IOException, InterruptedException {
        return open(0);
    }

    /** The device writes through its transmit thread ({@link TapDevice#TRANSMIT_QUEUE_FRAMES}), as {@code spinet run --no-offload} does. */
    static TapRig openWithTransmitThread() throws IOException, InterruptedException {
        return open(TapDevice.TRANSMIT_QUEUE_FRAMES);
    }

    private static TapRig open(int transmitQueueFrames) throws IOException, InterruptedException {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux (TapDevice calls the C library)");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        Netns netns = Netns.create("fdcontract");
        TapDevice device = null;
        TapDevice farEnd = null;
        try {
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            long suffix = ProcessHandle.current().pid() % 1_000_000L;
            device = new TapDevice(Libc.instance(), "spfdd" + suffix, DEVICE_MAC, 1500, false, transmitQueueFrames);
            if (transmitQueueFrames > 0 && !device.transmitThread()) {
                throw new AssertionError(device + " has no transmit thread");
            }
            farEnd = TapDevice.open("spfdf" + suffix, FAR_END_MAC);
            // Multicast snooping off: with it on, the bridge joins 224.0.0.106 (RFC 4286, all-snoopers)
            // and sends IGMPv3 reports out of both TAPs, frames the test never sent.
            netns.execOk(10, "ip", "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0");
            for (TapDevice tap : new TapDevice[] {device, farEnd}) {
                Netns.Result moved = Netns.run(10, "ip", "link", "set", tap.name(), "netns", netns.name);
                assertEquals(0, moved.status(), () -> "moving " + tap.name() + " into " + netns.name + ": " + moved.output());
                netns.execOk(10, "ip", "link", "set", tap.name(), "master", BRIDGE);
                netns.execOk(10, "ip", "link", "set", tap.name(), "up");
            }
            netns.execOk(10, "ip", "link", "set", BRIDGE, "up");
            return new TapRig(netns, device, farEnd);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            closeQuietly(device);
            closeQuietly(farEnd);
            netns.close();
            throw e;
        }
    }

    private static void closeQuietly(TapDevice tap) {
        if (tap != null) {
            tap.close();
        }
    }

    @Override
    public FrameDevice device() {
        return device;
    }

    @Override
    public long configuredMac() {
        return DEVICE_MAC;
    }

    @Override
    public void sendToDevice(byte[] frame) {
        if (!farEnd.transmit(frame, 0, frame.length)) {
            throw new IllegalStateException("the far end's TAP refused a frame: errno " + farEnd.lastErrno());
        }
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        return awaitFrame(device, buffer, offset, capacity);
    }

    @Override
    public byte[] takeFromDevice() {
        int length = awaitFrame(farEnd, farBuffer, 0, farBuffer.length);
        return length > 0 ? Arrays.copyOf(farBuffer, length) : null;
    }

    private static int awaitFrame(TapDevice tap, byte[] buffer, int offset, int capacity) {
        long deadline = System.nanoTime() + ARRIVAL_NANOS;
        while (true) {
            int result = tap.receive(buffer, offset, capacity);
            if (result != FrameDevice.NO_FRAME || System.nanoTime() - deadline >= 0) {
                return result;
            }
            try {
                tap.awaitReceive(AWAIT_SLICE_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FrameDevice.NO_FRAME;
            }
        }
    }

    /** A TAP's carrier is its open descriptor: there is no cable to pull. */
    @Override
    public void plugCable(boolean plugged) {
        throw new UnsupportedOperationException("a TAP has no cable");
    }

    @Override
    public OptionalLong counted(Counted event) {
        return switch (event) {
            case RECEIVE_TOO_LONG -> OptionalLong.of(device.oversizeFrames());
            case TRANSMIT_LINK_DOWN -> OptionalLong.empty();
        };
    }

    @Override
    public void assertHealthy() {
        for (TapDevice tap : new TapDevice[] {device, farEnd}) {
            assertEquals(0, tap.receiveErrors(), () -> tap + " read errors, last errno " + tap.lastErrno());
            assertEquals(0, tap.transmitErrors(), () -> tap + " write errors, last errno " + tap.lastErrno());
        }
    }

    @Override
    public void close() {
        device.close();
        farEnd.close();
        try {
            netns.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("deleting namespace " + netns.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
