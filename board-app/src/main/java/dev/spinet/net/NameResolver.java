package dev.spinet.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How Spinet's sockets turn a host name into addresses: the hook a resolver plugs into. The
 * sockets call it on the application thread (it may block: a DNS query over Spinet's own UDP
 * runs there), for {@link SpinetSocketFactory#createSocket(String, int)}, for
 * {@link SpinetSocket#connect} with an unresolved {@link java.net.InetSocketAddress}, and
 * through {@link SpinetSockets#resolver()} for libraries that take a resolver of their own
 * (OkHttp's {@code Dns} has the same shape: {@code dns = spinet.resolver()::resolve}).
 *
 * <p>The default, {@link #NUMERIC}, knows only address literals ({@code "10.0.0.1"}); it never
 * asks the host computer's resolver, which would answer from the wrong network. Addresses are
 * {@link InetAddress}es so that IPv6 can follow; today the sockets refuse an IPv6 address with
 * "IPv6 is not supported yet".
 */
@FunctionalInterface
public interface NameResolver {

    /** Address literals only, IPv4 ({@code 10.0.0.1}) or IPv6 ({@code ::1}, which the sockets then refuse). */
    NameResolver NUMERIC = host -> {
        if (host == null || host.isEmpty()) {
            throw new UnknownHostException("no host name given");
        }
        try {
            return List.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException notALiteral) {
            throw new UnknownHostException(host + ": Spinet resolves address literals only; give SpinetSockets a"
                    + " NameResolver (a DNS resolver over Spinet) to connect by name");
        }
    };

    /**
     * The addresses of {@code host}, preferred first.
     *
     * @throws UnknownHostException when the name has no address (the message says why)
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
