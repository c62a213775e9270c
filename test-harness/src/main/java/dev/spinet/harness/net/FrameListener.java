package dev.spinet.harness.net;

/**
 * Observes frames as they cross a {@link VirtualWire} (a tap on the hub): pcap capture, lab
 * timelines, test assertions. Called on the transmitting thread, once per frame put on the
 * wire, before any port receives it.
 *
 * <p>The bytes are only valid during the call: copy what you keep. Implementations on a packet
 * path must not allocate.
 */
@FunctionalInterface
public interface FrameListener {

    /**
     * @param portName the name of the port that transmitted the frame
     * @param frame the frame as it travels on the wire (padded to 60 bytes if shorter)
     * @param offset where the frame starts in {@code frame}
     * @param length the frame's length
     * @param nowNanos the wire's clock when the frame was sent
     */
    void onFrame(String portName, byte[] frame, int offset, int length, long nowNanos);
}
