package dev.spinet.security;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import java.util.Arrays;

/**
 * A hand-built Ethernet + IPv4 + TCP frame for hostile-input tests: every field settable,
 * including the ones a well-behaved sender never gets wrong (data offset, raw option bytes,
 * urgent pointer, IP total length, checksums). {@link #build} computes correct checksums unless
 * told otherwise, so each test breaks exactly one thing.
 */
public final class TcpFrame {

    public long destinationMac;
    public long sourceMac;
    public int source;
    public int destination;
    public int sourcePort;
    public int destinationPort;
    public int seq;
    public int ack;
    public int flags;
    public int window = 8192;
    public int urgentPointer;
    /** Raw option bytes (padded with zeros to a multiple of 4 unless {@link #dataOffsetWords} is set). */
    public byte[] options = new byte[0];
    public byte[] payload = new byte[0];
    /** Data offset in 32-bit words written into the header; -1 = consistent with the options. */
    public int dataOffsetWords = -1;
    /** IPv4 total length written; -1 = consistent. */
    public int ipTotalLength = -1;
    /** IPv4 flags + fragment offset field. */
    public int ipFlagsFragment = 0x4000;
    /** Bytes appended after the IP datagram (Ethernet padding). */
    public int trailingBytes;
    /** TCP checksum: null = correct; else the value written. */
    public Integer tcpChecksum;
    /** Extra value added to the pseudo-header length when computing the TCP checksum (pseudo-header tricks). */
    public int pseudoHeaderLengthSkew;
    public int pseudoHeaderSourceOverride;

    public TcpFrame(long destinationMac, long sourceMac, int source, int destination, int sourcePort, int destinationPort) {
        this.destinationMac = destinationMac;
        this.sourceMac = sourceMac;
        this.source = source;
        this.destination = destination;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    public TcpFrame seq(int value) {
        seq = value;
        return this;
    }

    public TcpFrame ack(int value) {
        ack = value;
        return this;
    }

    public TcpFrame flags(int value) {
        flags = value;
        return this;
    }

    public TcpFrame window(int value) {
        window = value;
        return this;
    }

    public TcpFrame options(int... bytes) {
        options = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            options[i] = (byte) bytes[i];
        }
        return this;
    }

    public TcpFrame payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }

    public TcpFrame payload(int length) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return this;
    }

    public byte[] build() {
        int optionSpace = (options.length + 3) & ~3;
        int header = TcpSegment.HEADER_LENGTH + optionSpace;
        int tcpLength = header + payload.length;
        int ipLength = Ipv4Packet.MIN_HEADER_LENGTH + tcpLength;
        byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ipLength + trailingBytes];
        EthernetFrame.writeHeader(frame, 0, destinationMac, sourceMac, EthernetFrame.TYPE_IPV4);
        int ip = EthernetFrame.HEADER_LENGTH;
        Ipv4Packet.writeHeader(frame, ip, ipLength, 0x1234, true, 64, Ipv4Packet.PROTOCOL_TCP, source, destination);
        frame[ip + Ipv4Packet.FLAGS_FRAGMENT_OFFSET] = (byte) (ipFlagsFragment >>> 8);
        frame[ip + Ipv4Packet.FLAGS_FRAGMENT_OFFSET + 1] = (byte) ipFlagsFragment;
        if (ipTotalLength >= 0) {
            frame[ip + Ipv4Packet.TOTAL_LENGTH_OFFSET] = (byte) (ipTotalLength >>> 8);
            frame[ip + Ipv4Packet.TOTAL_LENGTH_OFFSET + 1] = (byte) ipTotalLength;
        }
        Ipv4Packet.writeHeaderChecksum(frame, ip);
        int at = ip + Ipv4Packet.MIN_HEADER_LENGTH;
        TcpSegment.writeHeader(frame, at, sourcePort, destinationPort, seq, ack, flags, window);
        System.arraycopy(options, 0, frame, at + TcpSegment.HEADER_LENGTH, options.length);
        int words = dataOffsetWords >= 0 ? dataOffsetWords : header / 4;
        frame[at + TcpSegment.DATA_OFFSET_OFFSET] = (byte) (words << 4);
        frame[at + TcpSegment.URGENT_POINTER_OFFSET] = (byte) (urgentPointer >>> 8);
        frame[at + TcpSegment.URGENT_POINTER_OFFSET + 1] = (byte) urgentPointer;
        System.arraycopy(payload, 0, frame, at + header, payload.length);
        int pseudoSource = pseudoHeaderSourceOverride != 0 ? pseudoHeaderSourceOverride : source;
        long sum = Checksum.pseudoHeaderSum(pseudoSource, destination, TcpSegment.PROTOCOL, tcpLength + pseudoHeaderLengthSkew)
                + Checksum.sum(frame, at, tcpLength);
        int checksum = tcpChecksum != null ? tcpChecksum : Checksum.finish(sum);
        frame[at + TcpSegment.CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
        frame[at + TcpSegment.CHECKSUM_OFFSET + 1] = (byte) checksum;
        return frame;
    }

    /** The correct TCP checksum this frame would carry. */
    public int correctChecksum() {
        Integer saved = tcpChecksum;
        int skew = pseudoHeaderLengthSkew;
        int override = pseudoHeaderSourceOverride;
        tcpChecksum = null;
        pseudoHeaderLengthSkew = 0;
        pseudoHeaderSourceOverride = 0;
        byte[] f = build();
        tcpChecksum = saved;
        pseudoHeaderLengthSkew = skew;
        pseudoHeaderSourceOverride = override;
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH + TcpSegment.CHECKSUM_OFFSET;
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }

    static String mac(long mac) {
        return MacAddress.format(mac);
    }

    static byte[] truncate(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }
}
