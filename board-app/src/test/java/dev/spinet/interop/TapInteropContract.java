package dev.spinet.interop;

/**
 * {@link KernelInteropContract} on {@code --hal tap}, with the TAP's offloads or without them: the
 * same full sizes either way (20 MB each way, 1 MB echoed, 200 connections), so that the two modes
 * differ only in how frames cross the TAP and the last check (large segments flowed exactly when
 * offloads are on).
 */
abstract class TapInteropContract extends KernelInteropContract {

    private final boolean offload;
    private final String purpose;
    private final int subnet;

    /**
     * @param offload whether the board runs with its default TAP offloads (false: {@code --no-offload})
     * @param purpose the namespace purpose, unique per subclass
     * @param subnet  the third octet of its 10.79.N.0/24 subnet, unique per subclass
     */
    TapInteropContract(boolean offload, String purpose, int subnet) {
        this.offload = offload;
        this.purpose = purpose;
        this.subnet = subnet;
    }

    @Override
    String hal() {
        return "tap";
    }

    @Override
    String purpose() {
        return purpose;
    }

    @Override
    int subnet() {
        return subnet;
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
        return offload;
    }

    /** Without offloads the TAP writes through its transmit thread, the upload's ACKs included. */
    @Override
    boolean expectQueuedAcks() {
        return !offload;
    }

    /** Without offloads the transmit thread writes through io_uring where this kernel and process allow it. */
    @Override
    boolean expectBatchedWrites() {
        return !offload && dev.spinet.hal.linux.TapDevice.batchedTransmitAvailable();
    }

    @Override
    String[] extraRunArgs() {
        return offload ? new String[0] : new String[] {"--no-offload"};
    }
}
