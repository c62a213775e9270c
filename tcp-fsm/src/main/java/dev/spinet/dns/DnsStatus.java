package dev.spinet.dns;

/** How a lookup ended. */
public enum DnsStatus {
    /** One or more IPv4 addresses. */
    OK("found"),
    /** RCODE 3 (RFC 1035 4.1.1, "the domain name referenced in the query does not exist"). */
    NAME_ERROR("no such name (NXDOMAIN)"),
    /** The name exists but has no A record (RFC 2308 "NODATA"). */
    NO_ADDRESS("the name has no IPv4 address (no A record)"),
    /** Every server answered with SERVFAIL, REFUSED, NOTIMP or FORMERR, or closed TCP early. */
    SERVER_FAILURE("every server failed to answer (SERVFAIL, REFUSED or a broken TCP answer)"),
    /**
     * Every server asked answered with an ICMP destination unreachable (port unreachable: no DNS
     * server runs at that address), so the lookup ended at once instead of at its timeout.
     */
    UNREACHABLE("the DNS server(s) answered with ICMP unreachable (port unreachable: no DNS server runs there)"),
    /** No answer from any server within the configured rounds. */
    TIMEOUT("no answer from the DNS server(s) (timeout)"),
    /** Neither configured servers nor servers from DHCP option 6. */
    NO_SERVERS("no DNS server is known (none configured, none from DHCP)"),
    /** More than {@link DnsClient#MAX_CNAMES} aliases, or an alias loop (RFC 1034 3.6.2). */
    CNAME_LOOP("too many aliases (a CNAME loop?)"),
    /** No UDP endpoint or TCP connection was free for the query. */
    NO_RESOURCES("no UDP endpoint or TCP connection free for the query (raise StackConfig udpSockets or tcpConnections)");

    private final String meaning;

    DnsStatus(String meaning) {
        this.meaning = meaning;
    }

    /** A few words for an error message. */
    public String meaning() {
        return meaning;
    }
}
