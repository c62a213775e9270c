package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real TAP against the real kernel, inside a network namespace this test creates: the TAP is
 * opened in the host namespace (where it stays down and silent), moved at once into
 * {@code spinet-tap-<pid>}, addressed 10.99.0.1/24 there, and the kernel pings 10.99.0.2, which
 * is this test: it answers the ARP request and the ICMP echo request with frames it builds by
 * hand. ping's exit status proves both replies arrived. Nothing is ever sent in the host
 * namespace; the TAP is closed and the namespace deleted when the test ends, however it ends.
 */
class TapDeviceNamespaceTest {

    private static final long OUR_MAC = 0x02_00_00_99_00_02L;
    private static final byte[] OUR_IP = {10, 99, 0, 2};
    private static final byte[] KERNEL_IP = {10, 99, 0, 1};
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(8);

    @Test
    void kernelPingsTheTestThroughTheTap() throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        long pid = ProcessHandle.current().pid();
        String tapName = "sptap" + (pid % 1_000_000_000L);
        // Resources close in reverse order: the TAP first, then the namespace is deleted.
        try (Netns netns = Netns.create("tap", "ping");
             TapDevice tap = TapDevice.open(tapName, OUR_MAC)) {
            assertEquals(tapName, tap.name());
            netns.execOk(10, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            netns.adoptLink(tapName, "10.99.0.1/24");

            Process ping = new ProcessBuilder(netns.inside("ping", "-n", "-c", "1", "-W", "5", "10.99.0.2"))
                    .redirectErrorStream(true).start();
            byte[] frame = new byte[2048];
            byte[] reply = new byte[1514];
            boolean answeredArp = false;
            boolean answeredEcho = false;
            long kernelMac = 0;
            long start = System.nanoTime();
            while (!answeredEcho && System.nanoTime() - start < DEADLINE_NANOS) {
                tap.awaitReceive(TimeUnit.MILLISECONDS.toNanos(100));
                int length = tap.receive(frame, 0, frame.length);
                if (length <= 0) {
                    continue;
                }
                if (isArpRequestForUs(frame, length)) {
                    kernelMac = MacAddress.read(frame, 6);
                    assertArpRequest(frame, length, kernelMac);
                    int replyLength = buildArpReply(frame, reply, kernelMac);
                    assertTrue(tap.transmit(reply, 0, replyLength));
                    answeredArp = true;
                } else if (answeredArp && isEchoRequestForUs(frame, length)) {
                    assertEquals(OUR_MAC, MacAddress.read(frame, 0), "after our ARP reply the kernel addresses our MAC");
                    int replyLength = buildEchoReply(frame, length, reply);
                    assertTrue(tap.transmit(reply, 0, replyLength));
                    answeredEcho = true;
                }
            }
            assertTrue(answeredArp, "no ARP request for 10.99.0.2 arrived from the kernel");
            assertTrue(answeredEcho, "no ICMP echo request arrived after the ARP reply");
            assertTrue(ping.waitFor(10, TimeUnit.SECONDS), "ping did not finish");
            String pingOutput = new String(ping.getInputStream().readAllBytes());
            assertEquals(0, ping.exitValue(), "ping failed, so the kernel did not accept our replies: " + pingOutput);

            // The kernel side counts what we wrote as received.
            long received = Long.parseLong(netns.execOk(10, "cat", "/sys/class/net/" + tapName + "/statistics/rx_packets").trim());
            assertTrue(received >= 2, "kernel interface rx_packets " + received);

            // A frame longer than the caller's capacity is consumed and reported, not truncated.
            Process bigPing = new ProcessBuilder(netns.inside("ping", "-n", "-c", "1", "-W", "1", "-s", "1200", "10.99.0.2"))
                    .redirectErrorStream(true).start();
            int result = FrameDevice.NO_FRAME;
            start = System.nanoTime();
            while (result == FrameDevice.NO_FRAME && System.nanoTime() - start < DEADLINE_NANOS) {
                tap.awaitReceive(TimeUnit.MILLISECONDS.toNanos(100));
                result = tap.receive(frame, 0, 100);
            }
            assertEquals(FrameDevice.FRAME_TOO_LONG, result);
            assertEquals(1, tap.oversizeFrames());
            bigPing.waitFor(5, TimeUnit.SECONDS);
            assertEquals(0, tap.receiveErrors());
            assertEquals(0, tap.transmitErrors());
        }
    }

