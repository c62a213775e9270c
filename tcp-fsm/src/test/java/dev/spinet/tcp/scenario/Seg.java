package dev.spinet.tcp.scenario;

import dev.spinet.wire.TcpSegment;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A TCP segment as a test writes it down (smoltcp's TcpRepr, packetdrill's lines): ports,
 * sequence and acknowledgment numbers, flags, window, the options this stack uses (MSS, window
 * scale, SACK-permitted, timestamps, SACK blocks), payload.
 * Mutable builder style: {@code Seg.of(SYN).seq(100).window(4096).mss(1460)}. Equality compares
 * every field, so {@code expect} checks the exact segment.
 */
public final class Seg {

    public static final int FIN = TcpSegment.FIN;
    public static final int SYN = TcpSegment.SYN;
    public static final int RST = TcpSegment.RST;
    public static final int PSH = TcpSegment.PSH;
    public static final int ACK = TcpSegment.ACK;
    public static final int URG = TcpSegment.URG;

    int sourcePort;
    int destinationPort;
    int seq;
    int ack;
    int flags;
    int window;
    int mss;
    int windowScale = -1;
    boolean sackPermitted;
    boolean timestamps;
    int tsVal;
    int tsEcr;
    /** SACK blocks as left, right, left, right...; empty: no SACK option. */
    int[] sack = new int[0];
    byte[] payload = new byte[0];

    private Seg(int flags) {
        this.flags = flags;
    }

    public static Seg of(int flags) {
        return new Seg(flags);
    }

    public Seg ports(int source, int destination) {
        this.sourcePort = source;
        this.destinationPort = destination;
        return this;
    }

    public Seg seq(int value) {
        this.seq = value;
        return this;
    }

    public Seg ack(int value) {
        this.ack = value;
        return this;
    }

    public Seg window(int value) {
        this.window = value;
        return this;
    }

    public Seg mss(int value) {
        this.mss = value;
        return this;
    }

    public Seg windowScale(int shift) {
        this.windowScale = shift;
        return this;
    }

    /** The SACK-permitted option (RFC 2018 section 2). */
    public Seg sackPermitted() {
        this.sackPermitted = true;
        return this;
    }

    /** The timestamps option (RFC 7323 section 3) with TSval and TSecr. */
    public Seg ts(int value, int echo) {
        this.timestamps = true;
        this.tsVal = value;
        this.tsEcr = echo;
        return this;
    }

    /** A SACK option with blocks given as left, right pairs (RFC 2018 section 3), in order. */
    public Seg sack(int... edges) {
        if (edges.length % 2 != 0 || edges.length > 2 * TcpSegment.MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("SACK blocks are left, right pairs, at most " + TcpSegment.MAX_SACK_BLOCKS);
        }
        this.sack = edges.clone();
        return this;
    }

    public Seg payload(byte[] bytes) {
        this.payload = bytes.clone();
        return this;
    }

    public Seg payload(String ascii) {
        this.payload = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return this;
    }

    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int seq() {
        return seq;
    }

    public int ack() {
        return ack;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int window() {
        return window;
    }

    public int mss() {
        return mss;
    }

    public int windowScale() {
        return windowScale;
    }

    public boolean hasSackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return timestamps;
    }

    public int tsVal() {
        return tsVal;
    }

    public int tsEcr() {
        return tsEcr;
    }

