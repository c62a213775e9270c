package dev.spinet.interop;

/**
 * {@link KernelInteropContract} through an emulated chip and its real driver ({@code --hal
 * sim-...}), bridged to the TAP. Smaller transfers than {@link TapInteropTest}: the emulated
 * chip moves every frame through SPI transactions in Java, and bulk data overruns its receive
 * memory just as the real chip's would, so the kernel sees loss and retransmits; 20 MB would take
 * minutes. Echo 200 KB and 50 short connections here, and a bulk size per chip, keep each class
 * to seconds.
 */
abstract class EmulatedChipInteropContract extends KernelInteropContract {

    @Override
    int echoBytes() {
        return 200_000;
    }

    @Override
    int shortConnections() {
        return 50;
    }
}
