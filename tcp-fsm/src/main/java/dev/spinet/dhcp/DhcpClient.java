package dev.spinet.dhcp;

import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Interface;
import dev.spinet.stats.Counters;
import dev.spinet.udp.UdpHandler;
import dev.spinet.udp.UdpLayer;
import java.nio.charset.StandardCharsets;

/**
 * A DHCP client (RFC 2131, options from RFC 2132) that configures one {@link Interface}.
 *
 * <h2>States (RFC 2131 figure 5)</h2>
 * <pre>
 *  INIT --DISCOVER--&gt; SELECTING --OFFER / REQUEST--&gt; REQUESTING --ACK--&gt; BOUND
 *                          ^                             |   NAK or no answer: INIT
 *                          |                             v
 *   lease expired / NAK: INIT  &lt;-- REBINDING &lt;--T2-- RENEWING &lt;--T1-- BOUND
 *                                      | ACK               | ACK
 *                                      +----------&gt; BOUND &lt;+
 * </pre>
 * The first acceptable DHCPOFFER is taken (RFC 2131 4.4.1 lets a client wait for more; with one
 * lab server there is nothing to choose from). The optional ARP probe of the offered address
 * (RFC 2131 4.4.1 "SHOULD", RFC 5227) is not done, so no DHCPDECLINE is ever sent. INIT-REBOOT
 * (RFC 2131 3.2) is used when the application passes the previous address to {@link #rebootWith}.
 *
 * <h2>Timers, all from the {@code nowNanos} passed in</h2>
 * <ul>
 *   <li>SELECTING and REQUESTING retransmit with RFC 2131 4.1's randomized exponential backoff:
 *       4 s, 8 s, 16 s, 32 s, 64 s, 64 s, ... each plus a uniform -1..+1 s. SELECTING never gives
 *       up; REQUESTING gives up after {@link #MAX_REQUEST_TRANSMISSIONS} sends and restarts at
 *       INIT (RFC 2131 3.1 step 5). After that, and after a DHCPNAK, discovery resumes after a
 *       random 1..10 s (the wait of RFC 2131 4.4.1), so a server that offers and then refuses
 *       cannot cause a packet storm; at start-up and after lease expiry it resumes at once.</li>
 *   <li>The lease is timed from when the first DHCPREQUEST of the exchange was sent (RFC 2131
 *       4.4.1). T1 = option 58 or 0.5 x lease, T2 = option 59 or 0.875 x lease (4.4.5); values
 *       that do not satisfy T1 &lt; T2 &lt; lease are replaced by those defaults. An infinite lease
 *       (0xFFFFFFFF) has no timers.</li>
 *   <li>RENEWING and REBINDING retransmit after half the time left until T2 or expiry, at least
 *       60 s (RFC 2131 4.4.5). At expiry the interface is unconfigured ({@code configureAddress(0,
 *       0, 0)}) and the client starts over with a DHCPDISCOVER.</li>
 * </ul>
 *
 * <h2>Use</h2>
 * <pre>
 *  Interface iface = new Interface(config, device);
 *  UdpLayer udp = new UdpLayer(config, iface);
 *  iface.addTransport(udp);
 *  DhcpClient dhcp = new DhcpClient(iface, udp, seed).hostname("pi-7").listener(myListener);
 *  // then only iface.poll(now) / iface.nextDeadline(now): the client runs inside UDP's poll.
 * </pre>
 * The constructor binds UDP port 68 (broadcasts accepted), registers the client as a service of
 * the UDP layer and unconfigures the interface: from then on the client owns its address.
 *
 * <p>Stack thread only. Nothing allocates after construction.
 */
public final class DhcpClient implements DutyCycle, UdpHandler {

    /** RFC 2131 2: a client must accept DHCP messages in 576-byte IP datagrams, i.e. 548 bytes of UDP data. */
    public static final int MIN_MESSAGE_BYTES = 576 - 20 - 8;

    /** REQUESTING sends this many DHCPREQUESTs (about 60 s with backoff) before restarting. */
    public static final int MAX_REQUEST_TRANSMISSIONS = 4;
    /** DNS servers kept from option 6 (as resolv.conf's MAXNS). */
    public static final int MAX_DNS_SERVERS = 3;

