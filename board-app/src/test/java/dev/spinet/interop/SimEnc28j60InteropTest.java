package dev.spinet.interop;

/**
 * {@link EmulatedChipInteropContract} with the emulated ENC28J60 ({@code --hal sim-enc28j60}):
 * bulk 128 KB.
 *
 * <p>{@code --buffer-bytes 4096}: the ENC28J60 has 8 KB of packet memory in all (the driver
 * gives about 6 KB to receiving). With the default 64 KB window the kernel sends far more than
 * the chip can hold, most of each flight is dropped, and recovery runs on the kernel's
 * backed-off retransmission timer: a 256 KB upload stalled for over 10 s. A window the chip can
 * hold is what a board with this chip should be configured with.
 */
class SimEnc28j60InteropTest extends EmulatedChipInteropContract {

    @Override
    String hal() {
        return "sim-enc28j60";
    }

    @Override
    String purpose() {
        return "ienc28j60";
    }

    @Override
    int subnet() {
        return 3;
    }

    @Override
    String[] extraRunArgs() {
        return new String[] {"--buffer-bytes", "4096"};
    }

    @Override
    int bulkBytes() {
        return 131_072;
    }
}
