package dev.spinet.harness.emu;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.spi.SpiBus;
import dev.spinet.harness.mock.MockPin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What both chip emulators share: the SPI side clocks one byte at a time through a per-chip state
 * machine (so both {@link SpiBus} methods behave as one chip-select period, exactly as on the
 * chip), the PHY side moves frames between an attached {@link FrameDevice} (a VirtualWire port)
 * and the chip's buffer memory, INT and RESET are {@link MockPin}s, and every use of the chip the
 * datasheet does not allow is recorded as text for tests to assert on.
 *
 * <p>The wire is serviced at the start of every SPI transaction and by {@link #pump()}: frames
 * waiting on the port are received into buffer memory (or dropped, as the chip would, when
 * there is no room). Transmitted frames go to the port at once (or after a set latency).
 *
 * <p>The SPI path allocates nothing as long as no invalid use is recorded, so drivers can be
 * proven allocation-free on an emulator. Not thread-safe: one thread drives the chip.
 */
public abstract class ChipEmulator implements SpiBus {

    /** Largest frame on the wire without FCS. */
    protected static final int MAX_FRAME = 1514;

    private final MockPin interrupt = new MockPin(true);
    private final MockPin reset = new MockPin(true);
    private final List<String> invalidUses = new ArrayList<>();
    private final byte[] wireFrame = new byte[MAX_FRAME + 4];
    private final byte[] lastTransmitted = new byte[MAX_FRAME + 4];
    private int lastTransmittedLength;
    private int resetFallingEdges;
    private FrameDevice wire;
    /** The link the wire port (or {@link #setLink}) gives the PHY. */
    private boolean wireLink = true;
    /** The cable between the PHY and the wire ({@link #setCablePlugged}): the link is up only when both are. */
    private boolean cablePlugged = true;
    /** The link as the PHY last reported it ({@link #linkChanged} is called when this changes). */
    private boolean phyLink = true;
    /** The INT line held deasserted whatever the chip wants ({@link #holdInterruptDeasserted}). */
    private boolean interruptHeld;
    private long transactions;
    private long framesReceived;
    private long framesDropped;
    private long framesTransmitted;
    private long wireBytes;

    // ---- SpiBus ----

    @Override
    public final void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        checkRange(tx, txOffset, length);
        checkRange(rx, rxOffset, length);
        if (!begin()) {
            return;
        }
        for (int i = 0; i < length; i++) {
            int miso = exchange(i, tx == null ? 0 : tx[txOffset + i] & 0xFF);
            if (rx != null) {
                rx[rxOffset + i] = (byte) miso;
            }
        }
        end(length);
    }

    @Override
    public final void transfer(byte[] header, int headerOffset, int headerLength,
                               byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        Objects.requireNonNull(header, "header");
        Objects.checkFromIndexSize(headerOffset, headerLength, header.length);
        checkRange(tx, txOffset, length);
        checkRange(rx, rxOffset, length);
        if (!begin()) {
            return;
        }
        for (int i = 0; i < headerLength; i++) {
            exchange(i, header[headerOffset + i] & 0xFF);
        }
        for (int i = 0; i < length; i++) {
            int miso = exchange(headerLength + i, tx == null ? 0 : tx[txOffset + i] & 0xFF);
            if (rx != null) {
                rx[rxOffset + i] = (byte) miso;
            }
        }
        end(headerLength + length);
    }

    private static void checkRange(byte[] array, int offset, int length) {
        if (array != null) {
            Objects.checkFromIndexSize(offset, length, array.length);
        }
    }

    private boolean begin() {
        transactions++;
        if (!reset.isHigh()) {
            invalid("SPI transaction while RESET is held low (the chip is in reset)");
            return false;
        }
        int falling = reset.fallingEdges();
        if (falling != resetFallingEdges) {
            resetFallingEdges = falling;
            hardwareReset();
        }
        pump();
        startTransaction();
        return true;
    }

    private void end(int length) {
        finishTransaction(length);
        afterTransaction();
        updateInterruptPin();
    }

    /** A new chip-select period starts. */
    protected abstract void startTransaction();

    /** One byte clocked in ({@code mosi}) and out (the return value) at {@code index} of the transaction. */
    protected abstract int exchange(int index, int mosi);

    /** Chip select rises after {@code length} bytes. */
    protected abstract void finishTransaction(int length);

    /** Time-like work after every transaction (delayed transmit completion and the like). */
    protected void afterTransaction() {
    }

    /** The RESET pin was pulsed low. */
    protected abstract void hardwareReset();

    /**
     * The supply dipped below the chip's brown-out threshold and came back: every register,
     * pointer and internal state machine back to its power-on value, as after a hardware reset.
     */
    protected abstract void powerOnReset();

    /** Whether the chip drives INT low now. */
    protected abstract boolean interruptAsserted();

    /** A frame arrived on the wire (no FCS, at least 14 bytes): filter it and store it or drop it. */
    protected abstract boolean receiveFromWire(byte[] frame, int length);

    /** The PHY's link changed (wire port link or {@link #setLink}). */
    protected abstract void linkChanged(boolean up);

    // ---- PHY side ----

    /** Connects the chip's PHY to a wire port (for example {@code VirtualWire.connect(...)}). */
    public void attach(FrameDevice wirePort) {
        this.wire = Objects.requireNonNull(wirePort, "wirePort");
        pump();
        updateInterruptPin();
    }

    /** The attached port, or null. */
    public FrameDevice wirePort() {
        return wire;
    }

    /**
     * Moves frames waiting on the wire into the chip (as its MAC would, with no SPI traffic) and
     * follows the wire port's link state. Returns how many frames were taken from the wire.
     */
    public int pump() {
        if (wire == null) {
            return 0;
        }
        boolean up = wire.linkUp();
        if (up != wireLink) {
            wireLink = up;
            followLink();
        }
        int taken = 0;
        int length;
        while ((length = wire.receive(wireFrame, 0, wireFrame.length)) != FrameDevice.NO_FRAME) {
            if (length > 0) {
                if (phyLink) {
                    offer(wireFrame, length);
                } else {
                    // No link, no carrier: the frame never reaches the MAC.
                    framesDropped++;
                }
            }
            taken++;
        }
        updateInterruptPin();
        return taken;
    }

    /** Reports a change of the PHY's link (wire port and cable together) to the chip. */
    private void followLink() {
        boolean up = wireLink && cablePlugged;
        if (up != phyLink) {
            phyLink = up;
            linkChanged(up);
        }
    }

    /** Puts a frame on the chip's receive side as if it came from the wire. Returns whether the chip stored it. */
    public boolean injectFrame(byte[] frame, int offset, int length) {
        if (length < FrameDevice.ETHERNET_HEADER_LENGTH || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length " + length + " outside 14..1514");
        }
        System.arraycopy(frame, offset, wireFrame, 0, length);
        boolean stored = offer(wireFrame, length);
        updateInterruptPin();
        return stored;
    }

    private boolean offer(byte[] frame, int length) {
        wireBytes += length;
        boolean stored = receiveFromWire(frame, length);
        if (stored) {
            framesReceived++;
        } else {
            framesDropped++;
        }
        return stored;
    }

    /** The chip puts a frame on the wire (already padded as the chip pads it). */
    protected final void emit(byte[] frame, int offset, int length) {
        framesTransmitted++;
        wireBytes += length;
        System.arraycopy(frame, offset, lastTransmitted, 0, length);
        lastTransmittedLength = length;
        if (wire != null && phyLink) {
            wire.transmit(frame, offset, length);
        }
    }

    /** Drives INT from the chip state. */
    protected final void updateInterruptPin() {
        interrupt.set(interruptHeld || !interruptAsserted());
    }

    // ---- for tests ----

    /** The INT line this chip drives (active low): give it to the driver. */
    public MockPin intPin() {
        return interrupt;
    }

    /** The RESET line the driver drives (active low): a low pulse resets the chip. */
    public MockPin resetPin() {
        return reset;
    }

    /** Every use the datasheet does not allow, in order, as text. Empty for a correct driver. */
    public List<String> invalidUses() {
        return List.copyOf(invalidUses);
    }

    public void clearInvalidUses() {
        invalidUses.clear();
    }

    /** Records a use the datasheet does not allow (allocates: only on misuse). */
    protected final void invalid(String what) {
        invalidUses.add(what);
    }

    /** SPI transactions seen so far. */
    public long transactions() {
        return transactions;
    }

    /** Frames stored into buffer memory from the wire. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Frames the chip dropped on receive (filtered, no room, receiver off, no link). */
    public long framesDropped() {
        return framesDropped;
    }

    /** Frames the chip sent. */
    public long framesTransmitted() {
        return framesTransmitted;
    }

    /** A copy of the last frame the chip sent (allocates). */
    public byte[] lastTransmitted() {
        return java.util.Arrays.copyOf(lastTransmitted, lastTransmittedLength);
    }

    /** Forces the PHY link (when no wire is attached, or to simulate a cable pull). */
    public void setLink(boolean up) {
        if (up != wireLink) {
            wireLink = up;
            followLink();
            updateInterruptPin();
        }
    }

    /** The PHY's link state. */
    public boolean link() {
        return phyLink;
    }

    // ---- faults ----

    /**
     * Pulls ({@code false}) or plugs back ({@code true}) the cable between this chip's PHY and
     * its wire port, whatever the port's own link: while unplugged the link is down, frames the
     * chip sends are lost and frames arriving from the wire are dropped before the MAC.
     */
    public void setCablePlugged(boolean plugged) {
        if (plugged != cablePlugged) {
            cablePlugged = plugged;
            followLink();
            updateInterruptPin();
        }
    }

    public boolean cablePlugged() {
        return cablePlugged;
    }

    /**
     * Holds ({@code true}) the INT line deasserted (high) whatever the chip's interrupt state: an
     * edge that never comes while data waits (a broken trace, a GPIO event lost by the host).
     * Released, the line follows the chip again at once.
     */
    public void holdInterruptDeasserted(boolean held) {
        interruptHeld = held;
        updateInterruptPin();
    }

    public boolean interruptHeld() {
        return interruptHeld;
    }

    /**
     * A brown-out mid-run: every register back to its reset value, as the data sheets give them
     * for power-on (the buffer memory keeps whatever it held). The driver is not told.
     */
    public void brownOut() {
        powerOnReset();
        updateInterruptPin();
    }

    /** Frame bytes the chip has taken from the wire and put on it, both ways together. */
    public long wireBytes() {
        return wireBytes;
    }

    protected static boolean isBroadcast(byte[] frame) {
        for (int i = 0; i < 6; i++) {
            if (frame[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    protected static boolean isMulticast(byte[] frame) {
        return (frame[0] & 1) != 0;
    }

    protected static boolean destinationIs(byte[] frame, byte[] mac, int macOffset) {
        for (int i = 0; i < 6; i++) {
            if (frame[i] != mac[macOffset + i]) {
                return false;
            }
        }
        return true;
    }
}