    private static final long SECOND = 1_000_000_000L;
    private static final long FIRST_RETRANSMIT = 4 * SECOND;
    private static final long MAX_RETRANSMIT = 64 * SECOND;
    private static final long MIN_RENEW_RETRANSMIT = 60 * SECOND;
    private static final long INFINITE_LEASE = 0xFFFF_FFFFL;
    /** Leases longer than this (68 years) are treated as this, which keeps every deadline in range. */
    private static final long MAX_FINITE_LEASE_SECONDS = 0x7FFF_FFFFL;
    private static final long NEVER = Long.MAX_VALUE / 4;
    private static final int BROADCAST = 0xFFFF_FFFF;
    /** RFC 2132 9.8: subnet mask, router, domain name server, lease time, T1, T2. */
    private static final byte[] PARAMETER_REQUEST_LIST = {
        DhcpMessage.OPTION_SUBNET_MASK, DhcpMessage.OPTION_ROUTER, DhcpMessage.OPTION_DNS,
        DhcpMessage.OPTION_LEASE_TIME, DhcpMessage.OPTION_RENEWAL_TIME, DhcpMessage.OPTION_REBINDING_TIME,
    };
    private static final DhcpListener NO_LISTENER = new DhcpListener() {
    };

    private final Interface iface;
    private final UdpLayer udp;
    private final int handle;
    private final long mac;
    /** RFC 2132 9.14 client identifier: type 1 (Ethernet) followed by the MAC. */
    private final byte[] clientId = new byte[7];
    private final DhcpMessage message = new DhcpMessage();
    private final Counters<DhcpCounter> counters = new Counters<>(DhcpCounter.class);
    private DhcpListener listener = NO_LISTENER;
    private byte[] hostname;

    private long random;
    private DhcpState state = DhcpState.INIT;
    private boolean halted;
    /** In INIT: whether discovery waits for {@link #initAt} (after a NAK or a request timeout). */
    private boolean initDelayed;
    private long initAt;

    // ---- current transaction ----
    private int xid;
    private long transactionStart;
    /** When the first DHCPREQUEST of this exchange went out: the lease starts then (4.4.1). */
    private long requestSentAt;
    private int transmissions;
    private long retransmitAt;
    private int offeredAddress;
    private int selectedServer;
    /** RFC 2131 4.4.1: the REQUEST in REQUESTING repeats the secs of the DHCPDISCOVER. */
    private int discoverSecs;

    // ---- lease ----
    private int address;
    private int prefixLength;
    private int router;
    private int dnsServer;
    /** Option 6's servers in the server's order of preference (RFC 2132 3.8), the first {@link #MAX_DNS_SERVERS}. */
    private final int[] dnsServers = new int[MAX_DNS_SERVERS];
    private int dnsServerCount;
    private int serverId;
    private long leaseSeconds;
    private long t1At;
    private long t2At;
    private long expiresAt;
    private boolean infinite;
    /** The last address held, asked for again in the next DISCOVER (option 50). */
    private int previousAddress;

    /**
     * Builds a client for {@code iface}, whose {@code udp} layer must be (or become) registered on
     * it with {@link Interface#addTransport}.
     *
     * @param seed seeds the transaction ids and the backoff jitter (use a different one per board,
     *     e.g. from the MAC and the wall clock; tests fix it)
     * @throws IllegalStateException if UDP port 68 is taken or the UDP table is full
     */
    public DhcpClient(Interface iface, UdpLayer udp, long seed) {
        if (udp.maxPayloadLength() < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("DHCP needs UDP datagrams of " + MIN_MESSAGE_BYTES
                    + " bytes (RFC 2131 2: 576-byte IP datagrams), this interface carries " + udp.maxPayloadLength()
                    + "; use a device MTU of at least 576 and StackConfig.frameBufferBytes of at least 590");
        }
        this.iface = iface;
        this.udp = udp;
        this.mac = iface.macAddress();
        this.random = seed ^ mac;
        clientId[0] = DhcpMessage.HTYPE_ETHERNET;
        for (int i = 0; i < 6; i++) {
            clientId[1 + i] = (byte) (mac >>> (40 - 8 * i));
        }
        this.handle = udp.open(DhcpMessage.CLIENT_PORT, true, this);
        udp.addService(this);
        iface.configureAddress(0, 0, 0);
    }

    /** Sends option 12 with this name (1..63 ASCII characters), so the server can register it. Start-up only. */
    public DhcpClient hostname(String name) {
        if (name == null || name.isEmpty() || name.length() > 63 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("hostname must be 1..63 ASCII characters, was " + name);
        }
        this.hostname = name.getBytes(StandardCharsets.US_ASCII);
        return this;
    }

