package dev.spinet.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Between {@link InetAddress}, the type the application-facing API speaks, and the {@code int}
 * the stack works with (first octet highest). Application threads only: making an InetAddress
 * allocates.
 */
public final class Ipv4Addresses {

    private Ipv4Addresses() {
    }

    /**
     * The address as an int.
     *
     * @throws IllegalArgumentException "IPv6 is not supported yet" for an IPv6 address, or for a null one
     */
    public static int toInt(InetAddress address) {
        if (address instanceof Inet4Address) {
            byte[] octets = address.getAddress();
            return (octets[0] & 0xFF) << 24 | (octets[1] & 0xFF) << 16 | (octets[2] & 0xFF) << 8 | (octets[3] & 0xFF);
        }
        if (address == null) {
            throw new IllegalArgumentException("no address given (expected an IPv4 address like 10.0.0.1)");
        }
        throw new IllegalArgumentException("IPv6 is not supported yet: " + address.getHostAddress() + "; use an IPv4 address");
    }

    /** The address as an {@link Inet4Address} without a host name. */
    public static InetAddress toInetAddress(int address) {
        return toInetAddress(null, address);
    }

    /** The address as an {@link Inet4Address} carrying {@code hostName} (what a resolver returns). */
    public static InetAddress toInetAddress(String hostName, int address) {
        byte[] octets = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(hostName, octets);
        } catch (UnknownHostException impossible) {
            // getByAddress throws only for an array that is neither 4 nor 16 bytes long.
            throw new IllegalStateException(impossible);
        }
    }
}
