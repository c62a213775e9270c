package dev.spinet.harness.scenario;

import dev.spinet.config.StackConfig;
import dev.spinet.dhcp.DhcpClient;
import dev.spinet.dhcp.DhcpLeaseLoss;
import dev.spinet.dhcp.DhcpListener;
import dev.spinet.dhcp.DhcpState;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.iface.Interface;
import dev.spinet.udp.UdpLayer;

/** A board that gets its address by DHCP: interface, UDP layer, client, and a record of what the client reported. */
final class DhcpBoards {

    static final int SERVER = 0x0A_2A_00_01;      // 10.42.0.1
    static final int POOL = 0x0A_2A_00_64;        // 10.42.0.100
    static final long SERVER_MAC = 0x02_00_00_00_0D_01L;
    static final long CLIENT_MAC = 0x02_00_00_00_0C_01L;
    static final long SECOND = 1_000_000_000L;

    private DhcpBoards() {
    }

    /** Plain fields only: the allocation test runs with this listener attached. */
    static final class Client implements DhcpListener {
        final Interface iface;
        final UdpLayer udp;
        final DhcpClient dhcp;
        int acquired;
        int renewed;
        int lost;
        DhcpLeaseLoss lastLoss;
        long boundAt;
        long lastRenewedAt;
        long lostAt;
        DhcpState lastTo;
        int transitions;

        Client(FrameDevice device, long seed) {
            StackConfig config = StackConfig.builder().udpSockets(2).build();
            iface = new Interface(config, device);
            udp = new UdpLayer(config, iface);
            iface.addTransport(udp);
            dhcp = new DhcpClient(iface, udp, seed).hostname("board-1").listener(this);
        }

        @Override
        public void onStateChanged(DhcpState from, DhcpState to, long nowNanos) {
            lastTo = to;
            transitions++;
        }

        @Override
        public void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
            acquired++;
            boundAt = nowNanos;
        }

        @Override
        public void onLeaseRenewed(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
            renewed++;
            lastRenewedAt = nowNanos;
        }

        @Override
        public void onLeaseLost(int address, DhcpLeaseLoss reason, long nowNanos) {
            lost++;
            lastLoss = reason;
            lostAt = nowNanos;
        }
    }
}
