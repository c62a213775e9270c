package dev.spinet.app;

import dev.spinet.dhcp.DhcpLeaseLoss;
import dev.spinet.dhcp.DhcpListener;
import dev.spinet.wire.Ipv4Packet;
import java.io.PrintStream;

/**
 * {@code spinet run --ip dhcp}: prints the ready line once the first lease is bound (scripts wait
 * for it), and one line for each later change of address or loss of the lease. Allocates only when
 * a lease event happens (minutes apart), never per packet.
 */
final class DhcpReadyLine implements DhcpListener {

    private final PrintStream out;
    private final String suffix;
    private boolean ready;

    DhcpReadyLine(PrintStream out, String suffix) {
        this.out = out;
        this.suffix = suffix;
    }

    @Override
    public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
        String lease = Ipv4Packet.formatAddress(address);
        if (!ready) {
            ready = true;
            out.println("spinet ready ip=" + lease + suffix);
        }
        out.println("spinet dhcp: bound " + lease + "/" + prefixLength + (router != 0 ? " router " + Ipv4Packet.formatAddress(router) : "")
                + (leaseSeconds < 0 ? " (infinite lease)" : " for " + leaseSeconds + " s"));
        out.flush();
    }

    @Override
    public void onLeaseLost(int address, DhcpLeaseLoss reason, long nowNanos) {
        out.println("spinet dhcp: lost " + Ipv4Packet.formatAddress(address) + " (" + reason + "); asking again");
        out.flush();
    }
}
