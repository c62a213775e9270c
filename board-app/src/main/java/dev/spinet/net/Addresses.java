package dev.spinet.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * {@link InetAddress} at the socket API, an IPv4 address in an int (first octet highest) inside
 * the stack. The socket API speaks InetAddress so that IPv6 can follow; until then an IPv6
 * address ends in one line saying so, never in a cast exception.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * The IPv4 address as an int.
     *
     * @param operation what was being done, for the message ("connect to", "bind to")
     * @throws SocketException "IPv6 is not supported yet: ..." for an IPv6 address
     */
    static int ipv4(InetAddress address, String operation) throws SocketException {
        if (address instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        }
        throw ipv6(address, operation);
    }

    static SocketException ipv6(InetAddress address, String operation) {
        return new SocketException("IPv6 is not supported yet: cannot " + operation + " " + address.getHostAddress()
                + " (Spinet speaks IPv4 only; use an IPv4 address)");
    }

    /** The int address as an InetAddress (no name lookup). */
    static InetAddress inet(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are always an IPv4 address", impossible);
        }
    }
}