    /**
     * Asks for {@code address} (option 50) in DHCPDISCOVERs until a lease is obtained, e.g. the
     * address a board had before it restarted (RFC 2131 4.4.1 "MAY include the 'requested IP
     * address' option"). The server decides. 0 = no preference. Start-up only.
     */
    public DhcpClient preferAddress(int address) {
        this.previousAddress = address;
        return this;
    }

    /**
     * Starts in INIT-REBOOT instead of INIT (RFC 2131 3.2): the first poll broadcasts a
     * DHCPREQUEST for {@code address}, the address this board held before it restarted. A DHCPACK
     * binds it at once; a DHCPNAK, or no answer after {@link #MAX_REQUEST_TRANSMISSIONS} sends,
     * falls back to a normal DHCPDISCOVER. Call before the first poll.
     *
     * @throws IllegalStateException if the client already started
     * @throws IllegalArgumentException if {@code address} is 0
     */
    public DhcpClient rebootWith(int address) {
        if (state != DhcpState.INIT || transmissions != 0 || xid != 0) {
            throw new IllegalStateException("rebootWith must be called before the client's first poll");
        }
        if (address == 0) {
            throw new IllegalArgumentException("rebootWith needs the address held before the restart, not 0.0.0.0");
        }
        previousAddress = address;
        state = DhcpState.INIT_REBOOT;
        return this;
    }

    /** Where state changes and lease events go (replaces any previous listener). Start-up only. */
    public DhcpClient listener(DhcpListener newListener) {
        this.listener = newListener == null ? NO_LISTENER : newListener;
        return this;
    }

    // ---- duty cycle ----

    @Override
    public int poll(long nowNanos) {
        switch (state) {
            case INIT -> {
                if (halted || initDelayed && !due(initAt, nowNanos)) {
                    return 0;
                }
                startDiscovery(nowNanos);
                return 1;
            }
            case SELECTING -> {
                if (due(retransmitAt, nowNanos)) {
                    counters.increment(DhcpCounter.TX_RETRANSMISSIONS);
                    sendDiscover(nowNanos);
                    scheduleBackoff(nowNanos);
                    return 1;
                }
            }
            case REQUESTING -> {
                if (due(retransmitAt, nowNanos)) {
                    if (transmissions >= MAX_REQUEST_TRANSMISSIONS) {
                        counters.increment(DhcpCounter.REQUEST_TIMEOUTS);
                        restartAfterPause(nowNanos);
                    } else {
                        counters.increment(DhcpCounter.TX_RETRANSMISSIONS);
                        sendRequest(nowNanos);
                        scheduleBackoff(nowNanos);
                    }
                    return 1;
                }
            }
            case BOUND -> {
                if (!infinite && due(t1At, nowNanos)) {
                    // RFC 2131 4.4.5: at T1 the client moves to RENEWING and unicasts a request.
                    newTransaction(nowNanos);
                    requestSentAt = nowNanos;
                    transition(DhcpState.RENEWING, nowNanos);
                    sendRequest(nowNanos);
                    scheduleRenewRetransmit(nowNanos, t2At);
                    return 1;
                }
            }
            case RENEWING -> {
                if (due(expiresAt, nowNanos)) {
                    expire(nowNanos);
                    return 1;
                }
                if (due(t2At, nowNanos)) {
                    // RFC 2131 4.4.5: no DHCPACK before T2: broadcast to any server.
                    transition(DhcpState.REBINDING, nowNanos);
                    sendRequest(nowNanos);
                    scheduleRenewRetransmit(nowNanos, expiresAt);
                    return 1;
                }
                if (due(retransmitAt, nowNanos)) {
                    counters.increment(DhcpCounter.TX_RETRANSMISSIONS);
                    sendRequest(nowNanos);
                    scheduleRenewRetransmit(nowNanos, t2At);
                    return 1;
                }
            }
            case INIT_REBOOT -> {
                // RFC 2131 3.2 / 4.4.2: broadcast a DHCPREQUEST for the remembered address.
                newTransaction(nowNanos);
                requestSentAt = nowNanos;
                transition(DhcpState.REBOOTING, nowNanos);
                sendRequest(nowNanos);
                scheduleBackoff(nowNanos);
                return 1;
            }
            case REBOOTING -> {
                if (due(retransmitAt, nowNanos)) {
                    if (transmissions >= MAX_REQUEST_TRANSMISSIONS) {
                        // No server vouches for the old address: start from scratch (we do not
                        // keep using it, which RFC 2131 3.2 would allow until the lease ends).
                        counters.increment(DhcpCounter.REQUEST_TIMEOUTS);
                        restart(nowNanos);
                    } else {
                        counters.increment(DhcpCounter.TX_RETRANSMISSIONS);
                        sendRequest(nowNanos);
                        scheduleBackoff(nowNanos);
                    }
                    return 1;
                }
            }
            case REBINDING -> {
                if (due(expiresAt, nowNanos)) {
                    expire(nowNanos);
                    return 1;
                }
                if (due(retransmitAt, nowNanos)) {
                    counters.increment(DhcpCounter.TX_RETRANSMISSIONS);
                    sendRequest(nowNanos);
                    scheduleRenewRetransmit(nowNanos, expiresAt);
                    return 1;
                }
            }
        }
        return 0;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return switch (state) {
            case INIT -> halted ? nowNanos + NEVER : initDelayed ? initAt : nowNanos;
            case SELECTING, REQUESTING, REBOOTING -> retransmitAt;
            case INIT_REBOOT -> nowNanos;
            case BOUND -> infinite ? nowNanos + NEVER : t1At;
            case RENEWING -> earliest(earliest(retransmitAt, t2At), expiresAt);
            case REBINDING -> earliest(retransmitAt, expiresAt);
        };
    }

