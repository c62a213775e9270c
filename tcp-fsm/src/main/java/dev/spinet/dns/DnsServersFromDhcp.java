package dev.spinet.dns;

import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dhcp.DhcpLeaseLoss;
import dev.spinet.dhcp.DhcpListener;
import dev.spinet.dhcp.DhcpState;

/**
 * Gives a {@link DnsClient} the DNS servers of each DHCP lease (option 6, RFC 2132 3.8) and
 * forgets them when the lease is lost, passing every event on to another listener (the one that
 * prints the ready line, say). Register it with {@link DhcpClient#listener}. Stack thread; copies
 * into a preallocated array, allocates nothing.
 */
public final class DnsServersFromDhcp implements DhcpListener {

    private final DhcpClient dhcp;
    private final DnsClient dns;
    private final DhcpListener next;
    private final int[] servers = new int[DhcpClient.MAX_DNS_SERVERS];

    /** @param next told about every event after the servers are updated; null for none */
    public DnsServersFromDhcp(DhcpClient dhcp, DnsClient dns, DhcpListener next) {
        this.dhcp = dhcp;
        this.dns = dns;
        this.next = next == null ? new DhcpListener() {
        } : next;
    }

    @Override
    public void onStateChanged(DhcpState from, DhcpState to, long nowNanos) {
        next.onStateChanged(from, to, nowNanos);
    }

    @Override
    public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
        dns.dhcpServers(servers, dhcp.dnsServers(servers));
        next.onLeaseAcquired(address, prefixLength, router, dnsServer, leaseSeconds, nowNanos);
    }

    @Override
    public void onLeaseRenewed(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
        dns.dhcpServers(servers, dhcp.dnsServers(servers));
        next.onLeaseRenewed(address, prefixLength, router, dnsServer, leaseSeconds, nowNanos);
    }

    @Override
    public void onLeaseLost(int address, DhcpLeaseLoss reason, long nowNanos) {
        dns.dhcpServers(servers, 0);
        next.onLeaseLost(address, reason, nowNanos);
    }
}
