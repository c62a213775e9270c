package dev.spinet.interop;

/** {@link EmulatedChipInteropContract} with the emulated W5500 ({@code --hal sim-w5500}): bulk 256 KB. */
class SimW5500InteropTest extends EmulatedChipInteropContract {

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
}