    private static boolean due(long deadline, long nowNanos) {
        return deadline - nowNanos <= 0;
    }

    private static long earliest(long a, long b) {
        return a - b < 0 ? a : b;
    }

    // ---- transitions ----

    private void startDiscovery(long nowNanos) {
        newTransaction(nowNanos);
        transition(DhcpState.SELECTING, nowNanos);
        sendDiscover(nowNanos);
        scheduleBackoff(nowNanos);
    }

    private void newTransaction(long nowNanos) {
        xid = (int) nextRandom();
        transactionStart = nowNanos;
        transmissions = 0;
    }

    /** Back to INIT; the next poll starts a new discovery (RFC 2131 3.1 step 5, 4.4.5). */
    private void restart(long nowNanos) {
        initDelayed = false;
        transition(DhcpState.INIT, nowNanos);
        offeredAddress = 0;
        selectedServer = 0;
    }

    /**
     * Back to INIT, discovering again after a random 1..10 s (the desynchronizing wait of RFC 2131
     * 4.4.1). Used after a DHCPNAK or an unanswered request, so that a server that offers and then
     * refuses the same address cannot drive the client into a loop with no time passing.
     */
    private void restartAfterPause(long nowNanos) {
        restart(nowNanos);
        initDelayed = true;
        initAt = nowNanos + SECOND + Long.remainderUnsigned(nextRandom(), 9 * SECOND + 1);
    }

    private void expire(long nowNanos) {
        counters.increment(DhcpCounter.LEASES_EXPIRED);
        dropLease(DhcpLeaseLoss.EXPIRED, nowNanos);
        restart(nowNanos);
    }

    private void dropLease(DhcpLeaseLoss reason, long nowNanos) {
        int lost = address;
        previousAddress = lost;
        iface.configureAddress(0, 0, 0);
        address = 0;
        prefixLength = 0;
        router = 0;
        dnsServer = 0;
        dnsServerCount = 0;
        serverId = 0;
        leaseSeconds = 0;
        infinite = false;
        listener.onLeaseLost(lost, reason, nowNanos);
    }

    private void transition(DhcpState to, long nowNanos) {
        DhcpState from = state;
        state = to;
        if (from != to) {
            listener.onStateChanged(from, to, nowNanos);
        }
    }

    /** RFC 2131 4.1: 4 s doubling to 64 s, randomized by a uniform -1..+1 s. */
    private void scheduleBackoff(long nowNanos) {
        int doublings = Math.min(transmissions - 1, 4);
        long base = Math.min(FIRST_RETRANSMIT << Math.max(doublings, 0), MAX_RETRANSMIT);
        long jitter = Long.remainderUnsigned(nextRandom(), 2 * SECOND + 1) - SECOND;
        retransmitAt = nowNanos + base + jitter;
    }

    /** RFC 2131 4.4.5: half the remaining time to {@code limit}, but at least 60 s. */
    private void scheduleRenewRetransmit(long nowNanos, long limit) {
        retransmitAt = nowNanos + Math.max((limit - nowNanos) / 2, MIN_RENEW_RETRANSMIT);
    }

