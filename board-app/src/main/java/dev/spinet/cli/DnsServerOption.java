package dev.spinet.cli;

import dev.spinet.dns.DnsClient;
import dev.spinet.wire.Ipv4Packet;
import java.util.Locale;

/** {@code --dns-server A.B.C.D[,...]} (run) and {@code --server} (dig): up to three IPv4 addresses. */
final class DnsServerOption {

    private DnsServerOption() {
    }

    /**
     * @param text comma-separated addresses, or null/blank for none
     * @throws IllegalArgumentException naming the option: too many, IPv6, or not an address
     */
    static int[] parse(String option, String text) {
        if (text == null || text.isBlank()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        if (parts.length > DnsClient.MAX_SERVERS) {
            throw new IllegalArgumentException(option + " " + text + ": at most " + DnsClient.MAX_SERVERS + " servers");
        }
        int[] servers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.contains(":")) {
                throw new IllegalArgumentException(option + " " + part + ": IPv6 is not supported yet; give an IPv4 address");
            }
            try {
                servers[i] = Ipv4Packet.parseAddress(part);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + part + ": " + e.getMessage().toLowerCase(Locale.ROOT));
            }
            int first = servers[i] >>> 24;
            if (servers[i] == 0 || servers[i] == -1 || first >= 224) {
                throw new IllegalArgumentException(option + " " + part + ": a DNS server needs a unicast address");
            }
        }
        return servers;
    }
}