    private static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    private static boolean ipEquals(byte[] b, int offset, byte[] ip) {
        return b[offset] == ip[0] && b[offset + 1] == ip[1] && b[offset + 2] == ip[2] && b[offset + 3] == ip[3];
    }

    private static boolean isArpRequestForUs(byte[] f, int length) {
        return length >= 42 && u16(f, 12) == 0x0806 && u16(f, 20) == 1 && ipEquals(f, 38, OUR_IP);
    }

    /** RFC 826 request as Linux sends it: broadcast, Ethernet/IPv4, sender = kernel side. */
    private static void assertArpRequest(byte[] f, int length, long kernelMac) {
        assertEquals(MacAddress.BROADCAST, MacAddress.read(f, 0));
        assertEquals(1, u16(f, 14), "htype Ethernet");
        assertEquals(0x0800, u16(f, 16), "ptype IPv4");
        assertEquals(6, f[18]);
        assertEquals(4, f[19]);
        assertEquals(kernelMac, MacAddress.read(f, 22), "sender hardware address = Ethernet source");
        assertTrue(ipEquals(f, 28, KERNEL_IP), "sender protocol address 10.99.0.1");
        assertTrue(length >= 42);
    }

    private static int buildArpReply(byte[] request, byte[] out, long kernelMac) {
        MacAddress.write(kernelMac, out, 0);
        MacAddress.write(OUR_MAC, out, 6);
        out[12] = 0x08;
        out[13] = 0x06;
        System.arraycopy(request, 14, out, 14, 6); // htype, ptype, hlen, plen
        out[20] = 0;
        out[21] = 2; // reply
        MacAddress.write(OUR_MAC, out, 22);
        System.arraycopy(OUR_IP, 0, out, 28, 4);
        MacAddress.write(kernelMac, out, 32);
        System.arraycopy(KERNEL_IP, 0, out, 38, 4);
        return 42; // TapDevice pads to 60
    }

    private static boolean isEchoRequestForUs(byte[] f, int length) {
        if (length < 42 || u16(f, 12) != 0x0800) {
            return false;
        }
        int headerLength = (f[14] & 0x0F) * 4;
        return f[23] == 1 && ipEquals(f, 30, OUR_IP) && (f[14 + headerLength] & 0xFF) == 8;
    }

    private static int buildEchoReply(byte[] request, int length, byte[] out) {
        int ipLength = u16(request, 16);
        int headerLength = (request[14] & 0x0F) * 4;
        int frameLength = 14 + ipLength;
        System.arraycopy(request, 0, out, 0, frameLength);
        System.arraycopy(request, 6, out, 0, 6);
        MacAddress.write(OUR_MAC, out, 6);
        System.arraycopy(request, 30, out, 26, 4); // source = request's destination
        System.arraycopy(request, 26, out, 30, 4);
        out[22] = 64; // TTL
        out[24] = 0;
        out[25] = 0;
        int ipChecksum = checksum(out, 14, headerLength);
        out[24] = (byte) (ipChecksum >> 8);
        out[25] = (byte) ipChecksum;
        int icmp = 14 + headerLength;
        out[icmp] = 0; // echo reply
        out[icmp + 2] = 0;
        out[icmp + 3] = 0;
        int icmpChecksum = checksum(out, icmp, ipLength - headerLength);
        out[icmp + 2] = (byte) (icmpChecksum >> 8);
        out[icmp + 3] = (byte) icmpChecksum;
        assertTrue(frameLength <= length);
        return frameLength;
    }

    /** RFC 1071 Internet checksum. */
    private static int checksum(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += u16(b, offset + i);
        }
        if ((length & 1) != 0) {
            sum += (b[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
