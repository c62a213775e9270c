package dev.spinet.udp;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import java.util.function.BooleanSupplier;

/**
 * Two whole stacks, a client (10.0.0.2) and a server (10.0.0.1), joined by an in-memory wire
 * that copies frames between preallocated rings (so stepping it allocates nothing), driven on the
 * test's thread with a manual clock that jumps from deadline to deadline. A {@link Tap} on each
 * direction sees every frame and may drop it; {@link #injectToClient} puts a crafted frame on the
 * wire towards the client.
 */
public final class StackPair {

    public static final int CLIENT = 0x0A_00_00_02;
    public static final int SERVER = 0x0A_00_00_01;
    public static final long CLIENT_MAC = 0x02_00_00_00_00_02L;
    public static final long SERVER_MAC = 0x02_00_00_00_00_01L;

    /** Sees each frame on its way; returns false to lose it. Must not keep the array. */
    @FunctionalInterface
    public interface Tap {
        boolean pass(byte[] frame, int offset, int length);
    }

    public final LinkEnd clientDevice = new LinkEnd(CLIENT_MAC);
    public final LinkEnd serverDevice = new LinkEnd(SERVER_MAC);
    public final Stack client;
    public final Stack server;
    public long now = 1_000_000_000L;

    public StackPair(StackConfig.Builder clientConfig, StackConfig.Builder serverConfig) {
        clientDevice.peer = serverDevice;
        serverDevice.peer = clientDevice;
        client = new Stack(clientConfig.ipAddress(CLIENT, 24).tcpSecret(CLIENT).build(), clientDevice);
        server = new Stack(serverConfig.ipAddress(SERVER, 24).tcpSecret(SERVER).build(), serverDevice);
    }

    public StackPair() {
        this(StackConfig.builder(), StackConfig.builder());
    }

    /** Frames from the client to the server pass {@code tap} (null: all pass). */
    public void tapClientToServer(Tap tap) {
        clientDevice.tap = tap;
    }

    /** Frames from the server to the client pass {@code tap} (null: all pass). */
    public void tapServerToClient(Tap tap) {
        serverDevice.tap = tap;
    }

    /** Queues a frame for the client as if the wire carried it. */
    public void injectToClient(byte[] frame) {
        clientDevice.deliver(frame, 0, frame.length);
    }

    /** Polls both stacks at {@link #now} until neither has work nor frames waiting. */
    public void exchange() {
        for (int i = 0; i < 100_000; i++) {
            int work = client.poll(now) + server.poll(now);
            if (work == 0 && clientDevice.count == 0 && serverDevice.count == 0) {
                return;
            }
        }
        throw new AssertionError("the stacks did not settle at " + now);
    }

    /** Runs both stacks for {@code nanos}, the clock jumping to each deadline on the way. */
    public void runFor(long nanos) {
        long end = now + nanos;
        for (int i = 0; i < 1_000_000; i++) {
            exchange();
            long next = nextDeadline();
            if (next - end > 0) {
                now = end;
                exchange();
                return;
            }
            now = next - now > 0 ? next : now + 1_000;
        }
        throw new AssertionError("runFor did not reach its end");
    }

    /** Runs until {@code done} holds (true) or {@code maxNanos} pass (false). */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        for (int i = 0; i < 1_000_000; i++) {
            exchange();
            if (done.getAsBoolean()) {
                return true;
            }
            long next = nextDeadline();
            if (next - end > 0) {
                now = end;
                exchange();
                return done.getAsBoolean();
            }
            now = next - now > 0 ? next : now + 1_000;
        }
        return false;
    }

    private long nextDeadline() {
        long a = client.nextDeadline(now);
        long b = server.nextDeadline(now);
        return a - b < 0 ? a : b;
    }

    /**
     * An ICMP destination unreachable (type 3) from {@code fromIp} to the client about a UDP
     * datagram the client sent to {@code quotedDestination:quotedPort} from {@code quotedSourcePort},
     * quoting its IPv4 header, UDP header and {@code quotedData} (as much as a router keeps).
     */
    public static byte[] unreachableToClient(int fromIp, int code, int quotedDestination, int quotedPort, int quotedSourcePort,
                                      byte[] quotedData) {
        int icmpLength = 8 + 20 + 8 + quotedData.length;
        byte[] frame = new byte[34 + icmpLength];
        EthernetFrame.writeHeader(frame, 0, StackPair.CLIENT_MAC, StackPair.SERVER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, 14, 20 + icmpLength, 9, false, 64, Ipv4Packet.PROTOCOL_ICMP, fromIp, StackPair.CLIENT);
        frame[34] = (byte) IcmpPacket.TYPE_DEST_UNREACHABLE;
        frame[35] = (byte) code;
        Ipv4Packet.writeHeader(frame, 42, 20 + 8 + 512, 1, false, 64, Ipv4Packet.PROTOCOL_UDP, StackPair.CLIENT, quotedDestination);
        UdpDatagram.writeHeader(frame, 62, quotedSourcePort, quotedPort, 512);
        System.arraycopy(quotedData, 0, frame, 70, quotedData.length);
        IcmpPacket.writeChecksum(frame, 34, icmpLength);
        return frame;
    }

    /** One end of the wire: a ring of frames waiting to be received, filled by the other end's transmit. */
    public static final class LinkEnd implements FrameDevice {
        private static final int SLOTS = 256;
        private final long mac;
        private final byte[][] frames = new byte[SLOTS][1514];
        private final int[] lengths = new int[SLOTS];
        private int head;
        private int count;
        LinkEnd peer;
        Tap tap;
        /** Frames lost because this end's ring was full. */
        public long overflows;

        LinkEnd(long mac) {
            this.mac = mac;
        }

        @Override
        public int receive(byte[] buffer, int offset, int capacity) {
            if (count == 0) {
                return NO_FRAME;
            }
            int length = lengths[head];
            byte[] frame = frames[head];
            head = (head + 1) % SLOTS;
            count--;
            if (length > capacity) {
                return FRAME_TOO_LONG;
            }
            System.arraycopy(frame, 0, buffer, offset, length);
            return length;
        }

        @Override
        public boolean transmit(byte[] frame, int offset, int length) {
            if (tap == null || tap.pass(frame, offset, length)) {
                peer.deliver(frame, offset, length);
            }
            return true;
        }

        void deliver(byte[] frame, int offset, int length) {
            if (count == SLOTS) {
                overflows++;
                return;
            }
            int slot = (head + count) % SLOTS;
            System.arraycopy(frame, offset, frames[slot], 0, length);
            lengths[slot] = length;
            count++;
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
}
