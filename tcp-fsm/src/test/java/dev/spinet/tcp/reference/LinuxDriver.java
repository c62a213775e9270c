package dev.spinet.tcp.reference;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.tcp.scenario.Seg;
import dev.spinet.testkit.Netns;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Linux kernel's TCP, reached through a TAP in a network namespace of its own: the kernel
 * end of the TAP is 10.77.0.1 inside {@code spinet-tcpref-<pid>}, and this driver is the remote
 * host 10.77.0.2 on the other end, writing and reading raw Ethernet frames through Spinet's
 * {@link TapDevice} and answering the kernel's ARP requests itself. The kernel's sockets belong
 * to {@link KernelApplication}. Nothing is sent outside the namespace: the TAP is opened in the
 * host namespace, where it stays down, and moved into the namespace before it is configured.
 */
final class LinuxDriver implements StackDriver {

    static final String KERNEL_IP = "10.77.0.1";
    static final String PEER_IP = "10.77.0.2";
    private static final long PEER_MAC = 0x02_00_00_77_00_02L;
    /** SO_RCVBUF for zero-window scenarios; the kernel doubles it (socket(7)). */
    private static final int SMALL_RCVBUF = 2048;

    private final Netns netns;
    private final TapDevice tap;
    private final KernelApplication application;
    private final long kernelMac;
    private final int kernelAddress = Ipv4Packet.parseAddress(KERNEL_IP);
    private final int peerAddress = Ipv4Packet.parseAddress(PEER_IP);
    private final byte[] receiveFrame = new byte[TapDevice.RECEIVE_BUFFER_SIZE];
    private final byte[] transmitFrame = new byte[1514];
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final Set<Integer> scenarioPeerPorts = new HashSet<>();
    private final Set<Integer> claimed = new HashSet<>();
    private int rcvbuf;
    private int finWait2TimeoutSeconds;
    private int identification;

    private LinuxDriver(Netns netns, TapDevice tap, KernelApplication application, long kernelMac) {
        this.netns = netns;
        this.tap = tap;
        this.application = application;
        this.kernelMac = kernelMac;
    }

