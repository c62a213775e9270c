package dev.spinet.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The whole result of one lookup ({@link Resolver#lookup}), for tools that show more than the
 * addresses ({@code spinet dig}).
 *
 * @param name the name asked for, as given
 * @param status how the lookup ended; {@link DnsStatus#OK} means {@code addresses} is not empty
 * @param addresses the IPv4 addresses, in the order the answer listed them (each carries {@code name})
 * @param canonicalName the name the addresses belong to after any aliases (equal to {@code name} without aliases)
 * @param ttlSeconds how long the result may be kept (for a cached one: what is left)
 * @param server the server that answered, or null (from the cache, or no answer)
 * @param via where the answer came from
 * @param elapsed how long the application waited
 */
public record DnsAnswer(String name, DnsStatus status, List<InetAddress> addresses, String canonicalName, long ttlSeconds,
                        InetAddress server, Via via, Duration elapsed) {

    /** Where an answer came from. */
    public enum Via {
        CACHE, UDP, TCP, NONE
    }

    public DnsAnswer {
        addresses = List.copyOf(addresses);
    }

    /** Whether the name had aliases: {@link #canonicalName()} differs from the name asked for. */
    public boolean aliased() {
        return !stripDot(canonicalName).equalsIgnoreCase(stripDot(name));
    }

    private static String stripDot(String text) {
        return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
    }
}
