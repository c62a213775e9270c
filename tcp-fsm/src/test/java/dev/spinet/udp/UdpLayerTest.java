package dev.spinet.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.scenario.FrameBufferIpv4Output;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UdpLayerTest {

    static final int US = 0x0A_00_00_02;
    static final int PEER = 0x0A_00_00_01;
    static final int BROADCAST = 0xFFFF_FFFF;

    /** An Ipv4Output that records what the layer sends. */
    static final class RecordingOutput extends FrameBufferIpv4Output {
        int sends;
        int lastDestination;
        int lastProtocol;
        int lastLength;
        boolean accept = true;

        RecordingOutput() {
            super(US, 1500);
        }

        @Override
        public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
            sends++;
            lastDestination = destination;
            lastProtocol = protocol;
            lastLength = transportLength;
            return accept;
        }

        byte[] datagram() {
            return Arrays.copyOfRange(transmitBuffer(), TRANSPORT_OFFSET, TRANSPORT_OFFSET + lastLength);
        }
    }

    /** Remembers the last datagram a handler saw (a copy, since the buffer is only lent). */
    static final class Recorder implements UdpHandler {
        int calls;
        int sourceIp;
        int sourcePort;
        int destinationIp;
        byte[] data;
        int offset;

        @Override
        public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
            calls++;
            this.sourceIp = sourceIp;
            this.sourcePort = sourcePort;
            this.destinationIp = destinationIp;
            this.offset = offset;
            this.data = Arrays.copyOfRange(buffer, offset, offset + length);
        }
    }

    final RecordingOutput output = new RecordingOutput();
    final UdpLayer udp = new UdpLayer(4, output);
    final Recorder recorder = new Recorder();

    /** A datagram at offset 34 of a frame-sized buffer, with a correct checksum. */
    static byte[] datagram(int src, int dst, int sourcePort, int destinationPort, byte[] data) {
        byte[] frame = new byte[34 + 8 + data.length + 5]; // trailing bytes past the UDP length are ignored
        UdpDatagram.writeHeader(frame, 34, sourcePort, destinationPort, data.length);
        System.arraycopy(data, 0, frame, 42, data.length);
        UdpDatagram.writeChecksum(frame, 34, 8 + data.length, src, dst);
        return frame;
    }

    void receive(byte[] frame, int src, int dst, boolean broadcast) {
        udp.receive(src, dst, broadcast, frame, 34, frame.length - 34, 0);
    }

    @Test
    void protocolIs17() {
        assertEquals(Ipv4Packet.PROTOCOL_UDP, udp.protocol());
    }

    @Test
    void deliversToTheEndpointBoundToTheDestinationPortWithoutCopying() {
        udp.open(7, false, recorder);
        byte[] frame = datagram(PEER, US, 40000, 7, new byte[] {1, 2, 3});
        receive(frame, PEER, US, false);
        assertEquals(1, recorder.calls);
        assertEquals(PEER, recorder.sourceIp);
        assertEquals(40000, recorder.sourcePort);
        assertEquals(US, recorder.destinationIp);
        assertEquals(42, recorder.offset, "data handed over in place, right after the 8-byte header");
        assertArrayEquals(new byte[] {1, 2, 3}, recorder.data, "only the UDP length's bytes, not the trailer");
        assertEquals(1, udp.counters().get(UdpCounter.RX_DELIVERED));
    }

    @Test
    void aZeroChecksumMeansNoneAndIsAccepted() {
        udp.open(7, false, recorder);
        byte[] frame = datagram(PEER, US, 1, 7, new byte[] {9});
        frame[34 + 6] = 0;
        frame[34 + 7] = 0;
        receive(frame, PEER, US, false);
        assertEquals(1, recorder.calls);
    }

    @Test
    void aWrongChecksumIsDroppedAndCounted() {
        udp.open(7, false, recorder);
        byte[] frame = datagram(PEER, US, 1, 7, new byte[] {9, 9});
        frame[42] ^= 0x40;
        receive(frame, PEER, US, false);
        assertEquals(0, recorder.calls);
        assertEquals(1, udp.counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM));
    }

    @Test
    void aChecksumOverTheWrongPseudoHeaderIsDropped() {
        udp.open(7, false, recorder);
        byte[] frame = datagram(PEER, US, 1, 7, new byte[] {9, 9});
        receive(frame, PEER, US + 1, false);
        assertEquals(1, udp.counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM));
    }

    @Test
    void badLengthsAreDroppedAndCounted() {
        udp.open(7, false, recorder);
        udp.receive(PEER, US, false, new byte[40], 34, 6, 0); // shorter than the header
        byte[] tooLong = datagram(PEER, US, 1, 7, new byte[] {1});
        tooLong[34 + 5] = (byte) 200; // length field beyond the IPv4 payload
        receive(tooLong, PEER, US, false);
        byte[] belowHeader = datagram(PEER, US, 1, 7, new byte[] {1});
        belowHeader[34 + 5] = 7;
        receive(belowHeader, PEER, US, false);
        assertEquals(0, recorder.calls);
        assertEquals(3, udp.counters().get(UdpCounter.RX_DROP_BAD_LENGTH));
        assertEquals(3, udp.counters().get(UdpCounter.RX_DATAGRAMS));
    }

    @Test
    void aPortNobodyListensOnIsCountedAndNothingIsSent() {
        udp.open(7, false, recorder);
        receive(datagram(PEER, US, 1, 8, new byte[0]), PEER, US, false);
        assertEquals(1, udp.counters().get(UdpCounter.RX_DROP_NO_LISTENER));
        assertEquals(0, output.sends, "no ICMP port unreachable");
    }

    @Test
    void broadcastsReachOnlyEndpointsThatOptIn() {
        Recorder optedIn = new Recorder();
        udp.open(7, false, recorder);
        udp.open(68, true, optedIn);
        receive(datagram(PEER, BROADCAST, 1, 7, new byte[] {1}), PEER, BROADCAST, true);
        receive(datagram(PEER, BROADCAST, 67, 68, new byte[] {1}), PEER, BROADCAST, true);
        assertEquals(0, recorder.calls);
        assertEquals(1, optedIn.calls);
        assertEquals(BROADCAST, optedIn.destinationIp);
        assertEquals(1, udp.counters().get(UdpCounter.RX_DROP_BROADCAST_NOT_ACCEPTED));
    }

    @Test
    void sendWritesHeaderAndAChecksumThatVerifies() {
        int handle = udp.open(5000, false, recorder);
        byte[] data = {'h', 'e', 'l', 'l', 'o'};
        assertTrue(udp.send(handle, PEER, 53, data, 0, data.length, 0));
        assertEquals(PEER, output.lastDestination);
        assertEquals(17, output.lastProtocol);
        assertEquals(13, output.lastLength);
        byte[] sent = output.datagram();
        assertEquals(5000, (sent[0] & 0xFF) << 8 | (sent[1] & 0xFF));
        assertEquals(53, (sent[2] & 0xFF) << 8 | (sent[3] & 0xFF));
        assertEquals(13, (sent[4] & 0xFF) << 8 | (sent[5] & 0xFF));
        assertArrayEquals(data, Arrays.copyOfRange(sent, 8, 13));
        UdpDatagram view = new UdpDatagram();
        view.wrap(sent, 0, sent.length);
        assertTrue(view.checksum() != 0);
        assertTrue(view.checksumValid(US, PEER));
        assertEquals(1, udp.counters().get(UdpCounter.TX_DATAGRAMS));
    }

    @Test
    void aComputedZeroChecksumIsSentAsAllOnes() {
        int handle = udp.open(5000, false, recorder);
        byte[] data = new byte[2];
        udp.send(handle, PEER, 53, data, 0, 2, 0);
        // With data 0x0000 the checksum is c = ~S; putting c in the data makes the sum 0xFFFF,
        // whose complement is 0, which RFC 768 transmits as 0xFFFF.
        int c = (output.transmitBuffer()[34 + 6] & 0xFF) << 8 | (output.transmitBuffer()[34 + 7] & 0xFF);
        data[0] = (byte) (c >>> 8);
        data[1] = (byte) c;
        udp.send(handle, PEER, 53, data, 0, 2, 0);
        byte[] sent = output.datagram();
        assertEquals(0xFFFF, (sent[6] & 0xFF) << 8 | (sent[7] & 0xFF));
        long sum = Checksum.pseudoHeaderSum(US, PEER, 17, 10) + Checksum.sum(sent, 0, 10);
        assertTrue(Checksum.verifies(sum), "0xFFFF verifies like 0 would");
    }

    @Test
    void sendPayloadSendsWhatWasBuiltInPlace() {
        int handle = udp.open(5000, false, recorder);
        udp.payloadBuffer()[udp.payloadOffset()] = 42;
        assertEquals(42, udp.payloadOffset());
        assertTrue(udp.sendPayload(handle, BROADCAST, 67, 1, 0));
        assertEquals(BROADCAST, output.lastDestination);
        assertEquals(42, output.datagram()[8]);
    }

    @Test
    void aDatagramTheInterfaceDropsIsCounted() {
        int handle = udp.open(5000, false, recorder);
        output.accept = false;
        assertFalse(udp.send(handle, PEER, 53, new byte[1], 0, 1, 0));
        assertEquals(1, udp.counters().get(UdpCounter.TX_DROPPED));
    }

    @Test
    void aThrowingHandlerIsCountedAndDoesNotEscape() {
        udp.open(7, false, (s, sp, d, b, o, l, n) -> {
            throw new IllegalStateException("bug");
        });
        receive(datagram(PEER, US, 1, 7, new byte[0]), PEER, US, false);
        assertEquals(1, udp.counters().get(UdpCounter.RX_HANDLER_ERRORS));
    }

    @Test
    void misuseThrowsWithAMessage() {
        int handle = udp.open(7, false, recorder);
        assertThrows(IllegalStateException.class, () -> udp.open(7, true, recorder), "port taken");
        assertThrows(IllegalArgumentException.class, () -> udp.open(0, false, recorder));
        assertThrows(IllegalArgumentException.class, () -> udp.open(65536, false, recorder));
        assertThrows(IllegalArgumentException.class, () -> udp.open(9, false, null));
        assertThrows(IllegalArgumentException.class, () -> udp.send(handle, PEER, 0, new byte[1], 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> udp.sendPayload(handle, PEER, 9, 1473, 0), "one frame's worth at most");
        assertThrows(IllegalArgumentException.class, () -> udp.send(handle, PEER, 9, new byte[65508], 0, 65508, 0),
                "past a 65535-byte datagram");
        udp.open(8, false, recorder);
        udp.open(9, false, recorder);
        udp.open(10, false, recorder);
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> udp.open(11, false, recorder));
        assertTrue(full.getMessage().contains("udpSockets"), full.getMessage());
        udp.close(handle);
        assertThrows(IllegalStateException.class, () -> udp.send(handle, PEER, 9, new byte[1], 0, 1, 0));
        assertEquals(handle, udp.open(7, false, recorder), "a closed endpoint is reused");
    }

    @Test
    void servicesRunInPollAndTheirDeadlineIsTheLayers() {
        long[] polledAt = {-1};
        udp.addService(new DutyCycle() {
            @Override
            public int poll(long nowNanos) {
                polledAt[0] = nowNanos;
                return 1;
            }

            @Override
            public long nextDeadline(long nowNanos) {
                return nowNanos + 5;
            }
        });
        assertEquals(1, udp.poll(100));
        assertEquals(100, polledAt[0]);
        assertEquals(105, udp.nextDeadline(100));
    }
}
