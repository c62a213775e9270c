package dev.spinet.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.udp.UdpLayer;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client against frames built by the test: exact bytes out, state and timers after each reply. */
class DhcpClientTest {

    static final long MAC = 0x02_AA_BB_CC_DD_EEL;
    static final int SERVER = 0x0A_00_00_01;
    static final int OFFERED = 0x0A_00_00_64;
    static final int ROUTER = 0x0A_00_00_FE;
    static final int DNS = 0x0A_00_00_35;
    static final int BROADCAST = 0xFFFF_FFFF;
    static final long SECOND = 1_000_000_000L;

    final QueueFrameDevice device = new QueueFrameDevice(MAC);
    final Interface iface = new Interface(StackConfig.builder().build(), device);
    final UdpLayer udp = new UdpLayer(4, iface);
    final List<String> events = new ArrayList<>();
    DhcpClient client;
    long now = 100 * SECOND;

    DhcpClientTest() {
        iface.addTransport(udp);
        client = new DhcpClient(iface, udp, 42).listener(new DhcpListener() {
            @Override
            public void onStateChanged(DhcpState from, DhcpState to, long nowNanos) {
                events.add(from + "->" + to);
            }

            @Override
            public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
                events.add("acquired " + Integer.toHexString(address) + "/" + prefixLength + " gw " + Integer.toHexString(router)
                        + " dns " + Integer.toHexString(dnsServer) + " lease " + leaseSeconds);
            }

            @Override
            public void onLeaseRenewed(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
                events.add("renewed " + Integer.toHexString(address) + " lease " + leaseSeconds);
            }

            @Override
            public void onLeaseLost(int address, DhcpLeaseLoss reason, long nowNanos) {
                events.add("lost " + Integer.toHexString(address) + " " + reason);
            }
        });
    }

    void poll() {
        while (iface.poll(now) > 0) {
            // until idle
        }
    }

    /** The DHCP payload of the next frame the client sent, checking it is UDP 68 -> 67. */
    byte[] nextDhcp() {
        byte[] frame = nextIpFrame();
        assertNotNull(frame, "the client sent something");
        assertEquals(0x0800, u16(frame, 12), "IPv4");
        assertEquals(17, frame[23], "UDP");
        assertEquals(68, u16(frame, 34));
        assertEquals(67, u16(frame, 36));
        return Arrays.copyOfRange(frame, 42, 34 + u16(frame, 38));
    }

    /** The next IPv4 frame sent, skipping ARP (a RENEWING request may wait for the server's MAC). */
    byte[] nextIpFrame() {
        byte[] frame = device.takeSent();
        while (frame != null && u16(frame, 12) == EthernetFrame.TYPE_ARP) {
            frame = device.takeSent();
        }
        return frame;
    }

    DhcpMessage view(byte[] dhcp) {
        DhcpMessage m = new DhcpMessage();
        assertEquals(DhcpFlaw.OK, m.wrap(dhcp, 0, dhcp.length));
        return m;
    }

    ServerReply offer() {
        return new ServerReply(DhcpMessage.DHCPOFFER, client.xid(), OFFERED, MAC).option(DhcpMessage.OPTION_SERVER_ID, SERVER)
                .option(DhcpMessage.OPTION_LEASE_TIME, 3600);
    }

    ServerReply ack(int leaseSeconds) {
        return new ServerReply(DhcpMessage.DHCPACK, client.xid(), OFFERED, MAC).option(DhcpMessage.OPTION_SERVER_ID, SERVER)
                .option(DhcpMessage.OPTION_LEASE_TIME, leaseSeconds).option(DhcpMessage.OPTION_SUBNET_MASK, 0xFFFF_FF00)
                .option(DhcpMessage.OPTION_ROUTER, ROUTER).option(DhcpMessage.OPTION_DNS, DNS);
    }

    /** Runs DISCOVER / OFFER / REQUEST / ACK and returns when BOUND; the frames are consumed. */
    void bind(java.util.function.Supplier<ServerReply> ack) {
        poll();
        nextDhcp();
        device.inject(offer().frame(SERVER));
        poll();
        nextDhcp();
        device.inject(ack.get().frame(SERVER));
        poll();
        assertEquals(DhcpState.BOUND, client.state());
        // Binding configures the interface, which announces the address (RFC 5227 2.3).
        byte[] announcement = device.takeSent();
        assertNotNull(announcement, "ARP announcement of the leased address");
        assertEquals(EthernetFrame.TYPE_ARP, u16(announcement, 12));
        assertEquals(client.address(), u32(announcement, 14 + 14), "sender IP = the lease");
        assertEquals(client.address(), u32(announcement, 14 + 24), "target IP = the lease");
    }

    @Test
    void theDiscoverIsExactlyWhatRfc2131Specifies() {
        assertEquals(0, iface.localAddress(), "the client unconfigures the interface it owns");
        poll();
        byte[] frame = device.takeSent();
        assertNotNull(frame);
        assertNull(device.takeSent(), "one datagram");
        // Ethernet: to the broadcast MAC from ours.
        assertEquals(MacAddress.BROADCAST, MacAddress.read(frame, 0));
        assertEquals(MAC, MacAddress.read(frame, 6));
        assertEquals(EthernetFrame.TYPE_IPV4, u16(frame, 12));
        // IPv4: 0.0.0.0 -> 255.255.255.255 (RFC 2131 4.1), UDP, 20 + 8 + 300 bytes.
        assertEquals(0x45, frame[14] & 0xFF);
        assertEquals(328, u16(frame, 16));
        assertEquals(17, frame[23]);
        assertEquals(0, u32(frame, 26));
        assertEquals(BROADCAST, u32(frame, 30));
        // UDP 68 -> 67, length 308, checksum present and correct.
        assertEquals(68, u16(frame, 34));
        assertEquals(67, u16(frame, 36));
        assertEquals(308, u16(frame, 38));
        UdpDatagram udpView = new UdpDatagram();
        udpView.wrap(frame, 34, frame.length - 34);
        assertNotEquals(0, udpView.checksum());
        assertTrue(udpView.checksumValid(0, BROADCAST));
        int d = 42;
        assertEquals(1, frame[d], "op BOOTREQUEST");
        assertEquals(1, frame[d + 1], "htype Ethernet");
        assertEquals(6, frame[d + 2], "hlen 6");
        assertEquals(0, frame[d + 3], "hops 0");
        assertEquals(client.xid(), u32(frame, d + 4), "xid");
        assertEquals(0, u16(frame, d + 8), "secs 0 at the first try");
        assertEquals(0x8000, u16(frame, d + 10), "flags: broadcast bit only (we cannot take unicast before we have an address)");
        assertEquals(0, u32(frame, d + 12), "ciaddr");
        assertEquals(0, u32(frame, d + 16), "yiaddr");
        assertEquals(0, u32(frame, d + 20), "siaddr");
        assertEquals(0, u32(frame, d + 24), "giaddr");
        assertEquals(MAC, MacAddress.read(frame, d + 28), "chaddr");
        assertArrayEquals(new byte[10], Arrays.copyOfRange(frame, d + 34, d + 44), "chaddr padding");
        assertArrayEquals(new byte[64 + 128], Arrays.copyOfRange(frame, d + 44, d + 236), "sname and file empty");
        assertArrayEquals(bytes(0x63, 0x82, 0x53, 0x63), Arrays.copyOfRange(frame, d + 236, d + 240), "magic cookie");
        byte[] expectedOptions = bytes(
                53, 1, 1,                                       // DHCPDISCOVER
                61, 7, 1, 0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE,   // client id: type 1 + MAC
                57, 2, 0x05, 0xDC,                              // max message size 1500
                55, 6, 1, 3, 6, 51, 58, 59,                     // mask, router, DNS, lease, T1, T2
                255);
        assertArrayEquals(expectedOptions, Arrays.copyOfRange(frame, d + 240, d + 240 + expectedOptions.length));
        assertArrayEquals(new byte[300 - 240 - expectedOptions.length],
                Arrays.copyOfRange(frame, d + 240 + expectedOptions.length, d + 300), "padded to 300 bytes");
        assertEquals(DhcpState.SELECTING, client.state());
        assertEquals(List.of("INIT->SELECTING"), events);
    }

    @Test
    void aHostnameGoesInOption12() {
        client.hostname("pi-7");
        poll();
        DhcpMessage m = view(nextDhcp());
        assertEquals(4, m.optionLength(DhcpMessage.OPTION_HOSTNAME));
        int at = m.optionValueOffset(DhcpMessage.OPTION_HOSTNAME);
        assertEquals("pi-7", new String(m.buffer(), at, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> client.hostname(""));
        assertThrows(IllegalArgumentException.class, () -> client.hostname("é"));
        assertThrows(IllegalArgumentException.class, () -> client.hostname("x".repeat(64)));
    }

    @Test
    void anOfferIsAnsweredWithABroadcastRequestNamingTheServerAndTheAddress() {
        poll();
        DhcpMessage discover = view(nextDhcp());
        int xid = discover.xid();
        now += 3 * SECOND;
        device.inject(offer().frame(SERVER));
        poll();
        assertEquals(DhcpState.REQUESTING, client.state());
        byte[] requestFrame = device.sent().peek();
        assertEquals(BROADCAST, u32(requestFrame, 30), "broadcast: other servers learn they were not chosen");
        assertEquals(0, u32(requestFrame, 26), "still from 0.0.0.0");
        DhcpMessage request = view(nextDhcp());
        assertEquals(DhcpMessage.DHCPREQUEST, request.messageType());
        assertEquals(xid, request.xid(), "same transaction");
        assertEquals(discover.secs(), request.secs(), "RFC 2131 4.4.1: same secs as the DISCOVER");
        assertEquals(0, request.ciaddr(), "RFC 2131 table 5: ciaddr 0 in SELECTING");
        assertTrue(request.broadcastFlag());
        assertEquals(OFFERED, request.intOption(DhcpMessage.OPTION_REQUESTED_IP, 0));
        assertEquals(SERVER, request.intOption(DhcpMessage.OPTION_SERVER_ID, 0));
        assertEquals(7, request.optionLength(DhcpMessage.OPTION_CLIENT_ID));
    }

    @Test
    void anAckConfiguresTheInterfaceAndTimesTheLeaseFromTheRequest() {
        poll();
        nextDhcp();
        now += SECOND;
        device.inject(offer().frame(SERVER));
        poll();
        long requestSentAt = now;
        nextDhcp();
        now += 2 * SECOND;
        device.inject(ack(3600).frame(SERVER));
        poll();
        assertEquals(DhcpState.BOUND, client.state());
        assertEquals(OFFERED, iface.localAddress());
        assertEquals(0xFFFF_FF00, iface.netmask());
        assertEquals(ROUTER, iface.gateway());
        assertEquals(OFFERED, client.address());
        assertEquals(24, client.prefixLength());
        assertEquals(ROUTER, client.router());
        assertEquals(DNS, client.dnsServer());
        assertEquals(SERVER, client.serverId());
        assertEquals(3600, client.leaseSeconds());
        assertEquals(requestSentAt + 1800 * SECOND, client.renewAt(), "T1 = 0.5 lease (RFC 2131 4.4.5)");
        assertEquals(requestSentAt + 3150 * SECOND, client.rebindAt(), "T2 = 0.875 lease");
        assertEquals(requestSentAt + 3600 * SECOND, client.expiresAt());
        assertEquals(client.renewAt(), iface.nextDeadline(now), "the interface's next deadline is T1");
        assertEquals(List.of("INIT->SELECTING", "SELECTING->REQUESTING", "REQUESTING->BOUND", "acquired a000064/24 gw a0000fe dns a000035 lease 3600"), events);
        assertEquals(1, client.counters().get(DhcpCounter.LEASES_ACQUIRED));
    }

    @Test
    void theDnsServersOfOption6AreKeptInOrderUpToThreeAndForgottenWithTheLease() {
        byte[] four = {10, 0, 0, 53, 10, 0, 0, 54, 10, 0, 0, 55, 10, 0, 0, 56};
        bind(() -> new ServerReply(DhcpMessage.DHCPACK, client.xid(), OFFERED, MAC).option(DhcpMessage.OPTION_SERVER_ID, SERVER)
                .option(DhcpMessage.OPTION_LEASE_TIME, 1000).option(DhcpMessage.OPTION_SUBNET_MASK, 0xFFFF_FF00)
                .bytes(DhcpMessage.OPTION_DNS, four));
        assertEquals(3, client.dnsServerCount(), "RFC 2132 3.8 lists them in order of preference; three are kept");
        int[] servers = new int[DhcpClient.MAX_DNS_SERVERS];
        assertEquals(3, client.dnsServers(servers));
        assertArrayEquals(new int[] {0x0A00_0035, 0x0A00_0036, 0x0A00_0037}, servers);
        assertEquals(0x0A00_0035, client.dnsServer());
        assertEquals(0x0A00_0036, client.dnsServer(1));
        now = client.expiresAt();
        poll();
        assertEquals(0, client.dnsServerCount(), "gone with the lease");
    }

    @Test
    void serverT1AndT2AreUsedWhenConsistentAndReplacedWhenNot() {
        bind(() -> ack(1000).option(DhcpMessage.OPTION_RENEWAL_TIME, 100).option(DhcpMessage.OPTION_REBINDING_TIME, 200));
        assertEquals(now + 100 * SECOND, client.renewAt());
        assertEquals(now + 200 * SECOND, client.rebindAt());
        DhcpClientTest other = new DhcpClientTest();
        other.bind(() -> other.ack(1000).option(DhcpMessage.OPTION_RENEWAL_TIME, 300).option(DhcpMessage.OPTION_REBINDING_TIME, 200));
        assertEquals(other.now + 500 * SECOND, other.client.renewAt(), "T1 > T2: the defaults instead");
        assertEquals(other.now + 875 * SECOND, other.client.rebindAt());
    }

    @Test
    void anInfiniteLeaseHasNoTimers() {
        bind(() -> ack(-1));
        assertEquals(-1, events.stream().filter(e -> e.startsWith("acquired")).map(e -> e.substring(e.lastIndexOf(' ') + 1))
                .mapToLong(Long::parseLong).findFirst().orElseThrow());
        assertEquals(0xFFFF_FFFFL, client.leaseSeconds());
        assertTrue(client.nextDeadline(now) - now > 1_000_000 * SECOND);
        now += 10_000_000 * SECOND;
        poll();
        assertEquals(DhcpState.BOUND, client.state());
        assertNull(device.takeSent());
    }

    @Test
    void withoutASubnetMaskTheClassfulDefaultApplies() {
        poll();
        nextDhcp();
        device.inject(offer().frame(SERVER));
        poll();
        nextDhcp();
        device.inject(new ServerReply(DhcpMessage.DHCPACK, client.xid(), OFFERED, MAC)
                .option(DhcpMessage.OPTION_SERVER_ID, SERVER).option(DhcpMessage.OPTION_LEASE_TIME, 60).frame(SERVER));
        poll();
        assertEquals(8, client.prefixLength(), "10/8 is class A");
        assertEquals(0, client.router());
    }

    @Test
    void discoversAreRetransmittedWithRandomizedExponentialBackoffKeepingTheXid() {
        poll();
        DhcpMessage first = view(nextDhcp());
        int xid = first.xid();
        long[] expectedSeconds = {4, 8, 16, 32, 64, 64, 64};
        for (long expected : expectedSeconds) {
            long wait = client.retransmitAt() - now;
            assertTrue(wait >= (expected - 1) * SECOND && wait <= (expected + 1) * SECOND,
                    "RFC 2131 4.1: " + expected + " s +- 1 s, was " + wait + " ns");
            now = client.retransmitAt() - 1;
            poll();
            assertNull(device.takeSent(), "nothing before the timer");
            now += 1;
            poll();
            DhcpMessage again = view(nextDhcp());
            assertEquals(DhcpMessage.DHCPDISCOVER, again.messageType());
            assertEquals(xid, again.xid());
            assertEquals((int) ((now - (100 * SECOND)) / SECOND), again.secs(), "secs since acquisition began");
        }
        assertEquals(7, client.counters().get(DhcpCounter.TX_RETRANSMISSIONS));
        assertEquals(DhcpState.SELECTING, client.state(), "SELECTING never gives up");
    }

    @Test
    void theJitterDependsOnTheSeed() {
        poll();
        long firstWait = client.retransmitAt() - now;
        QueueFrameDevice otherDevice = new QueueFrameDevice(MAC);
        Interface otherIface = new Interface(StackConfig.builder().build(), otherDevice);
        UdpLayer otherUdp = new UdpLayer(2, otherIface);
        otherIface.addTransport(otherUdp);
        DhcpClient other = new DhcpClient(otherIface, otherUdp, 43);
        otherIface.poll(now);
        assertNotEquals(firstWait, other.retransmitAt() - now);
        assertNotEquals(client.xid(), other.xid());
    }

    @Test
    void anUnansweredRequestGivesUpAfterFourTriesAndDiscoversAgainWithANewXid() {
        poll();
        nextDhcp();
        int oldXid = client.xid();
        device.inject(offer().frame(SERVER));
        poll();
        nextDhcp();
        for (int retry = 0; retry < 3; retry++) {
            now = client.retransmitAt();
            poll();
            assertEquals(DhcpMessage.DHCPREQUEST, view(nextDhcp()).messageType());
        }
        now = client.retransmitAt();
        poll();
        assertEquals(DhcpState.INIT, client.state());
        assertPausesOneToTenSecondsThenDiscovers();
        assertEquals(DhcpState.SELECTING, client.state());
        assertNotEquals(oldXid, client.xid());
        assertEquals(1, client.counters().get(DhcpCounter.REQUEST_TIMEOUTS));
        assertEquals(4, client.counters().get(DhcpCounter.TX_REQUEST));
    }

    @Test
    void aNakWhileRequestingRestartsDiscovery() {
        poll();
        nextDhcp();
        device.inject(offer().frame(SERVER));
        poll();
        nextDhcp();
        device.inject(new ServerReply(DhcpMessage.DHCPNAK, client.xid(), 0, MAC).option(DhcpMessage.OPTION_SERVER_ID, SERVER).frame(SERVER));
        poll();
        assertEquals(DhcpState.INIT, client.state());
        assertPausesOneToTenSecondsThenDiscovers();
        assertEquals(1, client.counters().get(DhcpCounter.RX_NAK));
        assertTrue(events.contains("REQUESTING->INIT"));
    }

    @Test
    void atT1TheRequestIsUnicastToTheServerWithCiaddrAndWithoutOptions50And54() {
        bind(() -> ack(3600));
        now = client.renewAt();
        poll();
        assertEquals(DhcpState.RENEWING, client.state());
        byte[] arp = device.takeSent();
        assertEquals(EthernetFrame.TYPE_ARP, u16(arp, 12), "the server's MAC is resolved first");
        assertEquals(SERVER, u32(arp, 14 + 24), "ARP target is the server");
        byte[] reply = new byte[60];
        EthernetFrame.writeHeader(reply, 0, MAC, ServerReply.SERVER_MAC, EthernetFrame.TYPE_ARP);
        ArpPacket.write(reply, 14, ArpPacket.OP_REPLY, ServerReply.SERVER_MAC, SERVER, MAC, OFFERED);
        device.inject(reply);
        poll();
        byte[] frame = device.sent().peek();
        assertNotNull(frame);
        assertEquals(ServerReply.SERVER_MAC, MacAddress.read(frame, 0));
        assertEquals(OFFERED, u32(frame, 26), "from our address");
        assertEquals(SERVER, u32(frame, 30), "to the server");
        DhcpMessage renew = view(nextDhcp());
        assertEquals(DhcpMessage.DHCPREQUEST, renew.messageType());
        assertEquals(OFFERED, renew.ciaddr());
        assertEquals(0, renew.flags(), "we can take unicast now");
        assertTrue(!renew.hasOption(DhcpMessage.OPTION_REQUESTED_IP) && !renew.hasOption(DhcpMessage.OPTION_SERVER_ID),
                "RFC 2131 table 5: MUST NOT in RENEWING");
        assertEquals(now + 675 * SECOND, client.retransmitAt(), "half the 1350 s left until T2 (RFC 2131 4.4.5)");
        long renewedAt = now;
        now += SECOND;
        device.inject(ack(7200).frame(SERVER, OFFERED, MAC));
        poll();
        assertEquals(DhcpState.BOUND, client.state());
        assertEquals(renewedAt + 3600 * SECOND, client.renewAt(), "the new lease runs from the renewal request");
        assertEquals("renewed a000064 lease 7200", events.get(events.size() - 1));
        assertEquals(1, client.counters().get(DhcpCounter.LEASES_RENEWED));
    }

    @Test
    void atT2TheRequestIsBroadcastAndAtExpiryTheAddressIsDropped() {
        bind(() -> ack(1000));
        long leaseStart = now;
        now = client.renewAt();
        poll();
        device.sent().clear();
        now = client.rebindAt();
        poll();
        assertEquals(DhcpState.REBINDING, client.state());
        byte[] frame = nextIpFrame();
        assertEquals(BROADCAST, u32(frame, 30));
        assertEquals(OFFERED, u32(frame, 26));
        device.sent().addFirst(frame);
        assertEquals(OFFERED, view(nextDhcp()).ciaddr());
        assertEquals(now + 62_500_000_000L, client.retransmitAt(), "125 s left until expiry: half of it (RFC 2131 4.4.5)");
        now = client.retransmitAt();
        poll();
        assertEquals(DhcpMessage.DHCPREQUEST, view(nextDhcp()).messageType());
        assertEquals(now + 60 * SECOND, client.retransmitAt(), "62.5 s left: half would be 31 s, but at least 60 s");
        now = leaseStart + 1000 * SECOND;
        poll();
        assertEquals(0, iface.localAddress(), "unconfigured at expiry");
        assertEquals(DhcpState.SELECTING, client.state());
        DhcpMessage discover = view(nextDhcp());
        assertEquals(DhcpMessage.DHCPDISCOVER, discover.messageType());
        assertEquals(OFFERED, discover.intOption(DhcpMessage.OPTION_REQUESTED_IP, 0), "asks for its old address back");
        assertTrue(events.contains("lost a000064 EXPIRED"));
        assertEquals(1, client.counters().get(DhcpCounter.LEASES_EXPIRED));
    }

    @Test
    void aNakWhileRenewingDropsTheAddressAtOnce() {
        bind(() -> ack(1000));
        now = client.renewAt();
        poll();
        device.inject(new ServerReply(DhcpMessage.DHCPNAK, client.xid(), 0, MAC).frame(SERVER));
        poll();
        assertEquals(0, iface.localAddress());
        assertEquals(DhcpState.INIT, client.state());
        assertPausesOneToTenSecondsThenDiscovers();
        assertTrue(events.contains("lost a000064 NAK"));
        assertEquals(1, client.counters().get(DhcpCounter.LEASES_LOST_NAK));
    }

    @Test
    void repliesThatAreNotForThisTransactionAreCountedAndIgnored() {
        poll();
        nextDhcp();
        int xid = client.xid();
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid + 1, OFFERED, MAC).option(54, SERVER).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid, OFFERED, MAC + 1).option(54, SERVER).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid, OFFERED, MAC).option(54, SERVER).header(0, 1).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid, OFFERED, MAC).option(54, SERVER).sourcePort(1067).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPACK, xid, OFFERED, MAC).option(54, SERVER).option(51, 60).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid, 0, MAC).option(54, SERVER).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPOFFER, xid, OFFERED, MAC).frame(SERVER));
        poll();
        assertEquals(DhcpState.SELECTING, client.state());
        assertNull(device.takeSent());
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_WRONG_XID));
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_OTHER_CLIENT));
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_NOT_BOOTREPLY));
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_WRONG_SOURCE_PORT));
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_UNEXPECTED_TYPE), "an ACK while SELECTING");
        assertEquals(2, client.counters().get(DhcpCounter.RX_DROP_BAD_ADDRESS), "yiaddr 0; no server id");
    }

    @Test
    void acksWithoutLeaseOrWithABrokenMaskOrFromAnotherServerAreIgnored() {
        poll();
        nextDhcp();
        device.inject(offer().frame(SERVER));
        poll();
        nextDhcp();
        int xid = client.xid();
        device.inject(new ServerReply(DhcpMessage.DHCPACK, xid, OFFERED, MAC).option(54, SERVER).frame(SERVER));
        device.inject(ack(60).option(DhcpMessage.OPTION_SUBNET_MASK, 0xFF00_FF00).frame(SERVER));
        device.inject(new ServerReply(DhcpMessage.DHCPACK, xid, OFFERED, MAC).option(54, SERVER + 5).option(51, 60).frame(SERVER));
        poll();
        assertEquals(DhcpState.REQUESTING, client.state());
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_NO_LEASE_TIME));
        assertEquals(1, client.counters().get(DhcpCounter.RX_DROP_OTHER_SERVER));
        assertEquals(0, iface.localAddress());
    }

    @Test
    void releaseSendsDhcpReleaseUnconfiguresAndHaltsUntilResumed() {
        bind(() -> ack(3600));
        device.sent().clear();
        client.release(now);
        assertEquals(0, iface.localAddress());
        assertEquals(DhcpState.INIT, client.state());
        assertTrue(client.halted());
        byte[] arp = device.takeSent();
        assertEquals(EthernetFrame.TYPE_ARP, u16(arp, 12), "the release waits for the server's MAC");
        now += 100 * SECOND;
        poll();
        assertEquals(DhcpState.INIT, client.state(), "halted: no discovery");
        assertTrue(events.contains("lost a000064 RELEASED"));
        client.resume();
        poll();
        assertEquals(DhcpState.SELECTING, client.state());
    }

    @Test
    void aPreferredAddressIsAskedForInTheDiscover() {
        client.preferAddress(OFFERED);
        poll();
        assertEquals(OFFERED, view(nextDhcp()).intOption(DhcpMessage.OPTION_REQUESTED_IP, 0));
    }

    @Test
    void framesTooSmallForDhcpAreRefusedAtConstruction() {
        QueueFrameDevice small = new QueueFrameDevice(MAC).mtu(500);
        Interface tiny = new Interface(StackConfig.builder().build(), small);
        UdpLayer tinyUdp = new UdpLayer(2, tiny);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new DhcpClient(tiny, tinyUdp, 1));
        assertTrue(refused.getMessage().contains("frameBufferBytes"), refused.getMessage());
    }

    @Test
    void initRebootAsksForTheOldAddressAndAnAckBindsIt() {
        client.rebootWith(OFFERED);
        assertEquals(DhcpState.INIT_REBOOT, client.state());
        poll();
        assertEquals(DhcpState.REBOOTING, client.state());
        byte[] frame = nextIpFrame();
        assertEquals(BROADCAST, u32(frame, 30));
        device.sent().addFirst(frame);
        DhcpMessage request = view(nextDhcp());
        assertEquals(DhcpMessage.DHCPREQUEST, request.messageType());
        assertEquals(0, request.ciaddr(), "RFC 2131 table 5: ciaddr 0 in INIT-REBOOT");
        assertTrue(request.broadcastFlag());
        assertEquals(OFFERED, request.intOption(DhcpMessage.OPTION_REQUESTED_IP, 0), "option 50 MUST be the old address");
        assertTrue(!request.hasOption(DhcpMessage.OPTION_SERVER_ID), "option 54 MUST NOT be sent");
        long sentAt = now;
        now += SECOND;
        device.inject(ack(600).frame(SERVER));
        poll();
        assertEquals(DhcpState.BOUND, client.state());
        assertEquals(OFFERED, iface.localAddress());
        assertEquals(SERVER, client.serverId());
        assertEquals(sentAt + 300 * SECOND, client.renewAt());
        assertEquals(List.of("INIT_REBOOT->REBOOTING", "REBOOTING->BOUND", "acquired a000064/24 gw a0000fe dns a000035 lease 600"), events);
        assertThrows(IllegalStateException.class, () -> client.rebootWith(OFFERED), "only before the first poll");
    }

    @Test
    void initRebootNakedDiscoversAtOnceWithoutTheOldAddress() {
        client.rebootWith(OFFERED);
        poll();
        nextDhcp();
        device.inject(new ServerReply(DhcpMessage.DHCPNAK, client.xid(), 0, MAC).frame(SERVER));
        poll();
        assertEquals(DhcpState.SELECTING, client.state(), "no pause: the next NAK would pause");
        DhcpMessage discover = view(nextDhcp());
        assertEquals(DhcpMessage.DHCPDISCOVER, discover.messageType());
        assertTrue(!discover.hasOption(DhcpMessage.OPTION_REQUESTED_IP), "the refused address is not asked for again");
    }

    @Test
    void initRebootUnansweredFallsBackToDiscovery() {
        client.rebootWith(OFFERED);
        poll();
        for (int retry = 0; retry < 3; retry++) {
            now = client.retransmitAt();
            poll();
        }
        assertEquals(4, client.counters().get(DhcpCounter.TX_REQUEST));
        now = client.retransmitAt();
        poll();
        assertEquals(DhcpState.SELECTING, client.state());
        assertEquals(1, client.counters().get(DhcpCounter.TX_DISCOVER));
        assertThrows(IllegalArgumentException.class, () -> new DhcpClientTest().client.rebootWith(0));
    }

    @Test
    void port68IsTaken() {
        IllegalStateException taken = assertThrows(IllegalStateException.class, () -> new DhcpClient(iface, udp, 1));
        assertTrue(taken.getMessage().contains("68"));
    }

    /** After a NAK or a request timeout: INIT, silent for 1..10 s, then a DISCOVER. */
    void assertPausesOneToTenSecondsThenDiscovers() {
        long pause = client.nextDeadline(now) - now;
        assertTrue(pause >= SECOND && pause <= 10 * SECOND, "RFC 2131 4.4.1 wait of 1..10 s, was " + pause);
        device.sent().removeIf(f -> u16(f, 12) == EthernetFrame.TYPE_ARP);
        now += pause - 1;
        poll();
        assertNull(nextIpFrame(), "quiet during the pause");
        now += 1;
        poll();
        assertEquals(DhcpState.SELECTING, client.state());
        assertEquals(DhcpMessage.DHCPDISCOVER, view(nextDhcp()).messageType());
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static int u32(byte[] b, int off) {
        return u16(b, off) << 16 | u16(b, off + 2);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
