package dev.spinet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.PcapFrameDevice;
import dev.spinet.harness.net.PcapWriter;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.TcpState;
import dev.spinet.testkit.Tshark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole TCP session between two stacks (handshake, data both ways, FIN/ACK close) captured by
 * {@link PcapFrameDevice} on the server's device and read back by Wireshark's tshark with
 * checksum validation on: every frame decodes, the TCP flags are the session's, and tshark's
 * expert info has no malformed-packet or checksum complaint. Skips without tshark, except under CI=true.
 */
class TcpSessionPcapTest {

    @Test
    void tsharkDecodesEveryFrameOfATcpSessionWithTheRightFlags(@TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        Path file = dir.resolve("session.pcap");
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        wire.latencyNanos(100_000);
        Stack server;
        PcapFrameDevice captured = PcapFrameDevice.open(wire.connect("server", HostileLan.DUT_MAC), file, clock, PcapWriter.Precision.MICROSECONDS);
        server = new Stack(HostileLan.dutConfig().build(), captured);
        Stack client = new Stack(HostileLan.peerConfig().build(), wire.connect("client", HostileLan.PEER_MAC));
        Simulator sim = new Simulator(clock, wire).add(server).add(client);
        HostileLan.Sink serverApp = new HostileLan.Sink();
        serverApp.layer = server.tcp();
        HostileLan.Sink clientApp = new HostileLan.Sink();
        clientApp.layer = client.tcp();
        server.tcp().listen(80, 2, serverApp);
        int c = client.tcp().connect(HostileLan.DUT_IP, 80, clientApp);
        assertTrue(sim.runUntil(() -> serverApp.accepted.size() == 1, HostileLan.SECOND));
        int s = serverApp.accepted.getFirst();
        byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        client.tcp().write(c, request, 0, request.length);
        assertTrue(sim.runUntil(() -> serverApp.bytesRead == request.length, HostileLan.SECOND));
        byte[] response = new byte[3000];
        server.tcp().write(s, response, 0, response.length);
        assertTrue(sim.runUntil(() -> clientApp.bytesRead == response.length, HostileLan.SECOND));
        client.tcp().close(c);
        sim.runFor(100 * HostileLan.MS);
        server.tcp().close(s);
        assertTrue(sim.runUntil(() -> server.tcp().state(s) == TcpState.CLOSED, HostileLan.SECOND));
        sim.runFor(100 * HostileLan.MS);
        captured.close();

        String fields = Tshark.run("-r", file.toString(), "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-Y", "tcp", "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.flags.str", "-e", "tcp.len", "-e", "tcp.checksum.status");
        List<String> flags = new ArrayList<>();
        long payload = 0;
        for (String line : fields.strip().split("\n")) {
            String[] f = line.split("\t");
            assertEquals(4, f.length, line);
            assertEquals("1", f[3], "tcp.checksum.status Good (1; 0 = Bad, 2 = Unverified) for " + line);
            flags.add((f[0].equals("80") ? "S:" : "C:") + f[1].replace("\u00b7", "").strip());
            payload += Long.parseLong(f[2]);
        }
        assertEquals(request.length + response.length, payload, fields);
        assertEquals("C:S", flags.get(0), "SYN first: " + flags);
        assertEquals("S:AS", flags.get(1), "then SYN,ACK: " + flags);
        assertEquals("C:A", flags.get(2), "then ACK: " + flags);
        assertTrue(flags.contains("C:AF"), "client FIN: " + flags);
        assertTrue(flags.contains("S:AF"), "server FIN: " + flags);
        assertEquals("C:A", flags.getLast(), "the last ACK of the server's FIN: " + flags);
        String frames = Tshark.run("-r", file.toString(), "-T", "fields", "-e", "frame.number");
        assertEquals(flags.size() + 2, frames.strip().split("\n").length, "all frames but ARP request/reply are TCP");
        String expert = Tshark.run("-r", file.toString(), "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-Y", "_ws.expert.severity >= warning || _ws.malformed", "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message");
        assertEquals("", expert.strip(), "tshark warnings: " + expert);
        String stats = Tshark.run("-r", file.toString(), "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-q", "-z", "expert");
        assertFalse(stats.contains("Malformed") || stats.contains("Bad checksum") || stats.contains("Checksum Error"), stats);
    }
}
