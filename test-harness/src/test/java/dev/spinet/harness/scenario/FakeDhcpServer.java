package dev.spinet.harness.scenario;

import dev.spinet.config.StackConfig;
import dev.spinet.dhcp.DhcpFlaw;
import dev.spinet.dhcp.DhcpMessage;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Interface;
import dev.spinet.udp.UdpHandler;
import dev.spinet.udp.UdpLayer;

/**
 * A small DHCP server (RFC 2131 section 4.3) for tests: a board of its own on a virtual wire
 * (an {@link Interface} with a {@link UdpLayer} bound to port 67) with a fixed pool of
 * consecutive addresses, one lease per client MAC. Add it to a {@code Simulator} like any board.
 *
 * <h2>What it answers</h2>
 * <ul>
 *   <li>DHCPDISCOVER: a DHCPOFFER of the client's existing address, else the requested address
 *       (option 50) if free, else the first free one; with server id, lease time, T1/T2 if set,
 *       subnet mask, router and DNS server if set.</li>
 *   <li>DHCPREQUEST: naming another server (option 54): ignored (the client chose it). Asking for
 *       the address leased to that MAC (option 50, or ciaddr when renewing/rebinding): DHCPACK,
 *       extending the lease. Otherwise DHCPNAK.</li>
 *   <li>DHCPRELEASE: frees the lease.</li>
 * </ul>
 * Replies go as RFC 2131 4.1 says for giaddr 0: to ciaddr if set, else broadcast (whether or not
 * the client set the broadcast bit: unicasting to an unconfigured client would need an ARP entry
 * we cannot insert); DHCPNAK is always broadcast.
 *
 * <h2>Misbehaviour for tests</h2>
 * {@link #silent} ignores everything; {@link #ignoreUnicastRequests} ignores RENEWING requests
 * (unicast) but still answers REBINDING (broadcast) ones; {@link #nakRequests} answers every
 * request with DHCPNAK; {@link #tamper} rewrites each reply just before it is sent.
 *
 * <p>Allocation-free after construction (its counters are plain fields).
 */
public final class FakeDhcpServer implements DutyCycle, UdpHandler {

    /** Rewrites a reply in place before it is sent; returns its new length. */
    @FunctionalInterface
    public interface ReplyTamper {
        int tamper(byte[] buffer, int offset, int length);
    }

    private static final int BROADCAST = 0xFFFF_FFFF;

    private final Interface iface;
    private final UdpLayer udp;
    private final int handle;
    private final int serverAddress;
    private final int prefixLength;
    private final int poolStart;
    private final long[] leaseMac;
    private final boolean[] leased;
    private final DhcpMessage message = new DhcpMessage();

    private long leaseSeconds;
    private long renewalSeconds = -1;
    private long rebindingSeconds = -1;
    private int router;
    private int dnsServer;

    private boolean silent;
    private boolean ignoreUnicastRequests;
    private boolean nakRequests;
    private ReplyTamper tamper;

    private int discovers;
    private int requests;
    private int unicastRequests;
    private int broadcastRequests;
    private int releases;
    private int offers;
    private int acks;
    private int naks;
    private int malformed;
    private int lastRequestCiaddr;
    private int lastRequestSecs;

