package dev.spinet.interop;

/**
 * {@link KernelInteropContract} with {@code --hal tap --no-offload}: one MSS per frame, every
 * checksum computed by Spinet, as on a board; full sizes as {@link TapInteropTest}.
 */
class TapNoOffloadInteropTest extends KernelInteropContract {

    @Override
    String hal() {
        return "tap";
    }

    @Override
    String purpose() {
        return "itapnooff";
    }

    @Override
    int subnet() {
        return 5;
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
    String[] extraRunArgs() {
        return new String[] {"--no-offload"};
    }
}
