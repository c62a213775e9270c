package dev.spinet.app;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.harness.net.WireBridge;
import dev.spinet.harness.timing.PacedTime;

/**
 * How the stack thread idles on an emulated chip under the timing model: first the driver's own
 * idle wait with no time to wait (its SPI work is what a board pays before sleeping on the INT
 * pin: the ENC28J60's FIFO release and PKTIE on and off, the W5500's Sn_IR clear; charged to the
 * model clock like every transaction), then the wait itself on the TAP behind the
 * {@link WireBridge}, cut short when the modelled wire delivers its next frame to either side.
 * The chip takes frames from its wire port at every transaction, so one may have arrived during
 * that idle work: then there is no wait (on a board, INT would be low already).
 */
final class BridgedChipWait extends FrameDeviceDecorator {

    private final WireBridge bridge;
    private final VirtualWire.Port chipPort;
    private final PacedTime time;

    /**
     * @param driver the chip's driver
     * @param bridge the bridge between the chip's wire and the TAP
     * @param chipPort the chip's port on that wire
     * @param time the paced model clock, told when the board goes idle
     */
    BridgedChipWait(FrameDevice driver, WireBridge bridge, VirtualWire.Port chipPort, PacedTime time) {
        super(driver);
        this.bridge = bridge;
        this.chipPort = chipPort;
        this.time = time;
    }

    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        long taken = chipPort.received();
        inner.awaitReceive(0);
        if (chipPort.received() == taken) {
            time.idle();
            bridge.awaitTraffic(timeoutNanos);
        }
    }

    /** Closing is the opener's business (the driver and the TAP are closed in their own order). */
    @Override
    public void close() {
    }
}