    /**
     * A server at {@code serverAddress}/{@code prefixLength} on {@code device}, leasing
     * {@code poolSize} addresses from {@code poolStart} for {@code leaseSeconds}.
     */
    public FakeDhcpServer(FrameDevice device, int serverAddress, int prefixLength, int poolStart, int poolSize, long leaseSeconds) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool needs at least one address, was " + poolSize);
        }
        StackConfig config = StackConfig.builder().ipAddress(serverAddress, prefixLength).udpSockets(2).build();
        this.iface = new Interface(config, device);
        this.udp = new UdpLayer(config, iface);
        iface.addTransport(udp);
        this.handle = udp.open(DhcpMessage.SERVER_PORT, true, this);
        this.serverAddress = serverAddress;
        this.prefixLength = prefixLength;
        this.poolStart = poolStart;
        this.leaseMac = new long[poolSize];
        this.leased = new boolean[poolSize];
        this.leaseSeconds = leaseSeconds;
    }

    // ---- settings ----

    /** Lease time sent in option 51 from now on (0xFFFFFFFFL = infinite). */
    public FakeDhcpServer leaseSeconds(long seconds) {
        this.leaseSeconds = seconds;
        return this;
    }

    /** Sends options 58 and 59 with these values (-1 = leave the option out). */
    public FakeDhcpServer renewalTimes(long t1Seconds, long t2Seconds) {
        this.renewalSeconds = t1Seconds;
        this.rebindingSeconds = t2Seconds;
        return this;
    }

    /** Router (option 3) and DNS server (option 6) to hand out; 0 = leave out. */
    public FakeDhcpServer routerAndDns(int routerAddress, int dnsAddress) {
        this.router = routerAddress;
        this.dnsServer = dnsAddress;
        return this;
    }

    /** Ignores every message while on. */
    public FakeDhcpServer silent(boolean on) {
        this.silent = on;
        return this;
    }

    /** Ignores requests sent to its own address (RENEWING) while on; broadcast ones are answered. */
    public FakeDhcpServer ignoreUnicastRequests(boolean on) {
        this.ignoreUnicastRequests = on;
        return this;
    }

    /** Answers every DHCPREQUEST with DHCPNAK while on. */
    public FakeDhcpServer nakRequests(boolean on) {
        this.nakRequests = on;
        return this;
    }

    /** Rewrites every reply before it leaves ({@code null}: none). */
    public FakeDhcpServer tamper(ReplyTamper replyTamper) {
        this.tamper = replyTamper;
        return this;
    }

    // ---- duty cycle ----

    @Override
    public int poll(long nowNanos) {
        return iface.poll(nowNanos);
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return iface.nextDeadline(nowNanos);
    }

    // ---- protocol ----

    @Override
    public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
        if (silent) {
            return;
        }
        if (message.wrap(buffer, offset, length) != DhcpFlaw.OK || message.op() != DhcpMessage.OP_BOOTREQUEST) {
            malformed++;
            return;
        }
        int type = message.messageType();
        if (type == DhcpMessage.DHCPDISCOVER) {
            discovers++;
            onDiscover(nowNanos);
        } else if (type == DhcpMessage.DHCPREQUEST) {
            requests++;
            boolean unicast = destinationIp == serverAddress;
            if (unicast) {
                unicastRequests++;
            } else {
                broadcastRequests++;
            }
            lastRequestCiaddr = message.ciaddr();
            lastRequestSecs = message.secs();
            if (unicast && ignoreUnicastRequests) {
                return;
            }
            onRequest(nowNanos);
        } else if (type == DhcpMessage.DHCPRELEASE) {
            releases++;
            int slot = slotOf(message.ciaddr());
            if (slot >= 0 && leased[slot] && leaseMac[slot] == message.chaddrMac()) {
                leased[slot] = false;
            }
        }
    }

    private void onDiscover(long nowNanos) {
        long mac = message.chaddrMac();
        int slot = slotFor(mac);
        if (slot < 0) {
            int requested = slotOf(message.intOption(DhcpMessage.OPTION_REQUESTED_IP, 0));
            slot = requested >= 0 && !leased[requested] ? requested : firstFree();
        }
        if (slot < 0) {
            return; // pool exhausted: say nothing, as servers do
        }
        leased[slot] = true;
        leaseMac[slot] = mac;
        reply(DhcpMessage.DHCPOFFER, poolStart + slot, nowNanos);
        offers++;
    }

    private void onRequest(long nowNanos) {
        int named = message.intOption(DhcpMessage.OPTION_SERVER_ID, 0);
        if (named != 0 && named != serverAddress) {
            return; // RFC 2131 4.3.2: the client chose another server
        }
        int wanted = message.intOption(DhcpMessage.OPTION_REQUESTED_IP, message.ciaddr());
        int slot = slotOf(wanted);
        boolean ours = slot >= 0 && leased[slot] && leaseMac[slot] == message.chaddrMac();
        if (nakRequests || !ours) {
            reply(DhcpMessage.DHCPNAK, 0, nowNanos);
            naks++;
            return;
        }
        reply(DhcpMessage.DHCPACK, wanted, nowNanos);
        acks++;
    }

    private void reply(int type, int yiaddr, long nowNanos) {
        byte[] frame = udp.payloadBuffer();
        int start = udp.payloadOffset();
        int ciaddr = message.ciaddr();
        int at = DhcpMessage.writeHeader(frame, start, DhcpMessage.OP_BOOTREPLY, message.xid(), 0, message.flags(),
                type == DhcpMessage.DHCPNAK ? 0 : ciaddr, yiaddr, 0, message.chaddrMac());
        at = DhcpMessage.putByteOption(frame, at, DhcpMessage.OPTION_MESSAGE_TYPE, type);
        at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_SERVER_ID, serverAddress);
        if (type != DhcpMessage.DHCPNAK) {
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_LEASE_TIME, (int) leaseSeconds);
            if (renewalSeconds >= 0) {
                at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_RENEWAL_TIME, (int) renewalSeconds);
            }
            if (rebindingSeconds >= 0) {
                at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_REBINDING_TIME, (int) rebindingSeconds);
            }
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_SUBNET_MASK, prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
            if (router != 0) {
                at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_ROUTER, router);
            }
            if (dnsServer != 0) {
                at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_DNS, dnsServer);
            }
        }
        int length = DhcpMessage.putEndAndPad(frame, start, at);
        ReplyTamper rewrite = tamper;
        if (rewrite != null) {
            length = rewrite.tamper(frame, start, length);
        }
        // RFC 2131 4.1 with giaddr 0: unicast to ciaddr when set, NAKs and the rest broadcast.
        int destination = type != DhcpMessage.DHCPNAK && ciaddr != 0 ? ciaddr : BROADCAST;
        udp.sendPayload(handle, destination, DhcpMessage.CLIENT_PORT, length, nowNanos);
    }

    private int slotFor(long mac) {
        for (int i = 0; i < leased.length; i++) {
            if (leased[i] && leaseMac[i] == mac) {
                return i;
            }
        }
        return -1;
    }

    private int slotOf(int address) {
        long index = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(poolStart);
        return index >= 0 && index < leased.length ? (int) index : -1;
    }

    private int firstFree() {
        for (int i = 0; i < leased.length; i++) {
            if (!leased[i]) {
                return i;
            }
        }
        return -1;
    }

    // ---- inspection ----

    public Interface iface() {
        return iface;
    }

    public UdpLayer udp() {
        return udp;
    }

    public int address() {
        return serverAddress;
    }

    /** Whether {@code address} is currently leased. */
    public boolean isLeased(int address) {
        int slot = slotOf(address);
        return slot >= 0 && leased[slot];
    }

    public int discovers() {
        return discovers;
    }

    public int requests() {
        return requests;
    }

    /** Requests sent to the server's own address (RENEWING). */
    public int unicastRequests() {
        return unicastRequests;
    }

    /** Requests broadcast (REQUESTING, REBINDING). */
    public int broadcastRequests() {
        return broadcastRequests;
    }

    public int releases() {
        return releases;
    }

    public int offers() {
        return offers;
    }

    public int acks() {
        return acks;
    }

    public int naks() {
        return naks;
    }

    /** Messages that were not a well-formed BOOTREQUEST. */
    public int malformed() {
        return malformed;
    }

    public int lastRequestCiaddr() {
        return lastRequestCiaddr;
    }

    public int lastRequestSecs() {
        return lastRequestSecs;
    }
}
