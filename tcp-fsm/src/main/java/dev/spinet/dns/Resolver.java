package dev.spinet.dns;

import dev.spinet.wire.Ipv4Addresses;
import dev.spinet.wire.Ipv4Packet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Name resolution for application threads: {@code resolve("www.example.com")} returns the
 * addresses, blocking until the stack thread's {@link DnsClient} has an answer (from its cache or
 * a server) or the timeout passes. Thread-safe; as many lookups run at once as the engine has
 * slots (StackConfig dnsQueries), and a caller finding none free waits for one within its
 * timeout. Never call it on the stack thread (it would wait for itself): that throws.
 *
 * <p>An IPv4 literal ({@code 10.0.0.1}) is returned as it is, without a query; an IPv6 literal
 * (anything with a ':') is refused with "IPv6 is not supported yet".
 */
public final class Resolver {

    /** Added to the engine's own longest lookup for the default wait: the stack thread's idle wait, a TCP retry. */
    static final long MARGIN_NANOS = 3_000_000_000L;
    private static final long SLOT_RETRY_NANOS = 5_000_000L;

    private final DnsClient client;

    public Resolver(DnsClient client) {
        this.client = client;
    }

    /** The engine behind this resolver. */
    public DnsClient client() {
        return client;
    }

    /** {@link #resolve(String, Duration)} waiting as long as the engine's retries take, plus a margin. */
    public List<InetAddress> resolve(String name) throws UnknownHostException {
        return resolve(name, defaultTimeout());
    }

    /**
     * The IPv4 addresses of {@code name}, each an InetAddress carrying the name.
     *
     * @throws UnknownHostException with a one-line message: no such name, no A record, every
     *     server failed, no answer in time, no server known, IPv6, or not a valid host name
     * @throws IllegalStateException on the stack thread
     */
    public List<InetAddress> resolve(String name, Duration timeout) throws UnknownHostException {
        DnsAnswer answer;
        try {
            answer = lookup(name, timeout);
        } catch (IllegalArgumentException badName) {
            throw new UnknownHostException(badName.getMessage());
        }
        if (answer.status() != DnsStatus.OK) {
            throw new UnknownHostException(name + ": " + answer.status().meaning()
                    + (answer.server() != null ? " from " + answer.server().getHostAddress() : ""));
        }
        return answer.addresses();
    }

    /** {@link #lookup(String, Duration)} with the default wait. */
    public DnsAnswer lookup(String name) {
        return lookup(name, defaultTimeout());
    }

    /**
     * Looks {@code name} up and reports everything about the answer; a failed lookup is a status,
     * not an exception.
     *
     * @throws IllegalArgumentException for a name a query cannot carry, or an IPv6 address
     * @throws IllegalStateException on the stack thread
     */
    public DnsAnswer lookup(String name, Duration timeout) {
        if (name == null) {
            throw new IllegalArgumentException("no host name given");
        }
        long started = System.nanoTime();
        String trimmed = name.trim();
        if (trimmed.indexOf(':') >= 0) {
            throw new IllegalArgumentException(trimmed + ": IPv6 is not supported yet; use an IPv4 address or a name with an A record");
        }
        if (isIpv4Literal(trimmed)) {
            InetAddress literal = Ipv4Addresses.toInetAddress(trimmed, Ipv4Packet.parseAddress(trimmed));
            return new DnsAnswer(name, DnsStatus.OK, List.of(literal), trimmed, 0, null, DnsAnswer.Via.NONE, Duration.ZERO);
        }
        client.checkNotStackThread();
        byte[] encoded = new byte[DnsMessage.MAX_NAME_LENGTH];
        int encodedLength = DnsMessage.encodeName(trimmed, encoded);
        long deadline = started + Math.max(0, timeout.toNanos());
        int slot = claimSlot(deadline);
        if (slot < 0) {
            return failed(name, DnsStatus.NO_RESOURCES, started);
        }
        System.arraycopy(encoded, 0, client.names[slot], 0, encodedLength);
        client.nameLengths[slot] = encodedLength;
        client.waiters.set(slot, Thread.currentThread());
        try {
            client.submit(slot);
            while (client.states.get(slot) != DnsClient.DONE) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    client.abandon(slot);
                    return failed(name, DnsStatus.TIMEOUT, started);
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            client.waiters.set(slot, null);
        }
        DnsAnswer answer = read(name, slot, started);
        client.free(slot);
        return answer;
    }

    private Duration defaultTimeout() {
        return Duration.ofNanos(client.longestLookupNanos() + MARGIN_NANOS);
    }

    /** A free slot, waiting for one until the deadline; -1 if none came free. */
    private int claimSlot(long deadline) {
        while (true) {
            int slot = client.claim();
            if (slot >= 0) {
                return slot;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            LockSupport.parkNanos(this, Math.min(left, SLOT_RETRY_NANOS));
        }
    }

    private DnsAnswer read(String name, int slot, long started) {
        DnsStatus status = client.statuses[slot];
        String canonical = DnsMessage.formatName(client.canonicalNames[slot], client.canonicalLengths[slot]);
        List<InetAddress> found = new ArrayList<>();
        if (status == DnsStatus.OK) {
            for (int i = 0; i < client.addressCounts[slot]; i++) {
                found.add(Ipv4Addresses.toInetAddress(name, client.addresses[slot][i]));
            }
        }
        DnsAnswer.Via via = switch (client.transports[slot]) {
            case DnsClient.VIA_CACHE -> DnsAnswer.Via.CACHE;
            case DnsClient.VIA_TCP -> DnsAnswer.Via.TCP;
            default -> DnsAnswer.Via.UDP;
        };
        boolean heard = via != DnsAnswer.Via.CACHE && status != DnsStatus.TIMEOUT && status != DnsStatus.NO_SERVERS
                && status != DnsStatus.NO_RESOURCES && client.answeredBy[slot] != 0;
        InetAddress server = heard ? Ipv4Addresses.toInetAddress(client.answeredBy[slot]) : null;
        if (!heard && via != DnsAnswer.Via.CACHE) {
            via = DnsAnswer.Via.NONE;
        }
        return new DnsAnswer(name, status, found, canonical, client.ttlSeconds[slot], server, via,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static DnsAnswer failed(String name, DnsStatus status, long started) {
        return new DnsAnswer(name, status, List.of(), name, 0, null, DnsAnswer.Via.NONE, Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean isIpv4Literal(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
