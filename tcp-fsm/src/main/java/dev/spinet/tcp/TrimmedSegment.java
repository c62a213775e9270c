package dev.spinet.tcp;

/**
 * What of an acceptable segment lies in the receive window: RFC 9293 3.10.7.4, "One could tailor
 * actual segments to fit this assumption by trimming off any portions that lie outside the window
 * (including SYN and FIN)". Data before RCV.NXT is a duplicate, data past the window is dropped;
 * the FIN stays only if nothing behind it was cut off.
 * Written once, by the trim step that follows the acceptability test (or, in SYN-SENT, the
 * SYN,ACK's text step), then only read. One instance, reused for every segment.
 */
final class TrimmedSegment {

    private int dataStart;
    private int payloadOffset;
    private int payloadLength;
    private boolean fin;
    private boolean cutPastWindow;

    void set(int dataStart, int payloadOffset, int payloadLength, boolean fin, boolean cutPastWindow) {
        this.dataStart = dataStart;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.fin = fin;
        this.cutPastWindow = cutPastWindow;
    }

    /** Sequence number of the first data byte kept (RCV.NXT or beyond; past a SYN). */
    int dataStart() {
        return dataStart;
    }

    /** Where the kept data starts in the receive buffer. */
    int payloadOffset() {
        return payloadOffset;
    }

    int payloadLength() {
        return payloadLength;
    }

    /** The segment has a FIN, and it lies in the window. */
    boolean fin() {
        return fin;
    }

    /** Some data or the FIN lay past the window and was cut off: the segment is acknowledged at once. */
    boolean cutPastWindow() {
        return cutPastWindow;
    }
}
