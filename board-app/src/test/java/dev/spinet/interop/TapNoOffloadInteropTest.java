package dev.spinet.interop;

/**
 * {@link KernelInteropContract} with {@code --hal tap --no-offload}: one MSS per frame, every
 * checksum computed by Spinet, as on a board; full sizes as {@link TapInteropTest}.
 */
class TapNoOffloadInteropTest extends TapInteropContract {

    TapNoOffloadInteropTest() {
        super(false, "itapnooff", 5);
    }
}
