package dev.spinet.app;

import dev.spinet.wire.Ipv4Packet;
import java.util.Locale;

/**
 * A board's address settings, {@code --ip} and {@code --gateway}, checked one way for every place
 * that takes them: {@code spinet run}, {@code spinet image build} and a class roster. A value one of
 * them accepts, the others accept; the messages name the option and say what is expected.
 *
 * @param dhcp         {@code --ip dhcp}: the address comes from a DHCP server (address, prefix and
 *                     gateway are 0)
 * @param address      the static address
 * @param prefixLength its prefix length, 1..32
 * @param gateway      the default gateway inside the subnet, or 0
 */
public record Ipv4Settings(boolean dhcp, int address, int prefixLength, int gateway) {

    /** The netmask of a prefix length 0..32. */
    public static int netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** Whether {@code other} is on this static address's subnet. */
    public boolean onSubnet(int other) {
        int mask = netmask(prefixLength);
        return !dhcp && (other & mask) == (address & mask);
    }

    /** {@code A.B.C.D/NN}, or {@code dhcp}. */
    public String ipText() {
        return dhcp ? "dhcp" : Ipv4Packet.formatAddress(address) + "/" + prefixLength;
    }

    /**
     * @param ip      {@code dhcp} or {@code A.B.C.D/NN}
     * @param gateway {@code A.B.C.D}, or null/blank for none
     * @throws IllegalArgumentException naming {@code --ip} or {@code --gateway}
     */
    public static Ipv4Settings parse(String ip, String gateway) {
        if (ip == null || ip.isBlank()) {
            throw new IllegalArgumentException("--ip is required: an address with prefix length like 10.77.0.2/24, or dhcp");
        }
        String text = ip.trim();
        boolean hasGateway = gateway != null && !gateway.isBlank();
        if (text.equalsIgnoreCase("dhcp")) {
            if (hasGateway) {
                throw new IllegalArgumentException("--gateway " + gateway.trim()
                        + " only goes with a static --ip A.B.C.D/NN (with dhcp the DHCP server names the router)");
            }
            return new Ipv4Settings(true, 0, 0, 0);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--ip " + text + ": give the prefix length too, like 10.77.0.2/24, or dhcp");
        }
        int address = parseAddress("--ip", text.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 1 || prefix > 32) {
            throw new IllegalArgumentException("--ip " + text + ": prefix length must be 1..32");
        }
        int first = address >>> 24;
        if (address == 0 || first == 127 || first >= 224) {
            throw new IllegalArgumentException("--ip " + text + ": not a usable host address (zero, loopback, multicast or reserved)");
        }
        int gatewayAddress = 0;
        if (hasGateway) {
            gatewayAddress = parseAddress("--gateway", gateway);
            int mask = netmask(prefix);
            if ((gatewayAddress & mask) != (address & mask)) {
                throw new IllegalArgumentException("--gateway " + gateway.trim() + " is not inside " + text
                        + "; a gateway must be on the local subnet");
            }
            if (gatewayAddress == address) {
                throw new IllegalArgumentException("--gateway " + gateway.trim() + " is the board's own address; give the router's");
            }
        }
        return new Ipv4Settings(false, address, prefix, gatewayAddress);
    }

    /**
     * An IPv4 address in dotted-quad form.
     *
     * @throws IllegalArgumentException {@code "OPTION TEXT: why"}
     */
    public static int parseAddress(String option, String text) {
        try {
            return Ipv4Packet.parseAddress(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + text.trim() + ": " + e.getMessage().toLowerCase(Locale.ROOT));
        }
    }
}
