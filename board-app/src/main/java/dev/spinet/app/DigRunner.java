package dev.spinet.app;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dhcp.DhcpListener;
import dev.spinet.dns.DnsAnswer;
import dev.spinet.dns.DnsServersFromDhcp;
import dev.spinet.dns.DnsStatus;
import dev.spinet.hal.clock.NanoClock;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code spinet dig}: brings a stack up on the HAL (as {@code spinet run} does, without
 * services), runs it on a stack thread of its own, looks one name up from this thread through the
 * {@link dev.spinet.dns.Resolver} an application would use, prints the answer the way host(1)
 * does, and shuts down (giving a DHCP lease back).
 */
public final class DigRunner {

    /** How long to wait for a DHCP lease with {@code --ip dhcp}. */
    public static final long LEASE_TIMEOUT_NANOS = 30_000_000_000L;

    private final RunOptions options;
    private final String name;
    private final int[] servers;
    private final Duration timeout;
    private final PrintWriter out;
    private final PrintWriter err;
    private final NanoClock clock;

    /**
     * @param servers the servers to ask (empty: those of the DHCP lease)
     * @param timeout how long the lookup may take, or null for the resolver's own retries
     */
    public DigRunner(RunOptions options, String name, int[] servers, Duration timeout, PrintWriter out, PrintWriter err,
                     NanoClock clock) {
        this.options = options;
        this.name = name;
        this.servers = servers.clone();
        this.timeout = timeout;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /**
     * @return 0 when the name has addresses, 1 when the lookup failed (the reason on {@code err})
     */
    public int run() throws InterruptedException {
        OpenedHal hal = HalOpener.open(options, clock);
        try {
            StackConfig.Builder config = StackConfig.builder().ipAddress(options.ip(), options.prefixLength()).tcpConnections(2)
                    .tcpSecret(new SecureRandom().nextLong());
            if (options.gateway() != 0) {
                config.gateway(options.gateway());
            }
            Stack stack = new Stack(config.build(), hal.device());
            stack.dns().configureServers(servers);
            CountDownLatch bound = new CountDownLatch(1);
            DhcpClient dhcp = null;
            if (options.dhcp()) {
                dhcp = new DhcpClient(stack.iface(), stack.udp(), new SecureRandom().nextLong());
                dhcp.hostname("spinet-dig");
                dhcp.listener(new DnsServersFromDhcp(dhcp, stack.dns(), new DhcpListener() {
                    @Override
                    public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds,
                                                long nowNanos) {
                        bound.countDown();
                    }
                }));
            } else {
                bound.countDown();
            }
            StackAgent agent = new StackAgent(stack, hal.pump(), hal.waitDevice(), clock);
            Thread stackThread = Thread.ofPlatform().name("spinet-stack").start(agent::runUntilStopped);
            try {
                if (!bound.await(LEASE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                    err.println("spinet dig: no DHCP lease within " + LEASE_TIMEOUT_NANOS / 1_000_000_000L
                            + " s; is a DHCP server on the link? (or give --ip A.B.C.D/NN and --server)");
                    err.flush();
                    return 1;
                }
                DnsAnswer answer = timeout == null ? stack.resolver().lookup(name) : stack.resolver().lookup(name, timeout);
                return print(answer);
            } finally {
                agent.requestStop();
                stackThread.join(5_000);
                if (dhcp != null && !stackThread.isAlive()) {
                    // The stack thread has ended: this thread owns the stack now (RFC 2131 4.4.6).
                    dhcp.release(clock.nanoTime());
                    agent.runCycle(0);
                }
            }
        } finally {
            hal.close();
        }
    }

    private int print(DnsAnswer answer) {
        if (answer.status() != DnsStatus.OK) {
            err.println("spinet dig: " + name + ": " + answer.status().meaning()
                    + (answer.server() != null ? " from " + answer.server().getHostAddress() : ""));
            err.flush();
            return 1;
        }
        if (answer.aliased()) {
            out.println(name + " is an alias for " + answer.canonicalName() + ".");
        }
        for (InetAddress address : answer.addresses()) {
            out.println(answer.canonicalName() + " has address " + address.getHostAddress());
        }
        out.println(";; " + switch (answer.via()) {
            case CACHE -> "from the cache";
            case NONE -> "no query (an address literal)";
            case UDP, TCP -> "from " + answer.server().getHostAddress() + " over " + answer.via().name().toLowerCase(java.util.Locale.ROOT);
        } + " in " + answer.elapsed().toMillis() + " ms, ttl " + answer.ttlSeconds() + " s");
        out.flush();
        return 0;
    }
}
