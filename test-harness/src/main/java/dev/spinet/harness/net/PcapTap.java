package dev.spinet.harness.net;

import dev.spinet.hal.clock.NanoClock;

/**
 * Captures everything on a {@link VirtualWire} into a {@link PcapWriter}, like a sniffer on a
 * hub port: {@code wire.tap(new PcapTap(writer, clock, epochNanosNow))}. Each frame is recorded
 * once, as it travels (padded to 60 bytes), at the wire's send time.
 */
public final class PcapTap implements FrameListener {

    private final PcapWriter writer;
    private final long epochOffsetNanos;

    /** The clock's current reading is stamped as {@code epochNanosNow} (ns since 1970). */
    public PcapTap(PcapWriter writer, NanoClock clock, long epochNanosNow) {
        this.writer = writer;
        this.epochOffsetNanos = epochNanosNow - clock.nanoTime();
    }

    @Override
    public void onFrame(String portName, byte[] frame, int offset, int length, long nowNanos) {
        writer.write(nowNanos + epochOffsetNanos, frame, offset, length);
    }
}
