package dev.spinet.interop;

/**
 * {@link KernelInteropContract} through the emulated Enc28j60 and its real driver ({@code --hal
 * sim-enc28j60}), bridged to the TAP. Smaller transfers than {@link TapInteropTest}: the emulated
 * chip moves every frame through SPI transactions in Java, and bulk data overruns its receive
 * memory just as the real chip's would, so the kernel sees loss and retransmits; 20 MB would take
 * minutes. The sizes below (bulk 256 KB / 128 KB, echo 200 KB) keep this class to seconds.
 *
 * <p>{@code --buffer-bytes 4096}: the ENC28J60 has 8 KB of packet memory in all (the driver
 * gives about 6 KB to receiving). With the default 64 KB window the kernel sends far more than
 * the chip can hold, most of each flight is dropped, and recovery runs on the kernel's
 * backed-off retransmission timer: a 256 KB upload stalled for over 10 s. A window the chip can
 * hold is what a board with this chip should be configured with.
 */
class SimEnc28j60InteropTest extends KernelInteropContract {

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

    @Override
    int echoBytes() {
        return 200_000;
    }

    @Override
    int shortConnections() {
        return 50;
    }
}
