package dev.spinet.interop;

/**
 * {@link KernelInteropContract} through the emulated Enc28j60 and its real driver ({@code --hal
 * sim-enc28j60}), bridged to the TAP. Smaller transfers than {@link TapInteropTest}: the emulated
 * chip moves every frame through SPI transactions in Java, and bulk data overruns its receive
 * memory just as the real chip's would, so the kernel sees loss and retransmits; 20 MB would take
 * minutes. The sizes below keep this class to seconds.
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
    int bulkBytes() {
        return 262_144;
    }

    @Override
    int echoBytes() {
        return 8_000;
    }

    @Override
    int shortConnections() {
        return 50;
    }
}
