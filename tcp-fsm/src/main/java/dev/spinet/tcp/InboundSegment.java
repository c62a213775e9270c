package dev.spinet.tcp;

import dev.spinet.wire.TcpSegment;

/**
 * The segment being processed, parsed once by {@link TcpInput} and read-only to every state's
 * input: the 4-tuple's remote half and the local port, the header fields RFC 9293 3.10.7 names
 * (SEG.SEQ, SEG.ACK, SEG.WND, the control bits), the options (MSS, window scale, SACK-permitted,
 * SACK blocks, timestamps), and where the payload lies in
 * the receive buffer. Nothing changes while a segment is processed: what the acceptability test
 * trims off is in a {@link TrimmedSegment}, and a SYN taken as consumed is a local of the step
 * that consumes it. One instance, reused for every segment.
 */
final class InboundSegment {

    private int source;
    private int sourcePort;
    private int destinationPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int timestampValue;
    private int timestampEcho;
    private int sackBlockCount;
    private final int[] sackLeft = new int[TcpSegment.MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[TcpSegment.MAX_SACK_BLOCKS];
    private byte[] buffer;
    private int payloadOffset;
    private int payloadLength;
    private long arrivalNanos;

    /** Takes the fields of a segment whose header and checksum were checked; the only writer. */
    void capture(int source, TcpSegment segment, byte[] buffer, long arrivalNanos) {
        this.source = source;
        this.sourcePort = segment.sourcePort();
        this.destinationPort = segment.destinationPort();
        this.seq = segment.sequenceNumber();
        this.ack = segment.acknowledgmentNumber();
        this.flags = segment.flags();
        this.window = segment.window();
        this.mss = segment.mss();
        this.windowScale = segment.windowScale();
        this.sackPermitted = segment.sackPermitted();
        this.hasTimestamps = segment.hasTimestamps();
        this.timestampValue = segment.timestampValue();
        this.timestampEcho = segment.timestampEcho();
        this.sackBlockCount = segment.sackBlockCount();
        for (int i = 0; i < sackBlockCount; i++) {
            sackLeft[i] = segment.sackLeft(i);
            sackRight[i] = segment.sackRight(i);
        }
        this.buffer = buffer;
        this.payloadOffset = segment.payloadOffset();
        this.payloadLength = segment.payloadLength();
        this.arrivalNanos = arrivalNanos;
    }

    /** The remote address. */
    int source() {
        return source;
    }

    /** The remote port. */
    int sourcePort() {
        return sourcePort;
    }

    /** The local port. */
    int destinationPort() {
        return destinationPort;
    }

    /** SEG.SEQ. */
    int seq() {
        return seq;
    }

    /** SEG.ACK. */
    int ack() {
        return ack;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** SEG.WND as received: unscaled. */
    int window() {
        return window;
    }

    /** The MSS option's value, 0 when absent. */
    int mss() {
        return mss;
    }

    /** The window-scale option's shift, -1 when absent. */
    int windowScale() {
        return windowScale;
    }

    /** The SACK-permitted option (RFC 2018 section 2) is present. */
    boolean sackPermitted() {
        return sackPermitted;
    }

    /** The timestamps option (RFC 7323 section 3) is present. */
    boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** SEG.TSval (0 without the option). */
    int timestampValue() {
        return timestampValue;
    }

    /** SEG.TSecr (0 without the option). */
    int timestampEcho() {
        return timestampEcho;
    }

    /** SACK blocks carried (0 .. {@link TcpSegment#MAX_SACK_BLOCKS}). */
    int sackBlockCount() {
        return sackBlockCount;
    }

    /** Left edge of SACK block {@code i}: the first sequence number it covers. */
    int sackLeft(int i) {
        return sackLeft[i];
    }

    /** Right edge of SACK block {@code i}: the sequence number just past it. */
    int sackRight(int i) {
        return sackRight[i];
    }

    byte[] buffer() {
        return buffer;
    }

    int payloadOffset() {
        return payloadOffset;
    }

    /** Payload bytes as received. */
    int payloadLength() {
        return payloadLength;
    }

    /** SEG.LEN: data plus one for SYN and one for FIN. */
    int segmentLength() {
        return payloadLength + (has(TcpSegment.SYN) ? 1 : 0) + (has(TcpSegment.FIN) ? 1 : 0);
    }

    /** When the segment arrived: the "now" of all its processing. */
    long arrivalNanos() {
        return arrivalNanos;
    }
}
