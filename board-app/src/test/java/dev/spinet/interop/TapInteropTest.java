package dev.spinet.interop;

/**
 * {@link KernelInteropContract} with {@code --hal tap} and its default TAP offloads (large
 * segments and partial checksums both ways): full sizes (20 MB each way, 200 connections).
 */
class TapInteropTest extends KernelInteropContract {

    @Override
    String hal() {
        return "tap";
    }

    @Override
    String purpose() {
        return "itap";
    }

    @Override
    int subnet() {
        return 1;
    }

    @Override
    int bulkBytes() {
        return 20_000_000;
    }

    @Override
    int echoBytes() {
        return 1_000_000;
    }

    @Override
    int shortConnections() {
        return 200;
    }

    @Override
    boolean expectOffload() {
        return true;
    }
}
