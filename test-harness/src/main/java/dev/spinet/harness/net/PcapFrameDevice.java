package dev.spinet.harness.net;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A {@link FrameDevice} decorator that records every frame it receives and every frame the inner
 * device accepts for transmission into a {@link PcapWriter}, like tcpdump on the interface.
 *
 * <p>Timestamps come from the stack's {@link NanoClock} (so a ManualClock gives exact, repeatable
 * captures) shifted to wall-clock time by an offset fixed at construction: the clock's reading
 * then corresponds to {@code epochNanosNow} (by default the current time of day).
 *
 * <p>Nothing allocates per frame. Frames the inner device refuses ({@code transmit} returned
 * false) or that did not fit the caller's buffer are not recorded: the capture shows what crossed
 * the interface. Frames are recorded as the stack passed them: a short frame appears unpadded.
 */
public final class PcapFrameDevice extends FrameDeviceDecorator implements Flushable {

    private final PcapWriter writer;
    private final NanoClock clock;
    private final long epochOffsetNanos;
    private final boolean ownsWriter;

    /** Records into {@code writer} (not closed by {@link #close()}); timestamps start at the current time of day. */
    public PcapFrameDevice(FrameDevice inner, PcapWriter writer, NanoClock clock) {
        this(inner, writer, clock, System.currentTimeMillis() * 1_000_000L);
    }

    /** Records into {@code writer}; the clock's current reading is stamped as {@code epochNanosNow}. */
    public PcapFrameDevice(FrameDevice inner, PcapWriter writer, NanoClock clock, long epochNanosNow) {
        this(inner, writer, clock, epochNanosNow, false);
    }

    private PcapFrameDevice(FrameDevice inner, PcapWriter writer, NanoClock clock, long epochNanosNow, boolean ownsWriter) {
        if (inner == null || writer == null || clock == null) {
            throw new IllegalArgumentException("PcapFrameDevice needs the device it decorates, a PcapWriter and a clock");
        }
        super(inner);
        this.writer = writer;
        this.clock = clock;
        this.epochOffsetNanos = epochNanosNow - clock.nanoTime();
        this.ownsWriter = ownsWriter;
    }

    /**
     * Captures {@code inner}'s traffic into a new file (created or truncated); {@link #close()}
     * closes the file and the inner device.
     */
    public static PcapFrameDevice open(FrameDevice inner, Path file, NanoClock clock, PcapWriter.Precision precision) throws IOException {
        return new PcapFrameDevice(inner, PcapWriter.create(file, precision), clock, System.currentTimeMillis() * 1_000_000L, true);
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        int length = inner.receive(buffer, offset, capacity);
        if (length > 0) {
            writer.write(clock.nanoTime() + epochOffsetNanos, buffer, offset, length);
        }
        return length;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        boolean accepted = inner.transmit(frame, offset, length);
        if (accepted) {
            writer.write(clock.nanoTime() + epochOffsetNanos, frame, offset, length);
        }
        return accepted;
    }

    /** The wall-clock time (ns since 1970) that a reading of the clock is recorded as. */
    public long epochNanos(long clockNanos) {
        return clockNanos + epochOffsetNanos;
    }

    public PcapWriter writer() {
        return writer;
    }

    /** Writes buffered records to the file. */
    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    /**
     * Flushes the capture (closing it if this device opened it) and closes the inner device.
     *
     * @throws UncheckedIOException if the capture could not be written
     */
    @Override
    public void close() {
        try {
            if (ownsWriter) {
                writer.close();
            } else {
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not finish the pcap capture", e);
        } finally {
            inner.close();
        }
    }

    @Override
    public String toString() {
        return "PcapFrameDevice[" + writer.records() + " records, over " + inner + "]";
    }
}
