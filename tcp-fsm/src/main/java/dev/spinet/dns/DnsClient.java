package dev.spinet.dns;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.DutyCycle;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.IcmpError;
import dev.spinet.tcp.SipHash24;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.udp.UdpHandler;
import dev.spinet.udp.UdpLayer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The resolver's engine on the stack thread: a stub resolver (RFC 1035 7, RFC 1123 6.1.3.1) that
 * asks recursive servers for A records, follows CNAME chains, retries, caches, and takes a
 * truncated answer again over TCP. Application threads use it through {@link Resolver}; this
 * class is the part that runs in the duty cycle (registered as a UDP service) and allocates
 * nothing after construction.
 *
 * <h2>One lookup</h2>
 * A lookup occupies one of {@link StackConfig#dnsQueries} slots. The cache answers if it can
 * ({@link DnsCache}). Otherwise the first server is asked over UDP from a fresh random port
 * (RFC 6056 algorithm 1 over the dynamic range) with a fresh random ID (both from a keyed PRF,
 * RFC 5452 9.2), and waited for {@link StackConfig#dnsTimeoutNanos}; no answer moves to the next
 * server, and each round over the list waits twice as long as the one before (RFC 1035 4.2.1:
 * "the retransmission interval should be based on prior statistics if possible"; doubling, as
 * resolvers commonly do), for {@link StackConfig#dnsAttempts} rounds. Each attempt has its own ID
 * and port, so a late answer to an earlier one is dropped.
 *
 * <h2>What is believed</h2>
 * RFC 5452 9.1: an answer must come from the server asked, from port 53, to the query's port,
 * with the query's ID and the query's question (name case-insensitively, type A, class IN).
 * Anything else, and anything RFC 1035 4.1 cannot parse (see {@link DnsMessage}), is counted
 * ({@link DnsCounter}) and dropped while the query keeps waiting, so a forged or broken datagram
 * can neither answer nor end a lookup. An answer's records are checked whole before any is used.
 *
 * <h2>Answers</h2>
 * RCODE 3 ends the lookup as NAME_ERROR; SERVFAIL, REFUSED, NOTIMP, FORMERR move to the next
 * server (RFC 1035 7.3), and a lookup every server failed ends as SERVER_FAILURE. TC set moves
 * the same question to TCP on the same server (RFC 7766 5: "the client SHOULD retry over TCP"),
 * two-byte length prefix and all (RFC 1035 4.2.2). NOERROR: aliases are followed through the
 * answer from the name asked (RFC 1034 3.6.2, at most {@link #MAX_CNAMES}), then the A records of
 * the last name are taken; an alias whose name has no A record in the answer is asked again
 * under its canonical name (RFC 1034 5.3.3). TTLs with the top bit set count as 0 (RFC 2181 8);
 * the result lives as long as its shortest TTL; negative answers are cached for the SOA's
 * negative TTL (RFC 2308 5) when the answer carries one.
 */
public final class DnsClient implements DutyCycle {

    /** Servers kept: configured or from DHCP option 6 (RFC 2132 3.8), as resolv.conf's MAXNS. */
    public static final int MAX_SERVERS = 3;
    /** Aliases followed in one lookup before it ends as CNAME_LOOP. */
    public static final int MAX_CNAMES = 8;

    // ---- slot states (app side: FREE -> CLAIMED -> SUBMITTED; stack side: ACTIVE, DONE) ----
    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int SUBMITTED = 2;
    static final int ACTIVE = 3;
    static final int DONE = 4;
    static final int ABANDONED = 5;

    private static final int NOTHING_PENDING = 0;
    private static final int PENDING_NEXT_SERVER = 1;
    private static final int PENDING_ASK_AGAIN = 2;
    private static final int NO_HANDLE = -1;
    private static final long SECOND = 1_000_000_000L;

    private final UdpLayer udp;
    private final TcpLayer tcp;
    private final DnsCache cache;
    private final Counters<DnsCounter> counters = new Counters<>(DnsCounter.class);
    private final SipHash24 random;
    private long randomCounter;
    private final long timeoutNanos;
    private final int attempts;
    private final DnsMessage message = new DnsMessage();
    private final byte[] owner = new byte[DnsMessage.MAX_NAME_LENGTH];
    private final byte[] target = new byte[DnsMessage.MAX_NAME_LENGTH];

    private final int[] configuredServers = new int[MAX_SERVERS];
    private int configuredServerCount;
    private final int[] dhcpServers = new int[MAX_SERVERS];
    private int dhcpServerCount;

    // ---- per slot: the request (written by the application before SUBMITTED) ----
    final AtomicIntegerArray states;
    final byte[][] names;
    final int[] nameLengths;
    final AtomicReferenceArray<Thread> waiters;

    // ---- per slot: the lookup in flight (stack thread) ----
    /** The name asked now: the requested one, or the canonical name after a restart. */
    private final byte[][] asking;
    private final int[] askingLengths;
    private final int[] ids;
    private final int[] udpHandles;
    private final int[] tcpHandles;
    private final int[] serverIndexes;
    private final int[] rounds;
    private final int[] failures;
    /** Of {@link #failures}, those that were ICMP unreachables: all of them make the lookup UNREACHABLE. */
    private final int[] unreachables;
    private final int[] restarts;
    private final int[] pending;
    private final long[] deadlines;
    private final boolean[] overTcp;
    private final byte[][] tcpBuffers;
    private final int[] tcpQueryLengths;
    private final int[] tcpWritten;
    private final int[] tcpFilled;
    private final UdpHandler[] udpReceivers;
    private final TcpHandler[] tcpReceivers;

    // ---- per slot: the result (written by the stack thread before DONE) ----
    final DnsStatus[] statuses;
    final int[][] addresses;
    final int[] addressCounts;
    final long[] ttlSeconds;
    final byte[][] canonicalNames;
    final int[] canonicalLengths;
    final int[] answeredBy;
    final int[] transports;
    static final int VIA_CACHE = 0;
    static final int VIA_UDP = 1;
    static final int VIA_TCP = 2;

    private volatile Thread stackThread;
    /**
     * The latest duty-cycle time seen, for TCP callbacks, whose methods carry none (at most one
     * cycle old: a cached answer's lifetime is measured in seconds).
     */
    private long cycleNanos;

    /**
     * An engine sized by {@code config}, on {@code udp} (and {@code tcp} for truncated answers;
     * null = none, then a truncated answer counts as a server failure), registered as a service
     * of {@code udp}.
     *
     * @param secret keys the query IDs and ports (0: a random key; tests fix it)
     */
    public DnsClient(StackConfig config, UdpLayer udp, TcpLayer tcp, long secret) {
        int slots = config.dnsQueries;
        if (slots < 1) {
            throw new IllegalArgumentException("DnsClient needs at least one query slot (StackConfig dnsQueries), was " + slots);
        }
        this.udp = udp;
        this.tcp = tcp;
        this.cache = new DnsCache(config.dnsCacheEntries);
        this.random = new SipHash24(secret);
        this.timeoutNanos = config.dnsTimeoutNanos;
        this.attempts = config.dnsAttempts;
        this.states = new AtomicIntegerArray(slots);
        this.names = new byte[slots][DnsMessage.MAX_NAME_LENGTH];
        this.nameLengths = new int[slots];
        this.waiters = new AtomicReferenceArray<>(slots);
        this.asking = new byte[slots][DnsMessage.MAX_NAME_LENGTH];
        this.askingLengths = new int[slots];
        this.ids = new int[slots];
        this.udpHandles = new int[slots];
        this.tcpHandles = new int[slots];
        this.serverIndexes = new int[slots];
        this.rounds = new int[slots];
        this.failures = new int[slots];
        this.unreachables = new int[slots];
        this.restarts = new int[slots];
        this.pending = new int[slots];
        this.deadlines = new long[slots];
        this.overTcp = new boolean[slots];
        this.tcpBuffers = new byte[slots][config.dnsTcpMessageBytes + 2];
        this.tcpQueryLengths = new int[slots];
        this.tcpWritten = new int[slots];
        this.tcpFilled = new int[slots];
        this.udpReceivers = new UdpHandler[slots];
        this.tcpReceivers = new TcpHandler[slots];
        this.statuses = new DnsStatus[slots];
        this.addresses = new int[slots][DnsCache.MAX_ADDRESSES];
        this.addressCounts = new int[slots];
        this.ttlSeconds = new long[slots];
        this.canonicalNames = new byte[slots][DnsMessage.MAX_NAME_LENGTH];
        this.canonicalLengths = new int[slots];
        this.answeredBy = new int[slots];
        this.transports = new int[slots];
        for (int slot = 0; slot < slots; slot++) {
            udpHandles[slot] = NO_HANDLE;
            tcpHandles[slot] = NO_HANDLE;
            udpReceivers[slot] = new UdpAnswer(slot);
            tcpReceivers[slot] = new TcpAnswer(slot);
        }
        udp.addService(this);
    }

    // ---- servers (stack thread, or before it starts) ----

    /**
     * The servers to ask, in order (at most {@link #MAX_SERVERS}); they take precedence over
     * servers from DHCP. None clears the list. Stack thread, or before the stack thread starts.
     */
    public void configureServers(int... servers) {
        if (servers.length > MAX_SERVERS) {
            throw new IllegalArgumentException("at most " + MAX_SERVERS + " DNS servers, got " + servers.length);
        }
        for (int server : servers) {
            if (server == 0 || server == -1) {
                throw new IllegalArgumentException("a DNS server needs a unicast address, not 0.0.0.0 or 255.255.255.255");
            }
        }
        System.arraycopy(servers, 0, configuredServers, 0, servers.length);
        configuredServerCount = servers.length;
        cache.clear();
    }

    /**
     * Servers learned from DHCP option 6 (the first {@link #MAX_SERVERS} of {@code count}); used
     * while none are configured. A count of 0 forgets them (the lease was lost). Stack thread.
     */
    public void dhcpServers(int[] servers, int count) {
        int kept = 0;
        boolean changed = false;
        for (int i = 0; i < count && kept < MAX_SERVERS; i++) {
            int server = servers[i];
            if (server != 0 && server != -1) {
                changed |= kept >= dhcpServerCount || dhcpServers[kept] != server;
                dhcpServers[kept++] = server;
            }
        }
        changed |= kept != dhcpServerCount;
        dhcpServerCount = kept;
        if (changed && configuredServerCount == 0) {
            // Answers from servers no longer asked are not kept.
            cache.clear();
        }
    }

    /** How many servers a lookup asks now. */
    public int serverCount() {
        return configuredServerCount > 0 ? configuredServerCount : dhcpServerCount;
    }

    /** The {@code index}th server a lookup asks now. */
    public int server(int index) {
        return configuredServerCount > 0 ? configuredServers[index] : dhcpServers[index];
    }

    // ---- inspection ----

    public Counters<DnsCounter> counters() {
        return counters;
    }

    public DnsCache cache() {
        return cache;
    }

    /** Query slots (lookups in flight at once). */
    public int slots() {
        return states.length();
    }

    /** Slots an application holds now. */
    public int slotsInUse() {
        int used = 0;
        for (int slot = 0; slot < states.length(); slot++) {
            if (states.get(slot) != FREE) {
                used++;
            }
        }
        return used;
    }

    /** The longest a lookup takes before it ends as TIMEOUT, over UDP, with the servers known now. */
    public long longestLookupNanos() {
        long sum = 0;
        int servers = Math.max(1, serverCount());
        for (int round = 0; round < attempts; round++) {
            sum += servers * (timeoutNanos << round);
        }
        return sum;
    }

    // ---- the application's side of a slot (used by Resolver) ----

    /** Takes a free slot, or returns -1 when every slot is in use. Any thread. */
    int claim() {
        for (int slot = 0; slot < states.length(); slot++) {
            if (states.compareAndSet(slot, FREE, CLAIMED)) {
                return slot;
            }
        }
        return -1;
    }

    void checkNotStackThread() {
        if (Thread.currentThread() == stackThread) {
            throw new IllegalStateException("cannot resolve a name on the stack thread: it would wait for itself; "
                    + "resolve on an application thread");
        }
    }

    /** Hands a claimed slot, its name written, to the stack thread. */
    void submit(int slot) {
        states.set(slot, SUBMITTED);
    }

    /** Gives up on a lookup: the stack thread frees the slot; a result that came first is freed here. */
    void abandon(int slot) {
        if (states.compareAndSet(slot, SUBMITTED, ABANDONED) || states.compareAndSet(slot, ACTIVE, ABANDONED)) {
            return;
        }
        states.set(slot, FREE);
    }

    /** After reading a DONE slot's result. */
    void free(int slot) {
        states.set(slot, FREE);
    }

    // ---- duty cycle ----

    @Override
    public int poll(long nowNanos) {
        if (stackThread == null) {
            stackThread = Thread.currentThread();
        }
        cycleNanos = nowNanos;
        int work = 0;
        for (int slot = 0; slot < states.length(); slot++) {
            switch (states.get(slot)) {
                case SUBMITTED -> {
                    start(slot, nowNanos);
                    work++;
                }
                case ACTIVE -> {
                    int action = pending[slot];
                    if (action != NOTHING_PENDING) {
                        pending[slot] = NOTHING_PENDING;
                        if (action == PENDING_NEXT_SERVER) {
                            nextAttempt(slot, nowNanos);
                        } else {
                            askUdp(slot, nowNanos);
                        }
                        work++;
                    } else if (deadlines[slot] - nowNanos <= 0) {
                        counters.increment(DnsCounter.ATTEMPT_TIMEOUTS);
                        nextAttempt(slot, nowNanos);
                        work++;
                    }
                }
                case ABANDONED -> {
                    release(slot, false);
                    counters.increment(DnsCounter.LOOKUPS_ABANDONED);
                    states.set(slot, FREE);
                    work++;
                }
                default -> {
                }
            }
        }
        return work;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        long deadline = nowNanos + Long.MAX_VALUE / 4;
        for (int slot = 0; slot < states.length(); slot++) {
            if (states.get(slot) == ACTIVE) {
                long due = pending[slot] != NOTHING_PENDING ? nowNanos : deadlines[slot];
                if (due - deadline < 0) {
                    deadline = due;
                }
            }
        }
        return deadline;
    }

    private void start(int slot, long nowNanos) {
        counters.increment(DnsCounter.LOOKUPS);
        int length = nameLengths[slot];
        System.arraycopy(names[slot], 0, asking[slot], 0, length);
        askingLengths[slot] = length;
        System.arraycopy(names[slot], 0, canonicalNames[slot], 0, length);
        canonicalLengths[slot] = length;
        addressCounts[slot] = 0;
        ttlSeconds[slot] = 0;
        answeredBy[slot] = 0;
        restarts[slot] = 0;
        failures[slot] = 0;
        unreachables[slot] = 0;
        serverIndexes[slot] = 0;
        rounds[slot] = 0;
        pending[slot] = NOTHING_PENDING;
        int entry = cache.find(names[slot], length, nowNanos);
        if (entry >= 0) {
            counters.increment(DnsCounter.LOOKUPS_ANSWERED_FROM_CACHE);
            int count = cache.addressCount(entry);
            for (int i = 0; i < count; i++) {
                addresses[slot][i] = cache.address(entry, i);
            }
            addressCounts[slot] = count;
            int canonicalLength = cache.canonicalNameLength(entry);
            System.arraycopy(cache.canonicalName(entry), 0, canonicalNames[slot], 0, canonicalLength);
            canonicalLengths[slot] = canonicalLength;
            ttlSeconds[slot] = cache.ttlSeconds(entry, nowNanos);
            transports[slot] = VIA_CACHE;
            finish(slot, cache.status(entry));
            return;
        }
        if (serverCount() == 0) {
            finish(slot, DnsStatus.NO_SERVERS);
            return;
        }
        if (states.compareAndSet(slot, SUBMITTED, ACTIVE)) {
            askUdp(slot, nowNanos);
        }
    }

    /** The attempt failed or timed out: the next server, the next round, or the end. */
    private void nextAttempt(int slot, long nowNanos) {
        release(slot, false);
        int servers = serverCount();
        if (servers == 0) {
            finish(slot, DnsStatus.NO_SERVERS);
            return;
        }
        if (failures[slot] >= servers) {
            finish(slot, failureStatus(slot));
            return;
        }
        if (++serverIndexes[slot] >= servers) {
            serverIndexes[slot] = 0;
            rounds[slot]++;
        }
        if (rounds[slot] >= attempts) {
            finish(slot, failures[slot] > 0 ? failureStatus(slot) : DnsStatus.TIMEOUT);
            return;
        }
        askUdp(slot, nowNanos);
    }

    /** SERVER_FAILURE, or UNREACHABLE when every failure was an ICMP unreachable. */
    private DnsStatus failureStatus(int slot) {
        return unreachables[slot] == failures[slot] ? DnsStatus.UNREACHABLE : DnsStatus.SERVER_FAILURE;
    }

    private int nextRandom() {
        return (int) random.hash(0x444E_535F_5155_4552L, randomCounter++);
    }

    private int currentServer(int slot) {
        return server(serverIndexes[slot] % serverCount());
    }

    private void askUdp(int slot, long nowNanos) {
        release(slot, false);
        int port = udp.freeDynamicPort(nextRandom());
        if (port == 0 || udp.freeEndpoints() == 0) {
            counters.increment(DnsCounter.NO_RESOURCES);
            finish(slot, DnsStatus.NO_RESOURCES);
            return;
        }
        int handle = udp.open(port, false, udpReceivers[slot]);
        udpHandles[slot] = handle;
        ids[slot] = nextRandom() & 0xFFFF;
        overTcp[slot] = false;
        answeredBy[slot] = currentServer(slot);
        int length = DnsMessage.writeQuery(udp.payloadBuffer(), udp.payloadOffset(), ids[slot], asking[slot], askingLengths[slot],
                DnsMessage.TYPE_A);
        // A datagram the interface drops (no route yet, ARP queue full) is an attempt that times out.
        udp.sendPayload(handle, answeredBy[slot], DnsMessage.PORT, length, nowNanos);
        counters.increment(DnsCounter.QUERIES_SENT_UDP);
        deadlines[slot] = nowNanos + (timeoutNanos << rounds[slot]);
    }

    /** RFC 7766 5 / RFC 1035 4.2.2: the same question to the same server over TCP, length-prefixed. */
    private void askTcp(int slot, long nowNanos) {
        release(slot, false);
        if (tcp == null || tcp.connectionsInUse() >= tcp.connectionCapacity()) {
            counters.increment(DnsCounter.NO_RESOURCES);
            failures[slot]++;
            pending[slot] = PENDING_NEXT_SERVER;
            return;
        }
        byte[] buffer = tcpBuffers[slot];
        int length = DnsMessage.writeQuery(buffer, 2, ids[slot], asking[slot], askingLengths[slot], DnsMessage.TYPE_A);
        buffer[0] = (byte) (length >>> 8);
        buffer[1] = (byte) length;
        tcpQueryLengths[slot] = length + 2;
        tcpWritten[slot] = 0;
        tcpFilled[slot] = 0;
        overTcp[slot] = true;
        tcpHandles[slot] = tcp.connect(answeredBy[slot], DnsMessage.PORT, tcpReceivers[slot]);
        counters.increment(DnsCounter.QUERIES_SENT_TCP);
        deadlines[slot] = nowNanos + (timeoutNanos << rounds[slot]);
    }

    /** Closes the slot's UDP endpoint and TCP connection ({@code answered}: a FIN, else a RST). */
    private void release(int slot, boolean answered) {
        int udpHandle = udpHandles[slot];
        if (udpHandle != NO_HANDLE) {
            udpHandles[slot] = NO_HANDLE;
            udp.close(udpHandle);
        }
        int tcpHandle = tcpHandles[slot];
        if (tcpHandle != NO_HANDLE) {
            // Cleared first: the close or abort calls the handler back, which must ignore it.
            tcpHandles[slot] = NO_HANDLE;
            TcpState state = tcp.state(tcpHandle);
            if (answered && (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) {
                tcp.close(tcpHandle);
            } else if (state != TcpState.CLOSED) {
                tcp.abort(tcpHandle);
            }
        }
    }

    private void finish(int slot, DnsStatus status) {
        release(slot, status != DnsStatus.TIMEOUT);
        statuses[slot] = status;
        counters.increment(status == DnsStatus.OK ? DnsCounter.LOOKUPS_OK : DnsCounter.LOOKUPS_FAILED);
        if (states.compareAndSet(slot, ACTIVE, DONE) || states.compareAndSet(slot, SUBMITTED, DONE)) {
            Thread waiter = waiters.get(slot);
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
        // Otherwise the application abandoned the lookup meanwhile: the next poll frees the slot.
    }

    // ---- answers ----

    /**
     * Checks and uses one message for {@code slot}. Over UDP a message that fails a check is
     * dropped and the lookup keeps waiting (it may be forged); over TCP, from the connection the
     * lookup opened, the server itself is at fault and the next server is asked.
     */
    private void answer(int slot, byte[] buffer, int offset, int length, boolean viaTcp, long nowNanos) {
        cycleNanos = nowNanos;
        boolean truncated = acceptable(slot, buffer, offset, length) && message.truncated() && !viaTcp;
        if (truncated) {
            // Records cut short are no reason to doubt the header: TC says the whole answer is over TCP.
            counters.increment(DnsCounter.ANSWERS_TRUNCATED);
            counters.increment(DnsCounter.ANSWERS_ACCEPTED);
            askTcp(slot, nowNanos);
            return;
        }
        if (!acceptedHeader || !wellFormed()) {
            if (viaTcp) {
                failures[slot]++;
                pending[slot] = PENDING_NEXT_SERVER;
            }
            return;
        }
        counters.increment(DnsCounter.ANSWERS_ACCEPTED);
        transports[slot] = viaTcp ? VIA_TCP : VIA_UDP;
        int rcode = message.rcode();
        if (rcode == DnsMessage.RCODE_NAME_ERROR) {
            counters.increment(DnsCounter.RCODE_NAME_ERROR);
            if (followAliases(slot) >= 0) {
                negative(slot, DnsStatus.NAME_ERROR, nowNanos);
            }
            return;
        }
        if (rcode != DnsMessage.RCODE_NO_ERROR) {
            counters.increment(DnsCounter.RCODE_FAILURE);
            failures[slot]++;
            pending[slot] = PENDING_NEXT_SERVER;
            release(slot, true);
            return;
        }
        long ttl = followAliases(slot);
        if (ttl < 0) {
            return;
        }
        int count = 0;
        int at = answersStart;
        for (int i = 0; i < message.answerCount(); i++) {
            at = message.readRecord(at, owner);
            if (message.recordType() == DnsMessage.TYPE_A && message.recordClass() == DnsMessage.CLASS_IN
                    && DnsMessage.sameName(owner, message.nameLength(), canonicalNames[slot], canonicalLengths[slot])) {
                if (count < DnsCache.MAX_ADDRESSES) {
                    addresses[slot][count++] = (int) message.u32(message.rdataOffset());
                    ttl = Math.min(ttl, ttlOf(message.recordTtl()));
                } else {
                    counters.increment(DnsCounter.ADDRESSES_LEFT_OUT);
                }
            }
        }
        if (count > 0) {
            addressCounts[slot] = count;
            ttlSeconds[slot] = ttl;
            cache.store(names[slot], nameLengths[slot], DnsStatus.OK, canonicalNames[slot], canonicalLengths[slot],
                    addresses[slot], count, ttl, nowNanos);
            finish(slot, DnsStatus.OK);
            return;
        }
        if (!DnsMessage.sameName(canonicalNames[slot], canonicalLengths[slot], asking[slot], askingLengths[slot])) {
            // RFC 1034 5.3.3 step 3: an alias without the data: ask for the canonical name.
            if (++restarts[slot] > MAX_CNAMES) {
                counters.increment(DnsCounter.CNAME_LOOPS);
                finish(slot, DnsStatus.CNAME_LOOP);
                return;
            }
            counters.increment(DnsCounter.CNAME_RESTARTS);
            System.arraycopy(canonicalNames[slot], 0, asking[slot], 0, canonicalLengths[slot]);
            askingLengths[slot] = canonicalLengths[slot];
            release(slot, true);
            pending[slot] = PENDING_ASK_AGAIN;
            return;
        }
        negative(slot, DnsStatus.NO_ADDRESS, nowNanos);
    }

    /** Where the answer section starts, set by {@link #acceptable}. */
    private int answersStart;
    /** Where the authority section starts, set by {@link #acceptable}. */
    private int authorityStart;

    /** Whether the last {@link #acceptable} passed. */
    private boolean acceptedHeader;

    /** RFC 5452 9.1 and RFC 1035 4.1: the ID, QR and opcode, and the question. Counts what fails. */
    private boolean acceptable(int slot, byte[] buffer, int offset, int length) {
        acceptedHeader = checkHeader(slot, buffer, offset, length);
        return acceptedHeader;
    }

    private boolean checkHeader(int slot, byte[] buffer, int offset, int length) {
        int at = message.wrap(buffer, offset, length);
        if (at < 0) {
            return drop(at);
        }
        if (message.id() != ids[slot]) {
            counters.increment(DnsCounter.RX_DROP_WRONG_ID);
            return false;
        }
        if (!message.isResponse() || message.opcode() != 0) {
            counters.increment(DnsCounter.RX_DROP_NOT_A_RESPONSE);
            return false;
        }
        if (message.questionCount() != 1) {
            counters.increment(DnsCounter.RX_DROP_WRONG_QUESTION);
            return false;
        }
        at = message.readQuestion(DnsMessage.HEADER_LENGTH, owner);
        if (at < 0) {
            return drop(at);
        }
        if (message.recordType() != DnsMessage.TYPE_A || message.recordClass() != DnsMessage.CLASS_IN
                || !DnsMessage.sameName(owner, message.nameLength(), asking[slot], askingLengths[slot])) {
            counters.increment(DnsCounter.RX_DROP_WRONG_QUESTION);
            return false;
        }
        answersStart = at;
        return true;
    }

    /**
     * RFC 1035 4.1.3: every answer and authority record parses (an A record's RDATA is 4 octets,
     * a CNAME's exactly one name), all checked before any of it is used. Counts what fails.
     */
    private boolean wellFormed() {
        int at = answersStart;
        for (int i = 0; i < message.answerCount(); i++) {
            at = message.readRecord(at, owner);
            if (at < 0) {
                return drop(at);
            }
            if (message.recordClass() == DnsMessage.CLASS_IN && !validRdata()) {
                return drop(DnsFlaw.BAD_RDATA.code());
            }
        }
        authorityStart = at;
        for (int i = 0; i < message.authorityCount(); i++) {
            at = message.readRecord(at, owner);
            if (at < 0) {
                return drop(at);
            }
        }
        return true;
    }

    private boolean validRdata() {
        int type = message.recordType();
        if (type == DnsMessage.TYPE_A) {
            return message.rdataLength() == 4;
        }
        if (type == DnsMessage.TYPE_CNAME) {
            int end = message.readName(message.rdataOffset(), target);
            return end == message.rdataOffset() + message.rdataLength();
        }
        return true;
    }

    private boolean drop(int flaw) {
        counters.increment(switch (DnsFlaw.of(flaw)) {
            case TRUNCATED_HEADER -> DnsCounter.RX_DROP_TRUNCATED_HEADER;
            case NAME_PAST_END -> DnsCounter.RX_DROP_NAME_PAST_END;
            case POINTER_LOOP -> DnsCounter.RX_DROP_POINTER_LOOP;
            case NAME_TOO_LONG -> DnsCounter.RX_DROP_NAME_TOO_LONG;
            case BAD_LABEL_TYPE -> DnsCounter.RX_DROP_BAD_LABEL_TYPE;
            case RECORD_PAST_END -> DnsCounter.RX_DROP_RECORD_PAST_END;
            case BAD_RDATA -> DnsCounter.RX_DROP_BAD_RDATA;
        });
        return false;
    }

    /**
     * Follows the aliases of the name asked through the answer section (records already checked
     * by {@link #acceptable}), leaving the last name in the slot's canonical name.
     *
     * @return the smallest TTL met on the way (seconds; {@link DnsCache#MAX_TTL_SECONDS} if
     *     none), or -1 when the chain is too long (the lookup ended as CNAME_LOOP)
     */
    private long followAliases(int slot) {
        System.arraycopy(asking[slot], 0, canonicalNames[slot], 0, askingLengths[slot]);
        canonicalLengths[slot] = askingLengths[slot];
        long ttl = DnsCache.MAX_TTL_SECONDS;
        for (int followed = 0; ; followed++) {
            boolean found = false;
            int at = answersStart;
            for (int i = 0; i < message.answerCount() && !found; i++) {
                at = message.readRecord(at, owner);
                if (message.recordType() == DnsMessage.TYPE_CNAME && message.recordClass() == DnsMessage.CLASS_IN
                        && DnsMessage.sameName(owner, message.nameLength(), canonicalNames[slot], canonicalLengths[slot])) {
                    message.readName(message.rdataOffset(), canonicalNames[slot]);
                    canonicalLengths[slot] = message.nameLength();
                    ttl = Math.min(ttl, ttlOf(message.recordTtl()));
                    found = true;
                }
            }
            if (!found) {
                return ttl;
            }
            counters.increment(DnsCounter.CNAMES_FOLLOWED);
            if (followed + 1 + restarts[slot] > MAX_CNAMES) {
                counters.increment(DnsCounter.CNAME_LOOPS);
                finish(slot, DnsStatus.CNAME_LOOP);
                return -1;
            }
        }
    }

    /** RFC 2308 5: a negative answer lives for min(SOA TTL, SOA MINIMUM) when the authority section has the SOA. */
    private void negative(int slot, DnsStatus status, long nowNanos) {
        long ttl = 0;
        int at = authorityStart;
        for (int i = 0; i < message.authorityCount(); i++) {
            at = message.readRecord(at, owner);
            if (message.recordType() == DnsMessage.TYPE_SOA && message.recordClass() == DnsMessage.CLASS_IN) {
                int rdataEnd = message.rdataOffset() + message.rdataLength();
                int fields = message.skipName(message.rdataOffset());
                fields = fields < 0 ? fields : message.skipName(fields);
                if (fields >= 0 && fields + 20 == rdataEnd) {
                    ttl = Math.min(ttlOf(message.recordTtl()), ttlOf(message.u32(fields + 16)));
                }
                break;
            }
        }
        ttlSeconds[slot] = ttl;
        cache.store(names[slot], nameLengths[slot], status, canonicalNames[slot], canonicalLengths[slot], addresses[slot], 0, ttl,
                nowNanos);
        finish(slot, status);
    }

    /** RFC 2181 8: a TTL with the most significant bit set is taken as zero. */
    private static long ttlOf(long ttl) {
        return ttl > 0x7FFF_FFFFL ? 0 : ttl;
    }

    // ---- transports ----

    /** Datagrams to one slot's port (RFC 5452 9.1: from the server asked, from port 53). */
    private final class UdpAnswer implements UdpHandler {
        private final int slot;

        UdpAnswer(int slot) {
            this.slot = slot;
        }

        @Override
        public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
            if (states.get(slot) != ACTIVE || overTcp[slot] || pending[slot] != NOTHING_PENDING) {
                counters.increment(DnsCounter.RX_DROP_UNEXPECTED);
                return;
            }
            if (sourceIp != answeredBy[slot] || sourcePort != DnsMessage.PORT) {
                counters.increment(DnsCounter.RX_DROP_WRONG_SOURCE);
                return;
            }
            answer(slot, buffer, offset, length, false, nowNanos);
        }

        /**
         * RFC 1122 4.1.3.3: the ICMP error UDP passes up. A destination unreachable about this
         * query (sent to the server asked, port 53, with the query's ID where the error quotes
         * it: RFC 5927 4's checks, and the port is random, RFC 5452 9.2) ends the attempt at
         * once: no DNS server runs there, so the next server is asked now, not after the
         * timeout. Only a hard error does so (port, protocol, "prohibited" and the other codes
         * Linux's icmp_err_convert marks fatal, IcmpError.isHard): those alone reach the connected
         * socket glibc's resolver asks from (__udp4_lib_err without IP_RECVERR). A soft one, net or
         * host unreachable (RFC 1122 4.2.3.9), "fragmentation needed", time exceeded, often a
         * router's passing trouble, leaves the attempt to its timeout.
         */
        @Override
        public void onIcmpError(int type, int code, int remoteIp, int remotePort, byte[] quote, int quoteOffset, int quoteLength,
                                long nowNanos) {
            if (!IcmpError.isHard(type, code)) {
                counters.increment(DnsCounter.ICMP_SOFT_IGNORED);
                return;
            }
            if (states.get(slot) != ACTIVE || overTcp[slot] || pending[slot] != NOTHING_PENDING || remoteIp != answeredBy[slot]
                    || remotePort != DnsMessage.PORT
                    || quoteLength >= 2 && (((quote[quoteOffset] & 0xFF) << 8) | (quote[quoteOffset + 1] & 0xFF)) != ids[slot]) {
                counters.increment(DnsCounter.ICMP_DROP_NOT_OUR_QUERY);
                return;
            }
            counters.increment(DnsCounter.ATTEMPT_UNREACHABLE);
            failures[slot]++;
            unreachables[slot]++;
            pending[slot] = PENDING_NEXT_SERVER;
        }
    }

    /** One slot's TCP connection: writes the query, reads the length-prefixed answer. */
    private final class TcpAnswer implements TcpHandler {
        private final int slot;

        TcpAnswer(int slot) {
            this.slot = slot;
        }

        private boolean ours(int connection) {
            return connection == tcpHandles[slot] && states.get(slot) == ACTIVE && pending[slot] == NOTHING_PENDING;
        }

        @Override
        public void onConnected(int connection) {
            onWritable(connection);
        }

        @Override
        public void onWritable(int connection) {
            if (!ours(connection)) {
                return;
            }
            int left = tcpQueryLengths[slot] - tcpWritten[slot];
            if (left > 0) {
                tcpWritten[slot] += tcp.write(connection, tcpBuffers[slot], tcpWritten[slot], left);
            }
        }

        @Override
        public void onReadable(int connection) {
            if (!ours(connection) || tcpWritten[slot] < tcpQueryLengths[slot]) {
                return;
            }
            byte[] buffer = tcpBuffers[slot];
            int filled = tcpFilled[slot];
            int n;
            while (filled < buffer.length && (n = tcp.read(connection, buffer, filled, buffer.length - filled)) > 0) {
                filled += n;
            }
            tcpFilled[slot] = filled;
            if (filled < 2) {
                return;
            }
            int expected = (buffer[0] & 0xFF) << 8 | (buffer[1] & 0xFF);
            if (expected + 2 > buffer.length) {
                counters.increment(DnsCounter.TCP_ANSWER_TOO_LONG);
                failures[slot]++;
                pending[slot] = PENDING_NEXT_SERVER;
                return;
            }
            if (filled >= expected + 2) {
                answer(slot, buffer, 2, expected, true, cycleNanos);
            }
        }

        @Override
        public void onPeerClosed(int connection) {
            lostConnection(connection);
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            lostConnection(connection);
            if (connection == tcpHandles[slot]) {
                tcpHandles[slot] = NO_HANDLE;
            }
        }

        /** The server ended the connection before the whole answer: count, and ask the next server. */
        private void lostConnection(int connection) {
            if (ours(connection)) {
                counters.increment(DnsCounter.TCP_FAILURES);
                failures[slot]++;
                pending[slot] = PENDING_NEXT_SERVER;
            }
        }
    }
}