    /** The SACK blocks as left, right pairs (empty without the option). */
    public int[] sackBlocks() {
        return sack.clone();
    }

    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** Writes this segment at {@code offset} with a valid checksum; returns its length. */
    public int writeTo(byte[] buffer, int offset, int source, int destination) {
        TcpSegment.writeHeader(buffer, offset, sourcePort, destinationPort, seq, ack, flags, window);
        int header = TcpSegment.HEADER_LENGTH;
        if (mss != 0) {
            header += TcpSegment.writeMssOption(buffer, offset + header, mss);
        }
        if (windowScale >= 0) {
            header += TcpSegment.writeWindowScaleOption(buffer, offset + header, windowScale);
        }
        if (sackPermitted) {
            header += TcpSegment.writeSackPermittedOption(buffer, offset + header);
        }
        if (timestamps) {
            header += TcpSegment.writeTimestampsOption(buffer, offset + header, tsVal, tsEcr);
        }
        if (sack.length > 0) {
            int[] left = new int[sack.length / 2];
            int[] right = new int[sack.length / 2];
            for (int i = 0; i < left.length; i++) {
                left[i] = sack[2 * i];
                right[i] = sack[2 * i + 1];
            }
            header += TcpSegment.writeSackOption(buffer, offset + header, left, right, left.length);
        }
        TcpSegment.setDataOffset(buffer, offset, header);
        System.arraycopy(payload, 0, buffer, offset + header, payload.length);
        int length = header + payload.length;
        TcpSegment.writeChecksum(buffer, offset, length, source, destination);
        return length;
    }

    /** Reads a wrapped segment back (options MSS, window scale, SACK-permitted, timestamps, SACK; payload copied). */
    public static Seg from(TcpSegment view) {
        Seg seg = new Seg(view.flags());
        seg.sourcePort = view.sourcePort();
        seg.destinationPort = view.destinationPort();
        seg.seq = view.sequenceNumber();
        seg.ack = view.acknowledgmentNumber();
        seg.window = view.window();
        seg.mss = view.mss();
        seg.windowScale = view.windowScale();
        seg.sackPermitted = view.sackPermitted();
        seg.timestamps = view.hasTimestamps();
        seg.tsVal = view.timestampValue();
        seg.tsEcr = view.timestampEcho();
        seg.sack = new int[2 * view.sackBlockCount()];
        for (int i = 0; i < view.sackBlockCount(); i++) {
            seg.sack[2 * i] = view.sackLeft(i);
            seg.sack[2 * i + 1] = view.sackRight(i);
        }
        seg.payload = Arrays.copyOfRange(view.buffer(), view.payloadOffset(), view.payloadOffset() + view.payloadLength());
        return seg;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Seg s && s.sourcePort == sourcePort && s.destinationPort == destinationPort
                && s.seq == seq && s.ack == ack && s.flags == flags && s.window == window && s.mss == mss
                && s.windowScale == windowScale && s.sackPermitted == sackPermitted && s.timestamps == timestamps
                && s.tsVal == tsVal && s.tsEcr == tsEcr && Arrays.equals(s.sack, sack) && Arrays.equals(s.payload, payload);
    }

    @Override
    public int hashCode() {
        return seq * 31 + flags;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(sourcePort).append('>').append(destinationPort).append(' ');
        appendFlags(text, flags);
        text.append(" seq=").append(Integer.toUnsignedString(seq));
        text.append(" ack=").append(Integer.toUnsignedString(ack));
        text.append(" win=").append(window);
        if (mss != 0) {
            text.append(" mss=").append(mss);
        }
        if (windowScale >= 0) {
            text.append(" wscale=").append(windowScale);
        }
        if (sackPermitted) {
            text.append(" sackOK");
        }
        if (timestamps) {
            text.append(" TS val ").append(Integer.toUnsignedString(tsVal)).append(" ecr ").append(Integer.toUnsignedString(tsEcr));
        }
        if (sack.length > 0) {
            text.append(" sack");
            for (int i = 0; i < sack.length; i += 2) {
                text.append(' ').append(Integer.toUnsignedString(sack[i])).append('-').append(Integer.toUnsignedString(sack[i + 1]));
            }
        }
        if (payload.length > 0) {
            text.append(" len=").append(payload.length);
            if (payload.length <= 16) {
                text.append(" data=").append(HexFormat.of().formatHex(payload));
            }
        }
        return text.toString();
    }

    static void appendFlags(StringBuilder text, int flags) {
        text.append('[');
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        boolean first = true;
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (!first) {
                    text.append(',');
                }
                text.append(names[i]);
                first = false;
            }
        }
        text.append(']');
    }
}
