package dev.spinet.interop;

/**
 * {@link KernelInteropContract} through the emulated W5500 and its real driver ({@code --hal
 * sim-w5500}), bridged to the TAP. Smaller transfers than {@link TapInteropTest}: the emulated
 * chip moves every frame through SPI transactions in Java, and bulk data overruns its receive
 * memory just as the real chip's would, so the kernel sees loss and retransmits; 20 MB would take
 * minutes. The sizes below (bulk 256 KB / 128 KB, echo 200 KB) keep this class to seconds.
 */
class SimW5500InteropTest extends KernelInteropContract {

    @Override
    String hal() {
        return "sim-w5500";
    }

    @Override
    String purpose() {
        return "iw5500";
    }

    @Override
    int subnet() {
        return 2;
    }

    @Override
    int bulkBytes() {
        return 262_144;
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
