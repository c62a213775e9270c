package dev.spinet.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/**
 * The promise of every view: once {@code wrap} returned OK, every accessor works and every
 * payload range it reports lies inside the wrapped range. Inputs are real packets with random
 * bytes overwritten and random truncation (and, for IPv4, the header checksum repaired half of
 * the time so that damage reaches the length checks instead of stopping at the checksum).
 */
class WrapSafetyPropertyTest {

    private static final List<byte[]> SEEDS = List.of(
            Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME),
            Hex.bytes(GoldenFrames.PING_REQUEST_FRAME),
            Hex.bytes(GoldenFrames.UDP_PACKET),
            Arrays.copyOfRange(Hex.bytes(GoldenFrames.PING_REQUEST_FRAME), 14, 74),
            Arrays.copyOfRange(Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME), 14, 60));

    private final EthernetFrame frame = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();

    @Provide
    Arbitrary<Tuple3<byte[], Integer, Integer>> damagedPackets() {
        Arbitrary<byte[]> damaged = Arbitraries.of(SEEDS).flatMap(seed ->
                        Arbitraries.integers().between(0, seed.length - 1).list().ofMaxSize(4)
                                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                                        .flatMap(values -> Arbitraries.frequencyOf(
                                                Tuple.of(3, Arbitraries.just(seed.length)),
                                                Tuple.of(1, Arbitraries.integers().between(0, seed.length)))
                                                .flatMap(length -> Arbitraries.of(true, false).map(repair -> {
                                                    byte[] bytes = Arrays.copyOf(seed, length);
                                                    for (int i = 0; i < positions.size(); i++) {
                                                        if (positions.get(i) < length) {
                                                            bytes[positions.get(i)] = values.get(i);
                                                        }
                                                    }
                                                    if (repair) {
                                                        repairIpv4Checksums(bytes);
                                                    }
                                                    return bytes;
                                                })))));
        return damaged.flatMap(bytes -> Arbitraries.integers().between(0, 7)
                .map(offset -> Tuple.of(Hex.at(offset, bytes, 3), offset, bytes.length)));
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void an_ok_view_never_reads_outside_what_it_wrapped(@ForAll("damagedPackets") Tuple3<byte[], Integer, Integer> input) {
        byte[] buffer = input.get1();
        int offset = input.get2();
        int length = input.get3();
        int end = offset + length;

        if (frame.wrap(buffer, offset, length) == WireError.OK) {
            long touch = frame.destination() ^ frame.source() ^ frame.etherType();
            assertInside(frame.payloadOffset(), frame.payloadLength(), offset, end, touch);
        }
        if (arp.wrap(buffer, offset, length) == WireError.OK) {
            long touch = arp.operation() ^ arp.senderMac() ^ arp.senderIp() ^ arp.targetMac() ^ arp.targetIp();
            assertInside(offset, ArpPacket.LENGTH, offset, end, touch);
        }
        for (int at : new int[] {offset, offset + EthernetFrame.HEADER_LENGTH}) {
            if (at > end) {
                continue;
            }
            WireError ipResult = ip.wrap(buffer, at, end - at);
            Statistics.label("ipv4 at " + (at - offset)).collect(ipResult);
            if (ipResult == WireError.OK) {
                long touch = ip.version() ^ ip.tos() ^ ip.identification() ^ ip.fragmentOffset() ^ ip.ttl()
                        ^ ip.protocol() ^ ip.headerChecksum() ^ ip.source() ^ ip.destination() ^ ip.optionsLength()
                        ^ (ip.isFragment() ? 1 : 0) ^ (ip.dontFragment() ? 2 : 0);
                assertTrue(ip.headerLength() >= 20 && ip.headerLength() <= ip.totalLength());
                assertInside(ip.payloadOffset(), ip.payloadLength(), at, end, touch);
                checkTransport(buffer, ip.payloadOffset(), ip.payloadLength());
            }
            checkTransport(buffer, at, end - at);
        }
    }

    private void checkTransport(byte[] buffer, int at, int length) {
        if (icmp.wrap(buffer, at, length) == WireError.OK) {
            long touch = icmp.type() ^ icmp.code() ^ icmp.checksum() ^ icmp.identifier() ^ icmp.sequence() ^ icmp.restOfHeader();
            assertInside(icmp.payloadOffset(), icmp.payloadLength(), at, at + length, touch);
        }
        if (udp.wrap(buffer, at, length) == WireError.OK) {
            long touch = udp.sourcePort() ^ udp.destinationPort() ^ udp.checksum() ^ (udp.checksumValid(1, 2) ? 1 : 0);
            assertTrue(udp.length() >= UdpDatagram.HEADER_LENGTH);
            assertInside(udp.payloadOffset(), udp.payloadLength(), at, at + length, touch);
        }
    }

    private static void assertInside(int payloadOffset, int payloadLength, int start, int end, long ignored) {
        assertTrue(payloadLength >= 0, "negative payload length " + payloadLength);
        assertTrue(payloadOffset >= start && payloadOffset + payloadLength <= end,
                "payload [" + payloadOffset + ", +" + payloadLength + ") outside [" + start + ", " + end + ")");
    }

    /** If an IPv4 header starts at 0 or 14 and its IHL fits, give it a correct checksum. */
    private static void repairIpv4Checksums(byte[] bytes) {
        for (int at : new int[] {0, 14}) {
            if (bytes.length >= at + 20 && (bytes[at] & 0xF0) == 0x40) {
                int ihl = (bytes[at] & 0x0F) * 4;
                if (ihl >= 20 && at + ihl <= bytes.length) {
                    Ipv4Packet.writeHeaderChecksum(bytes, at);
                }
            }
        }
    }
}
