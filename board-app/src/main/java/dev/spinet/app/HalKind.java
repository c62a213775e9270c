package dev.spinet.app;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.harness.emu.ChipType;
import java.util.Locale;

/** Where the stack's frames go: {@code spinet run --hal NAME}. */
public enum HalKind {
    /** A Linux TAP interface; the kernel is the other station on the wire. */
    TAP("tap"),
    /** The W5500 emulator with the real driver, the emulator's wire bridged to a TAP. */
    SIM_W5500("sim-w5500"),
    /** The ENC28J60 emulator with the real driver, the emulator's wire bridged to a TAP. */
    SIM_ENC28J60("sim-enc28j60"),
    /** A W5500 on a Raspberry Pi's SPI header. */
    W5500("w5500"),
    /** An ENC28J60 on a Raspberry Pi's SPI header. */
    ENC28J60("enc28j60");

    private final String label;

    HalKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean usesTap() {
        return this == TAP || this == SIM_W5500 || this == SIM_ENC28J60;
    }

    public boolean usesSpi() {
        return this == W5500 || this == ENC28J60;
    }

    /** The chip this HAL drives (emulated or real), or null for a TAP. */
    public ChipType chip() {
        return switch (this) {
            case TAP -> null;
            case SIM_W5500, W5500 -> ChipType.W5500;
            case SIM_ENC28J60, ENC28J60 -> ChipType.ENC28J60;
        };
    }

    /** Whether the chip is the register-level emulator (the HALs {@code --chip-fault} works on). */
    public boolean emulated() {
        return this == SIM_W5500 || this == SIM_ENC28J60;
    }

    /**
     * The TCP ring size when {@code --buffer-bytes} is not given: big enough for a receive window
     * the controller's memory can hold ({@link #receiveWindow}). A kernel peer sends a whole
     * window back to back; what the chip cannot buffer is dropped, and each such burst costs a
     * retransmission timeout. ENC28J60: 8 KiB of packet memory, 6.5 KiB of it the receive FIFO
     * the driver programs, which holds a window of three 1460-byte segments
     * ({@link Enc28j60Driver#largestReceiveWindow}: 4380), so the ring is the power of two above
     * it, 8192. W5500: 16 KiB for socket 0, frames stored with a 2-byte header each: 8192.
     */
    public int defaultBufferBytes() {
        return switch (this) {
            case TAP -> 65536;
            case SIM_W5500, W5500 -> 8192;
            case SIM_ENC28J60, ENC28J60 -> Integer.highestOneBit(enc28j60Window() - 1) << 1;
        };
    }

    /**
     * The receive window a connection announces with rings of {@code bufferBytes}
     * ({@code StackConfig.Builder.tcpReceiveWindow}; 0 = the ring): for the ENC28J60 at most what
     * its FIFO holds of one connection's flight, whatever the ring, since a larger window only
     * loses frames in the chip; for the others the ring.
     */
    public int receiveWindow(int bufferBytes) {
        return this == SIM_ENC28J60 || this == ENC28J60 ? Math.min(bufferBytes, enc28j60Window()) : 0;
    }

    private static int enc28j60Window() {
        return Enc28j60Driver.largestReceiveWindow(StackConfig.builder().build().tcpMss);
    }

    /** Default SPI clock: docs/raspberry-pi.md ("Running"). */
    public int defaultSpiHz() {
        return this == ENC28J60 || this == SIM_ENC28J60 ? 12_000_000 : 20_000_000;
    }

    /**
     * The chip's fastest SPI clock: ENC28J60 20 MHz (DS39662E, SPI characteristics), W5500 80 MHz
     * (datasheet 1.0.9, "SPI"); no chip behind tap.
     */
    public int maxSpiHz() {
        return switch (this) {
            case ENC28J60, SIM_ENC28J60 -> 20_000_000;
            case W5500, SIM_W5500 -> 80_000_000;
            case TAP -> 0;
        };
    }

    /** The controller's name, for messages. */
    public String chipName() {
        return switch (this) {
            case ENC28J60, SIM_ENC28J60 -> "ENC28J60";
            case W5500, SIM_W5500 -> "W5500";
            case TAP -> "TAP";
        };
    }

    public static HalKind parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (HalKind kind : values()) {
            if (kind.label.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown HAL '" + text.trim() + "'; use tap, sim-w5500, sim-enc28j60, w5500 or enc28j60");
    }

    @Override
    public String toString() {
        return label;
    }
}