    /**
     * Gives the lease back (RFC 2131 4.4.6: DHCPRELEASE unicast to the server), unconfigures the
     * interface and halts in INIT until {@link #resume}. Does nothing to the network if no lease is
     * held. For a graceful shutdown.
     */
    public void release(long nowNanos) {
        if (address != 0) {
            newTransaction(nowNanos);
            sendRelease(nowNanos);
            dropLease(DhcpLeaseLoss.RELEASED, nowNanos);
        }
        halted = true;
        restart(nowNanos);
    }

    /** Starts discovery again after {@link #release}. */
    public void resume() {
        halted = false;
    }

    // ---- receive ----

    @Override
    public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
        counters.increment(DhcpCounter.RX_MESSAGES);
        if (sourcePort != DhcpMessage.SERVER_PORT) {
            counters.increment(DhcpCounter.RX_DROP_WRONG_SOURCE_PORT);
            return;
        }
        DhcpFlaw flaw = message.wrap(buffer, offset, length);
        if (flaw != DhcpFlaw.OK) {
            counters.increment(counterFor(flaw));
            return;
        }
        if (message.op() != DhcpMessage.OP_BOOTREPLY) {
            counters.increment(DhcpCounter.RX_DROP_NOT_BOOTREPLY);
            return;
        }
        if (message.htype() != DhcpMessage.HTYPE_ETHERNET || message.hlen() != DhcpMessage.HLEN_ETHERNET
                || message.chaddrMac() != mac) {
            counters.increment(DhcpCounter.RX_DROP_OTHER_CLIENT);
            return;
        }
        if (message.xid() != xid) {
            counters.increment(DhcpCounter.RX_DROP_WRONG_XID);
            return;
        }
        int type = message.messageType();
        if (type == DhcpMessage.DHCPOFFER && state == DhcpState.SELECTING) {
            onOffer(nowNanos);
        } else if (type == DhcpMessage.DHCPACK && awaitsAck()) {
            onAck(sourceIp, nowNanos);
        } else if (type == DhcpMessage.DHCPNAK && awaitsAck()) {
            onNak(nowNanos);
        } else {
            counters.increment(DhcpCounter.RX_DROP_UNEXPECTED_TYPE);
        }
    }

    private boolean awaitsAck() {
        return state == DhcpState.REQUESTING || state == DhcpState.RENEWING || state == DhcpState.REBINDING
                || state == DhcpState.REBOOTING;
    }

    private static DhcpCounter counterFor(DhcpFlaw flaw) {
        return switch (flaw) {
            case TRUNCATED -> DhcpCounter.RX_DROP_TRUNCATED;
            case BAD_MAGIC_COOKIE -> DhcpCounter.RX_DROP_BAD_MAGIC_COOKIE;
            case OPTION_OVERRUNS_MESSAGE -> DhcpCounter.RX_DROP_OPTION_OVERRUNS_MESSAGE;
            case NO_END_OPTION -> DhcpCounter.RX_DROP_NO_END_OPTION;
            case BAD_OPTION_LENGTH -> DhcpCounter.RX_DROP_BAD_OPTION_LENGTH;
            case DUPLICATE_OPTION -> DhcpCounter.RX_DROP_DUPLICATE_OPTION;
            case NO_MESSAGE_TYPE, OK -> DhcpCounter.RX_DROP_NO_MESSAGE_TYPE;
        };
    }

    /** RFC 2131 4.4.1: SELECTING takes an offer and broadcasts a DHCPREQUEST naming its server. */
    private void onOffer(long nowNanos) {
        int offered = message.yiaddr();
        int server = message.intOption(DhcpMessage.OPTION_SERVER_ID, 0);
        if (!usableUnicast(offered) || !usableUnicast(server)) {
            counters.increment(DhcpCounter.RX_DROP_BAD_ADDRESS);
            return;
        }
        counters.increment(DhcpCounter.RX_OFFER);
        offeredAddress = offered;
        selectedServer = server;
        // Same xid: the REQUEST continues the transaction the DISCOVER began (RFC 2131 4.4.1).
        transmissions = 0;
        requestSentAt = nowNanos;
        transition(DhcpState.REQUESTING, nowNanos);
        sendRequest(nowNanos);
        scheduleBackoff(nowNanos);
    }

    private void onAck(int sourceIp, long nowNanos) {
        int server = message.intOption(DhcpMessage.OPTION_SERVER_ID, 0);
        if (state == DhcpState.REQUESTING && server != 0 && server != selectedServer
                || state == DhcpState.RENEWING && server != 0 && server != serverId) {
            counters.increment(DhcpCounter.RX_DROP_OTHER_SERVER);
            return;
        }
        int assigned = message.yiaddr();
        if (!usableUnicast(assigned)) {
            counters.increment(DhcpCounter.RX_DROP_BAD_ADDRESS);
            return;
        }
        if (!message.hasOption(DhcpMessage.OPTION_LEASE_TIME)) {
            counters.increment(DhcpCounter.RX_DROP_NO_LEASE_TIME);
            return;
        }
        int mask = message.intOption(DhcpMessage.OPTION_SUBNET_MASK, classfulMask(assigned));
        int hostBits = ~mask;
        if ((hostBits & (hostBits + 1)) != 0) {
            counters.increment(DhcpCounter.RX_DROP_BAD_SUBNET_MASK);
            return;
        }
        counters.increment(DhcpCounter.RX_ACK);
        long lease = Integer.toUnsignedLong(message.intOption(DhcpMessage.OPTION_LEASE_TIME, 0));
        DhcpState from = state;
        address = assigned;
        prefixLength = Integer.bitCount(mask);
        router = message.intOption(DhcpMessage.OPTION_ROUTER, 0);
        dnsServer = message.intOption(DhcpMessage.OPTION_DNS, 0);
        keepDnsServers(message);
        if (server != 0) {
            serverId = server;
        } else if (serverId == 0) {
            serverId = selectedServer != 0 ? selectedServer : sourceIp;
        }
        leaseSeconds = lease;
        scheduleLease(lease, nowNanos);
        iface.configureAddress(address, prefixLength, router);
        transition(DhcpState.BOUND, nowNanos);
        long reported = infinite ? -1 : lease;
        if (from == DhcpState.REQUESTING || from == DhcpState.REBOOTING) {
            counters.increment(DhcpCounter.LEASES_ACQUIRED);
            listener.onLeaseAcquired(address, prefixLength, router, dnsServer, reported, nowNanos);
        } else {
            counters.increment(from == DhcpState.RENEWING ? DhcpCounter.LEASES_RENEWED : DhcpCounter.LEASES_REBOUND);
            listener.onLeaseRenewed(address, prefixLength, router, dnsServer, reported, nowNanos);
        }
    }

    /** T1, T2 and expiry, counted from when the first request of this exchange was sent (4.4.1). */
    private void scheduleLease(long lease, long nowNanos) {
        infinite = lease == INFINITE_LEASE;
        if (infinite) {
            return;
        }
        long seconds = Math.min(lease, MAX_FINITE_LEASE_SECONDS);
        long t1 = Integer.toUnsignedLong(message.intOption(DhcpMessage.OPTION_RENEWAL_TIME, -1));
        long t2 = Integer.toUnsignedLong(message.intOption(DhcpMessage.OPTION_REBINDING_TIME, -1));
        long leaseNanos = seconds * SECOND;
        long t1Nanos = message.hasOption(DhcpMessage.OPTION_RENEWAL_TIME) ? t1 * SECOND : leaseNanos / 2;
        long t2Nanos = message.hasOption(DhcpMessage.OPTION_REBINDING_TIME) ? t2 * SECOND : leaseNanos / 8 * 7;
        if (!(t1Nanos < t2Nanos && t2Nanos < leaseNanos)) {
            t1Nanos = leaseNanos / 2;
            t2Nanos = leaseNanos / 8 * 7;
        }
        // The lease runs from the request, but a reply delayed past T1 must not fire T1 at once
        // in a loop: never schedule T1 before now.
        long base = requestSentAt;
        t1At = base + t1Nanos;
        t2At = base + t2Nanos;
        expiresAt = base + leaseNanos;
        if (t1At - nowNanos < 0) {
            t1At = nowNanos;
        }
    }

    /** RFC 2131 3.1 step 5 and 4.4.5: a DHCPNAK sends the client back to INIT (unconfigured at once). */
    private void onNak(long nowNanos) {
        int server = message.intOption(DhcpMessage.OPTION_SERVER_ID, 0);
        if (state == DhcpState.REQUESTING && server != 0 && server != selectedServer) {
            counters.increment(DhcpCounter.RX_DROP_OTHER_SERVER);
            return;
        }
        counters.increment(DhcpCounter.RX_NAK);
        if (state == DhcpState.REBOOTING) {
            // RFC 2131 3.2 step 3: the old address is wrong here (another network, or given
            // away): forget it and discover at once; the next NAK would pause.
            previousAddress = 0;
            restart(nowNanos);
            return;
        }
        if (address != 0) {
            counters.increment(DhcpCounter.LEASES_LOST_NAK);
            dropLease(DhcpLeaseLoss.NAK, nowNanos);
        }
        restartAfterPause(nowNanos);
    }

    private static boolean usableUnicast(int candidate) {
        int firstOctet = candidate >>> 24;
        return candidate != 0 && candidate != BROADCAST && firstOctet != 127 && firstOctet != 0 && firstOctet < 224;
    }

    /** RFC 2132 3.3 leaves the mask optional; without it, the class A/B/C default (RFC 791). */
    private static int classfulMask(int forAddress) {
        int firstOctet = forAddress >>> 24;
        if (firstOctet < 128) {
            return 0xFF00_0000;
        }
        return firstOctet < 192 ? 0xFFFF_0000 : 0xFFFF_FF00;
    }

    // ---- transmit ----

    private void sendDiscover(long nowNanos) {
        byte[] frame = udp.payloadBuffer();
        int start = udp.payloadOffset();
        discoverSecs = secs(nowNanos);
        int at = DhcpMessage.writeHeader(frame, start, DhcpMessage.OP_BOOTREQUEST, xid, discoverSecs,
                DhcpMessage.FLAG_BROADCAST, 0, 0, 0, mac);
        at = DhcpMessage.putByteOption(frame, at, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPDISCOVER);
        at = DhcpMessage.putBytesOption(frame, at, DhcpMessage.OPTION_CLIENT_ID, clientId, 0, clientId.length);
        if (previousAddress != 0) {
            // RFC 2131 4.4.1: the client MAY suggest the address it had.
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_REQUESTED_IP, previousAddress);
        }
        at = commonOptions(frame, at);
        transmit(start, at, BROADCAST, DhcpCounter.TX_DISCOVER, nowNanos);
    }

    /**
     * DHCPREQUEST per RFC 2131 table 5 / 4.3.2: REQUESTING broadcasts with options 50 and 54 and
     * ciaddr 0; REBOOTING likewise but with option 50 only; RENEWING unicasts to the server and
     * REBINDING broadcasts, both with ciaddr = our address and neither option.
     */
    private void sendRequest(long nowNanos) {
        boolean rebooting = state == DhcpState.REBOOTING;
        boolean selecting = state == DhcpState.REQUESTING || rebooting;
        byte[] frame = udp.payloadBuffer();
        int start = udp.payloadOffset();
        int at = DhcpMessage.writeHeader(frame, start, DhcpMessage.OP_BOOTREQUEST, xid,
                rebooting ? secs(nowNanos) : selecting ? discoverSecs : secs(nowNanos), selecting ? DhcpMessage.FLAG_BROADCAST : 0, selecting ? 0 : address, 0, 0, mac);
        at = DhcpMessage.putByteOption(frame, at, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPREQUEST);
        at = DhcpMessage.putBytesOption(frame, at, DhcpMessage.OPTION_CLIENT_ID, clientId, 0, clientId.length);
        if (rebooting) {
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_REQUESTED_IP, previousAddress);
        } else if (selecting) {
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_REQUESTED_IP, offeredAddress);
            at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_SERVER_ID, selectedServer);
        }
        at = commonOptions(frame, at);
        int destination = state == DhcpState.RENEWING ? serverId : BROADCAST;
        transmit(start, at, destination, DhcpCounter.TX_REQUEST, nowNanos);
    }

    /** RFC 2131 4.4.6: ciaddr = the address, option 54 = the server; unicast. */
    private void sendRelease(long nowNanos) {
        byte[] frame = udp.payloadBuffer();
        int start = udp.payloadOffset();
        int at = DhcpMessage.writeHeader(frame, start, DhcpMessage.OP_BOOTREQUEST, xid, 0, 0, address, 0, 0, mac);
        at = DhcpMessage.putByteOption(frame, at, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPRELEASE);
        at = DhcpMessage.putBytesOption(frame, at, DhcpMessage.OPTION_CLIENT_ID, clientId, 0, clientId.length);
        at = DhcpMessage.putIntOption(frame, at, DhcpMessage.OPTION_SERVER_ID, serverId);
        transmit(start, at, serverId, DhcpCounter.TX_RELEASE, nowNanos);
    }

    /** Maximum message size (57), hostname (12), parameter request list (55). */
    private int commonOptions(byte[] frame, int at) {
        // RFC 2132 9.10: the largest DHCP message (IP datagram) we accept; at least 576.
        at = DhcpMessage.putShortOption(frame, at, DhcpMessage.OPTION_MAX_MESSAGE_SIZE,
                Math.max(576, Math.min(udp.maxPayloadLength() + 28, 0xFFFF)));
        if (hostname != null) {
            at = DhcpMessage.putBytesOption(frame, at, DhcpMessage.OPTION_HOSTNAME, hostname, 0, hostname.length);
        }
        return DhcpMessage.putBytesOption(frame, at, DhcpMessage.OPTION_PARAMETER_REQUEST_LIST,
                PARAMETER_REQUEST_LIST, 0, PARAMETER_REQUEST_LIST.length);
    }

    private void transmit(int start, int at, int destination, DhcpCounter what, long nowNanos) {
        int length = DhcpMessage.putEndAndPad(udp.payloadBuffer(), start, at);
        transmissions++;
        if (udp.sendPayload(handle, destination, DhcpMessage.SERVER_PORT, length, nowNanos)) {
            counters.increment(what);
        } else {
            counters.increment(DhcpCounter.TX_FAILED);
        }
    }

    /** RFC 2131 2: "Filled in by client, seconds elapsed since client began address acquisition or renewal process." */
    private int secs(long nowNanos) {
        return (int) Math.min((nowNanos - transactionStart) / SECOND, 0xFFFF);
    }

    private long nextRandom() {
        // SplitMix64 (Steele, Lea, Flood 2014): small, seedable, good enough for xids and jitter.
        long z = (random += 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    // ---- inspection ----

    public DhcpState state() {
        return state;
    }

    /** The leased address, 0 when none. */
    public int address() {
        return address;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The first router of option 3, 0 if none. */
    public int router() {
        return router;
    }

    /** The first DNS server of option 6, 0 if none. */
    public int dnsServer() {
        return dnsServer;
    }

    /** How many DNS servers option 6 of the lease listed (at most {@link #MAX_DNS_SERVERS}). */
    public int dnsServerCount() {
        return dnsServerCount;
    }

    /** The {@code index}th DNS server of option 6 (0 = the server's first choice). */
    public int dnsServer(int index) {
        if (index < 0 || index >= dnsServerCount) {
            throw new IndexOutOfBoundsException("DNS server " + index + " of " + dnsServerCount);
        }
        return dnsServers[index];
    }

    /** Copies the lease's DNS servers into {@code into} (at least {@link #MAX_DNS_SERVERS} long); returns how many. */
    public int dnsServers(int[] into) {
        System.arraycopy(dnsServers, 0, into, 0, dnsServerCount);
        return dnsServerCount;
    }

    /** RFC 2132 3.8: option 6 is a list of addresses, "listed in order of preference". */
    private void keepDnsServers(DhcpMessage message) {
        int length = message.optionLength(DhcpMessage.OPTION_DNS);
        int at = message.optionValueOffset(DhcpMessage.OPTION_DNS);
        byte[] buffer = message.buffer();
        int count = 0;
        for (int i = 0; length > 0 && i + 4 <= length && count < MAX_DNS_SERVERS; i += 4) {
            dnsServers[count++] = (buffer[at + i] & 0xFF) << 24 | (buffer[at + i + 1] & 0xFF) << 16
                    | (buffer[at + i + 2] & 0xFF) << 8 | (buffer[at + i + 3] & 0xFF);
        }
        dnsServerCount = count;
    }

    /** The leasing server (option 54), 0 when none. */
    public int serverId() {
        return serverId;
    }

    /** The lease time in seconds as the server sent it (0xFFFFFFFF = infinite), 0 when none. */
    public long leaseSeconds() {
        return leaseSeconds;
    }

    /** When the client moves to RENEWING (nanos; meaningless unless BOUND with a finite lease). */
    public long renewAt() {
        return t1At;
    }

    /** When the client moves to REBINDING. */
    public long rebindAt() {
        return t2At;
    }

    /** When the lease expires. */
    public long expiresAt() {
        return expiresAt;
    }

    /** The current transaction id. */
    public int xid() {
        return xid;
    }

    /** When the next retransmission is due, in SELECTING, REQUESTING, RENEWING, REBINDING. */
    public long retransmitAt() {
        return retransmitAt;
    }

    /** Whether {@link #release} halted the client. */
    public boolean halted() {
        return halted;
    }

    public Counters<DhcpCounter> counters() {
        return counters;
    }
}
