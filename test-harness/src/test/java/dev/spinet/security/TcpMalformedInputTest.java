package dev.spinet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spinet.iface.IfaceCounter;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.TcpSegment;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AMNESIA:33 / Ripple20 bug classes at the TCP layer, each packet built by hand and sent into
 * a whole stack with an established connection: dropped, the named counter raised once, no
 * reply, no change to the connection (state, delivered bytes, the sequence numbers it uses next).
 * The IPv4 / ARP / ICMP classes (IHL, total length, runts, fragments, ARP lengths, ICMP sizes)
 * are in tcp-fsm's {@code MalformedInputTest}; the few here carry TCP through the whole stack.
 */
class TcpMalformedInputTest {

    /** A connection peer -> device:80 that has carried 100 bytes, and what the attacker needs to forge its segments. */
    record Target(HostileLan lan, int peerPort, int rcvNxt, int sndNxt, int dutHandle) {
        TcpFrame inWindow() {
            return lan.toDut(HostileLan.PEER_IP, peerPort, 80).seq(rcvNxt).ack(sndNxt).flags(TcpSegment.ACK | TcpSegment.PSH).payload(10);
        }
    }

    static Target target() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int peer = lan.connectPeer(80);
        lan.peerSends(peer, 100);
        int port = lan.peerTcp().localPort(peer);
        HostileLan.Sent last = lan.lastFromDut(port);
        return new Target(lan, port, last.ack(), last.nextSeq(), lan.dutApp.accepted.getLast());
    }

    static Arguments flaw(String name, Enum<?> counter, Function<Target, byte[]> frame) {
        return Arguments.of(Named.of(name, frame), counter);
    }

    static Stream<Arguments> flaws() {
        return Stream.of(
                flaw("tcp_option_length_0", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 2, 0, 5, 0xB4)),
                flaw("tcp_option_length_1", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 8, 1, 0, 0)),
                flaw("tcp_unknown_option_length_0", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 99, 0, 0, 0)),
                flaw("tcp_option_running_past_data_offset", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 1, 1, 8, 10)),
                flaw("tcp_option_length_byte_past_data_offset", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 1, 1, 1, 2)),
                flaw("tcp_mss_option_length_3", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 2, 3, 5, 1)),
                flaw("tcp_mss_option_length_5", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 2, 5, 5, 0xB4, 0, 1, 1, 1)),
                flaw("tcp_mss_option_value_0", TcpCounter.DROP_BAD_FIELD, t -> opt(t, 2, 4, 0, 0)),
                flaw("tcp_window_scale_length_4", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 3, 4, 7, 1)),
                flaw("tcp_sack_length_2_no_block", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 1, 1, 5, 2)),
                flaw("tcp_sack_length_not_2_plus_8n", TcpCounter.DROP_BAD_OPTION,
                        t -> opt(t, 1, 1, 5, 9, 0, 0, 0, 1, 0, 0, 0, 2)),
                flaw("tcp_sack_block_past_data_offset", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2)),
                flaw("tcp_timestamp_length_9", TcpCounter.DROP_BAD_OPTION,
                        t -> opt(t, 1, 1, 8, 9, 0, 0, 0, 1, 0, 0, 0, 0)),
                flaw("tcp_timestamp_length_12", TcpCounter.DROP_BAD_OPTION,
                        t -> opt(t, 8, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)),
                flaw("tcp_sack_permitted_length_3", TcpCounter.DROP_BAD_OPTION, t -> opt(t, 4, 3, 0, 1)),
                flaw("tcp_data_offset_0", TcpCounter.DROP_BAD_DATA_OFFSET, inWindowWith(f -> f.dataOffsetWords = 0)),
                flaw("tcp_data_offset_4", TcpCounter.DROP_BAD_DATA_OFFSET, inWindowWith(f -> f.dataOffsetWords = 4)),
                flaw("tcp_data_offset_past_segment_end", TcpCounter.DROP_BAD_DATA_OFFSET, inWindowWith(f -> {
                    f.payload = new byte[0];
                    f.dataOffsetWords = 15;
                })),
                flaw("tcp_segment_shorter_than_header", TcpCounter.DROP_TRUNCATED, inWindowWith(f -> {
                    f.payload = new byte[0];
                    f.ipTotalLength = 20 + 19;
                })),
                flaw("tcp_checksum_wrong", TcpCounter.DROP_BAD_CHECKSUM,
                        inWindowWith(f -> f.tcpChecksum = f.correctChecksum() ^ 0x0100)),
                flaw("tcp_checksum_zero_means_none_is_not_tcp", TcpCounter.DROP_BAD_CHECKSUM, t -> {
                    TcpFrame f = t.inWindow();
                    f.tcpChecksum = 0; // UDP's "no checksum"; TCP has no such thing (RFC 9293 3.1)
                    return f.correctChecksum() == 0 || f.correctChecksum() == 0xFFFF ? null : f.build();
                }),
                flaw("tcp_pseudo_header_other_source", TcpCounter.DROP_BAD_CHECKSUM,
                        inWindowWith(f -> f.pseudoHeaderSourceOverride = HostileLan.ATTACKER_IP)),
                flaw("tcp_pseudo_header_length_including_ip_header", TcpCounter.DROP_BAD_CHECKSUM,
                        inWindowWith(f -> f.pseudoHeaderLengthSkew = 20)),
                flaw("tcp_source_port_0", TcpCounter.DROP_BAD_PORT, inWindowWith(f -> f.sourcePort = 0)),
                flaw("tcp_to_broadcast_address", TcpCounter.DROP_NOT_UNICAST, inWindowWith(f -> f.destination = 0x0A00_00FF)),
                flaw("ip_fragment_carrying_tcp", IfaceCounter.IP_RX_FRAGMENTS,
                        inWindowWith(f -> f.ipFlagsFragment = 0x2000)), // more fragments
                flaw("ip_total_length_greater_than_frame", IfaceCounter.IP_RX_BAD_TOTAL_LENGTH,
                        inWindowWith(f -> f.ipTotalLength = 20 + 20 + 10 + 200)),
                flaw("ip_total_length_below_ip_header", IfaceCounter.IP_RX_BAD_TOTAL_LENGTH,
                        inWindowWith(f -> f.ipTotalLength = 12)),
                flaw("ihl_past_frame", IfaceCounter.IP_RX_BAD_HEADER_LENGTH, t -> {
                    byte[] frame = Arrays.copyOf(t.inWindow().build(), 14 + 40);
                    frame[14] = 0x4F;
                    return frame;
                }),
                flaw("ihl_below_5", IfaceCounter.IP_RX_BAD_HEADER_LENGTH, t -> {
                    byte[] frame = t.inWindow().build();
                    frame[14] = 0x44;
                    return frame;
                }),
                // The wire pads a 24-byte frame to 60 like a real MAC: the datagram it claims (50 bytes) is not there.
                flaw("runt_frame_cut_inside_the_ip_header_then_padded", IfaceCounter.IP_RX_BAD_TOTAL_LENGTH,
                        t -> Arrays.copyOf(t.inWindow().build(), 14 + 10)));
    }

    static byte[] opt(Target t, int... options) {
        return t.inWindow().options(options).build();
    }

    /** The in-window segment of {@code t}, changed by {@code flaw} before it is built. */
    static Function<Target, byte[]> inWindowWith(Consumer<TcpFrame> flaw) {
        return t -> {
            TcpFrame f = t.inWindow();
            flaw.accept(f);
            return f.build();
        };
    }

    static long get(Target t, Enum<?> counter) {
        return counter instanceof TcpCounter c ? t.lan().dutTcp().counters().get(c)
                : t.lan().dut.iface().counters().get((IfaceCounter) counter);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void droppedCountedUnansweredAndWithoutStateChange(Function<Target, byte[]> build, Enum<?> counter) {
        Target t = target();
        byte[] frame = build.apply(t);
        if (frame == null) {
            return; // the correct checksum happened to be zero: nothing to test with this segment
        }
        HostileLan lan = t.lan();
        long before = get(t, counter);
        long framesBefore = lan.framesFromDut;
        long readBefore = lan.dutApp.bytesRead;
        long tcpSegments = lan.dutTcp().counters().get(TcpCounter.SEGMENTS_RECEIVED);
        lan.inject(frame.length < 14 ? Arrays.copyOf(frame, 14) : frame);
        lan.sim.runFor(HostileLan.MS);
        assertEquals(before + 1, get(t, counter), counter + " counted once");
        assertEquals(framesBefore, lan.framesFromDut, "no reply");
        assertEquals(readBefore, lan.dutApp.bytesRead, "nothing delivered");
        assertEquals(TcpState.ESTABLISHED, lan.dutTcp().state(t.dutHandle()));
        if (!(counter instanceof TcpCounter)) {
            assertEquals(tcpSegments, lan.dutTcp().counters().get(TcpCounter.SEGMENTS_RECEIVED), "never reached TCP");
        }
        assertNull(lan.dutInvariants());
        // The connection goes on exactly where it was.
        lan.inject(t.inWindow().build());
        lan.sim.runFor(100 * HostileLan.MS);
        assertEquals(readBefore + 10, lan.dutApp.bytesRead, "the next valid segment is delivered");
    }

    @Test
    void urgentPointerBeyondThePayloadIsIgnoredAndTheDataDeliveredInline() {
        Target t = target();
        TcpFrame f = t.inWindow();
        f.flags |= TcpSegment.URG;
        f.urgentPointer = 0xFFFF;
        long before = t.lan().dutApp.bytesRead;
        t.lan().inject(f.build());
        t.lan().sim.runFor(100 * HostileLan.MS);
        assertEquals(1, t.lan().dutTcp().counters().get(TcpCounter.URGENT_IGNORED));
        assertEquals(before + 10, t.lan().dutApp.bytesRead, "RFC 6093: urgent data is ordinary data");
        assertNull(t.lan().dutInvariants());
    }

    /**
     * Ones' complement has two zeros (RFC 1071, RFC 1624): a segment whose checksum is 0x0000
     * verifies just as well with 0xFFFF in the field. Both must be accepted, once each.
     */
    @Test
    void checksumAllOnesAndAllZerosAreTheSameValue() {
        Target t = target();
        HostileLan lan = t.lan();
        for (int variant = 0; variant < 2; variant++) {
            TcpFrame f = t.inWindow();
            f.seq = t.rcvNxt() + 10 * variant;
            f.payload = new byte[10];
            // Choose the last payload word so that the correct checksum is 0x0000.
            int c = f.correctChecksum();
            f.payload[8] = (byte) (c >>> 8);
            f.payload[9] = (byte) c;
            assertEquals(0, f.correctChecksum(), "crafted to checksum 0");
            f.tcpChecksum = variant == 0 ? 0xFFFF : 0x0000;
            long before = lan.dutApp.bytesRead;
            lan.inject(f.build());
            lan.sim.runFor(100 * HostileLan.MS);
            assertEquals(before + 10, lan.dutApp.bytesRead, "checksum field 0x" + Integer.toHexString(f.tcpChecksum) + " accepted");
        }
        assertEquals(0, lan.dutTcp().counters().get(TcpCounter.DROP_BAD_CHECKSUM));
        assertEquals(0, Checksum.finish(0xFFFF));
    }

    @Test
    void ipTotalLengthShorterThanTheFrameIgnoresTheTrailingBytes() {
        Target t = target();
        TcpFrame f = t.inWindow();
        f.trailingBytes = 30; // Ethernet padding or garbage after the datagram
        t.lan().inject(f.build());
        t.lan().sim.runFor(100 * HostileLan.MS);
        assertEquals(110, t.lan().dutApp.bytesRead, "exactly the 10 payload bytes, not the trailer");
        assertNull(t.lan().dutInvariants());
    }

    @Test
    void ackOfUnsentDataIsDroppedWithoutAdvancingSndUna() {
        Target t = target();
        TcpFrame f = t.inWindow();
        f.ack = t.sndNxt() + 100_000;
        t.lan().inject(f.build());
        t.lan().sim.runFor(HostileLan.MS);
        assertEquals(1, t.lan().dutTcp().counters().get(TcpCounter.DROP_ACK_TOO_NEW));
        assertEquals(100, t.lan().dutApp.bytesRead, "the segment's data was not taken");
        assertNull(t.lan().dutInvariants());
    }
}