    /** Creates the namespace, the TAP and the kernel-side application; undoes all of it on failure. */
    static LinuxDriver open() throws IOException, InterruptedException {
        Netns netns = Netns.create("tcpref", "python3");
        TapDevice tap = null;
        try {
            String tapName = "sptcp" + (ProcessHandle.current().pid() % 1_000_000_000L);
            tap = TapDevice.open(tapName, PEER_MAC);
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.adoptLink(tapName, KERNEL_IP + "/24");
            long kernelMac = MacAddress.parse(netns.execOk(10, "cat", "/sys/class/net/" + tapName + "/address").strip());
            KernelApplication application = new KernelApplication(netns, KERNEL_IP, PEER_IP);
            return new LinuxDriver(netns, tap, application, kernelMac);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (tap != null) {
                tap.close();
            }
            netns.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "Linux";
    }

    @Override
    public void begin(Scenario scenario) {
        scenarioPeerPorts.clear();
        claimed.clear();
        rcvbuf = scenario.smallReceiveBuffer ? SMALL_RCVBUF : 0;
        finWait2TimeoutSeconds = scenario.finWait2TimeoutSeconds;
        application.command("congestion " + (scenario.kernelCongestionControl == null ? "default" : scenario.kernelCongestionControl));
    }

    @Override
    public String call(UserCall call, Numbering numbering, int amount) {
        scenarioPeerPorts.add(numbering.peerPort);
        String connection = "c" + numbering.peerPort;
        return switch (call) {
            case LISTEN -> application.command("listen l" + numbering.stackPort + " " + numbering.stackPort + " " + rcvbuf);
            case CONNECT -> {
                claimed.add(numbering.peerPort);
                yield application.command("connect " + connection + " " + numbering.peerPort + " " + rcvbuf);
            }
            case SEND -> application.command("send " + claim(numbering) + " " + amount);
            case READ -> application.command("read " + claim(numbering) + " " + amount);
            case CLOSE -> {
                if (finWait2TimeoutSeconds > 0) {
                    application.command("linger2 " + claim(numbering) + " " + finWait2TimeoutSeconds);
                }
                yield application.command("close " + claim(numbering));
            }
            case SHUTDOWN -> application.command("shutdown " + claim(numbering));
            case ABORT -> application.command("abort " + claim(numbering));
            case KEEPALIVE -> application.command("keepalive " + claim(numbering));
        };
    }

    /** A passive connection becomes the application's with accept(2) the first time it is used. */
    private String claim(Numbering numbering) {
        String connection = "c" + numbering.peerPort;
        if (claimed.add(numbering.peerPort)) {
            application.command("accept " + connection + " l" + numbering.stackPort + " " + numbering.peerPort);
        }
        return connection;
    }

    @Override
    public void inject(Numbering numbering, Seg seg) {
        scenarioPeerPorts.add(numbering.peerPort);
        int ipOffset = EthernetFrame.HEADER_LENGTH;
        int tcpOffset = ipOffset + Ipv4Packet.MIN_HEADER_LENGTH;
        int tcpLength = seg.writeTo(transmitFrame, tcpOffset, peerAddress, kernelAddress);
        EthernetFrame.writeHeader(transmitFrame, 0, kernelMac, PEER_MAC, EthernetFrame.TYPE_IPV4);
        identification = (identification + 1) & 0xFFFF;
        Ipv4Packet.writeHeader(transmitFrame, ipOffset, Ipv4Packet.MIN_HEADER_LENGTH + tcpLength, identification, true, 64,
                TcpSegment.PROTOCOL, peerAddress, kernelAddress);
        if (!tap.transmit(transmitFrame, 0, tcpOffset + tcpLength)) {
            throw new IllegalStateException("the TAP refused a frame (errno " + tap.lastErrno() + ")");
        }
    }

    @Override
    public List<Captured> collect(int minimum, long quietNanos, long maxNanos) {
        List<Captured> out = new ArrayList<>();
        long start = System.nanoTime();
        long lastSegmentAt = start;
        try {
            while (true) {
                long now = System.nanoTime();
                if (out.size() >= minimum && now - lastSegmentAt >= quietNanos) {
                    return out;
                }
                if (now - start >= maxNanos) {
                    return out;
                }
                long until = out.size() >= minimum ? Math.min(lastSegmentAt + quietNanos, start + maxNanos) : start + maxNanos;
                tap.awaitReceive(Math.max(until - now, 100_000L));
                for (int length = tap.receive(receiveFrame, 0, receiveFrame.length); length > 0;
                     length = tap.receive(receiveFrame, 0, receiveFrame.length)) {
                    Captured segment = handleFrame(length, System.nanoTime());
                    if (segment != null) {
                        out.add(segment);
                        lastSegmentAt = segment.atNanos();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return out;
        }
    }

    /** Answers ARP for the peer address; returns a TCP segment of the current scenario, or null. */
    private Captured handleFrame(int length, long at) {
        if (length < EthernetFrame.HEADER_LENGTH) {
            return null;
        }
        int etherType = ((receiveFrame[12] & 0xFF) << 8) | (receiveFrame[13] & 0xFF);
        if (etherType == EthernetFrame.TYPE_ARP) {
            answerArp(length);
            return null;
        }
        if (etherType != EthernetFrame.TYPE_IPV4
                || ip.wrap(receiveFrame, EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH) != WireError.OK
                || ip.protocol() != TcpSegment.PROTOCOL || ip.source() != kernelAddress || ip.destination() != peerAddress) {
            return null;
        }
        int tcpOffset = ip.payloadOffset();
        int tcpLength = ip.totalLength() - ip.headerLength();
        if (tcp.wrap(receiveFrame, tcpOffset, tcpLength) != WireError.OK || !scenarioPeerPorts.contains(tcp.destinationPort())) {
            return null; // another scenario's connection (its sockets were reset when it ended)
        }
        return new Captured(tcp.sourcePort(), tcp.destinationPort(), tcp.flags(), tcp.sequenceNumber(), tcp.acknowledgmentNumber(),
                tcp.window(), tcp.payloadLength(), Seg.from(tcp), at);
    }

    private void answerArp(int length) {
        int arp = EthernetFrame.HEADER_LENGTH;
        if (length < arp + ArpPacket.LENGTH) {
            return;
        }
        int operation = ((receiveFrame[arp + ArpPacket.OPERATION_OFFSET] & 0xFF) << 8) | (receiveFrame[arp + ArpPacket.OPERATION_OFFSET + 1] & 0xFF);
        int target = readInt(receiveFrame, arp + ArpPacket.TARGET_IP_OFFSET);
        if (operation != ArpPacket.OP_REQUEST || target != peerAddress) {
            return;
        }
        long senderMac = MacAddress.read(receiveFrame, arp + ArpPacket.SENDER_MAC_OFFSET);
        int senderIp = readInt(receiveFrame, arp + ArpPacket.SENDER_IP_OFFSET);
        EthernetFrame.writeHeader(transmitFrame, 0, senderMac, PEER_MAC, EthernetFrame.TYPE_ARP);
        ArpPacket.write(transmitFrame, arp, ArpPacket.OP_REPLY, PEER_MAC, peerAddress, senderMac, senderIp);
        tap.transmit(transmitFrame, 0, arp + ArpPacket.LENGTH);
    }

    private static int readInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }

    @Override
    public void end() {
        // RST every socket of the scenario now, so none retransmits into later scenarios' time.
        application.command("reset");
    }

    @Override
    public void close() {
        application.close();
        tap.close();
        try {
            netns.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not delete namespace " + netns.name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
