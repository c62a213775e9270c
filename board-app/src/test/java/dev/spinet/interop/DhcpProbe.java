package dev.spinet.interop;

import dev.spinet.config.StackConfig;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dhcp.DhcpListener;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.iface.Interface;
import dev.spinet.udp.UdpLayer;
import dev.spinet.wire.Ipv4Packet;

/**
 * A child process for {@link DhcpInteropTest}: Spinet's {@link DhcpClient} on an
 * {@link Interface} with a {@link UdpLayer}, on an existing TAP, run inside the test's namespace.
 * Prints {@code dhcp-lease ip=A.B.C.D/N router=R lease_s=S} once bound, keeps the stack running
 * for HOLD seconds (so the kernel side can ping the leased address), then releases the lease and
 * prints {@code dhcp-released}. Exits 1 if no lease comes within TIMEOUT seconds.
 *
 * <p>Usage: {@code DhcpProbe TAP MAC_HEX HOLD_SECONDS TIMEOUT_SECONDS}. This tests the DHCP client
 * against dnsmasq without {@code spinet run}, whose {@code --ip dhcp} is wired elsewhere.
 */
public final class DhcpProbe {

    private DhcpProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        String tapName = args[0];
        long mac = Long.parseLong(args[1], 16);
        long holdNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        long timeoutNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        StackConfig config = StackConfig.builder().build();
        try (TapDevice tap = TapDevice.open(tapName, mac)) {
            Interface iface = new Interface(config, tap);
            UdpLayer udp = new UdpLayer(config, iface);
            iface.addTransport(udp);
            long[] boundAt = {0};
            DhcpClient dhcp = new DhcpClient(iface, udp, System.nanoTime()).hostname("spinet-probe").listener(new DhcpListener() {
                @Override
                public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
                    System.out.println("dhcp-lease ip=" + Ipv4Packet.formatAddress(address) + "/" + prefixLength + " router="
                            + Ipv4Packet.formatAddress(router) + " lease_s=" + leaseSeconds);
                    System.out.flush();
                    boundAt[0] = nowNanos;
                }
            });
            long start = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                iface.poll(now);
                if (boundAt[0] == 0 && now - (start + timeoutNanos) > 0) {
                    System.out.println("dhcp-timeout state=" + dhcp.state() + " counters=" + dhcp.counters());
                    System.exit(1);
                }
                if (boundAt[0] != 0 && now - (boundAt[0] + holdNanos) > 0) {
                    break;
                }
                long wait = Math.min(iface.nextDeadline(now) - now, 20_000_000L);
                if (wait > 0) {
                    tap.awaitReceive(wait);
                }
            }
            dhcp.release(System.nanoTime());
            iface.poll(System.nanoTime()); // the DHCPRELEASE leaves
            System.out.println("dhcp-released");
        }
    }
}
