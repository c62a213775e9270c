package dev.spinet.hal.eth;

/**
 * Two {@link DeviceCounters} read as one: the first's counters, then the second's. A chip's
 * driver counts frames and recoveries and the bus under it counts SPI transactions; the status
 * page shows them as one set per chip. Reading allocates nothing.
 */
final class ConcatenatedDeviceCounters implements DeviceCounters {

    private final DeviceCounters first;
    private final DeviceCounters second;
    private final int split;

    ConcatenatedDeviceCounters(DeviceCounters first, DeviceCounters second) {
        if (first == null || second == null) {
            throw new IllegalArgumentException("concatenating counters needs two DeviceCounters (DeviceCounters.NONE for none)");
        }
        this.first = first;
        this.second = second;
        this.split = first.counterCount();
    }

    @Override
    public int counterCount() {
        return split + second.counterCount();
    }

    @Override
    public String counterName(int index) {
        return index < split ? first.counterName(index) : second.counterName(index - split);
    }

    @Override
    public long counterValue(int index) {
        return index < split ? first.counterValue(index) : second.counterValue(index - split);
    }
}
