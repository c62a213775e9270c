package dev.spinet.interop;

/**
 * {@link KernelInteropContract} with {@code --hal tap} and its default TAP offloads (large
 * segments and partial checksums both ways): full sizes, as {@link TapInteropContract} sets them.
 */
class TapInteropTest extends TapInteropContract {

    TapInteropTest() {
        super(true, "itap", 1);
    }
}
