package dev.spinet.harness.timing;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.harness.net.VirtualWire;

/**
 * A driver whose chip holds one frame to transmit (the ENC28J60 as Spinet and Linux program it:
 * one transmit area, ETXST..ETXND), on a wire with a bit rate: before the driver may write the
 * next frame, the previous one must have left the wire, which the emulated chip (finishing a
 * transmission at once) does not enforce. So every transmit first waits, on the model clock,
 * until the chip's wire port has sent its last frame: the time a real driver spends polling
 * ECON1.TXRTS (DS39662E 7.1). Frames received meanwhile wait in the chip, as they would.
 * Allocation-free.
 */
public final class OneFrameTransmitBuffer extends FrameDeviceDecorator {

    private final VirtualWire.Port chipPort;
    private final ModelClock clock;
    private long waits;
    private long waitedNanos;

    /**
     * @param driver the chip's driver (what the stack transmits through)
     * @param chipPort the wire port the emulated chip is attached to
     */
    public OneFrameTransmitBuffer(FrameDevice driver, VirtualWire.Port chipPort, ModelClock clock) {
        super(driver);
        if (chipPort == null || clock == null) {
            throw new IllegalArgumentException("OneFrameTransmitBuffer needs the chip's wire port and the model clock");
        }
        this.chipPort = chipPort;
        this.clock = clock;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        long done = chipPort.transmitDoneAt();
        long now = clock.nanoTime();
        if (done - now > 0) {
            waits++;
            waitedNanos += done - now;
            clock.spendUntil(done);
        }
        return inner.transmit(frame, offset, length);
    }

    /** Transmits that had to wait for the previous frame. */
    public long waits() {
        return waits;
    }

    /** Model nanoseconds spent waiting. */
    public long waitedNanos() {
        return waitedNanos;
    }
}
