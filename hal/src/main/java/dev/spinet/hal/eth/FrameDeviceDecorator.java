package dev.spinet.hal.eth;

/**
 * Base for FrameDevice decorators (pcap capture, fault injection, lab segment filters): every
 * method goes to the decorated device; a subclass overrides what it changes, usually
 * {@link #receive} and {@link #transmit}. Delegation allocates nothing.
 */
public abstract class FrameDeviceDecorator implements FrameDevice {

    /** The decorated device. */
    protected final FrameDevice inner;

    protected FrameDeviceDecorator(FrameDevice inner) {
        if (inner == null) {
            throw new IllegalArgumentException("a decorator needs the FrameDevice it decorates");
        }
        this.inner = inner;
    }

    /** The decorated device. */
    public FrameDevice inner() {
        return inner;
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        return inner.receive(buffer, offset, capacity);
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        return inner.transmit(frame, offset, length);
    }

    /**
     * 0: a decorator sees every frame in {@link #transmit}, so it offers no segmentation unless
     * it overrides both this and {@link #transmitSegmented} (a large segment would bypass it).
     */
    @Override
    public int maxSegmentedFrameLength() {
        return 0;
    }

    @Override
    public long macAddress() {
        return inner.macAddress();
    }

    @Override
    public boolean linkUp() {
        return inner.linkUp();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int maxFrameLength() {
        return inner.maxFrameLength();
    }

    @Override
    public DeviceCapabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public boolean receivedTransportChecksumVerified() {
        return inner.receivedTransportChecksumVerified();
    }

    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        inner.awaitReceive(timeoutNanos);
    }

    @Override
    public void close() {
        inner.close();
    }
}
