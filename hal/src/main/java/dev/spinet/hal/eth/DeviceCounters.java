package dev.spinet.hal.eth;

/**
 * A device's counters as (name, value) pairs, read by code that does not know the device: the
 * status page, {@code spinet run --trace}. Indices run from 0 to {@link #counterCount()} - 1 and
 * keep their names for the device's life, so a reader can resolve the names it cares about once
 * and then read values by index.
 *
 * <p>Names are constants (enum names, string literals) in UPPER_SNAKE_CASE; they are the keys of
 * {@code status.json} ({@code docs/drivers.md}, "Recovery and counters"), so a name, once
 * published, does not change. Reading allocates nothing. Like the device, counters belong to
 * the thread that owns it; another thread may read a value that is a moment old.
 */
public interface DeviceCounters {

    /** A device that counts nothing. */
    DeviceCounters NONE = new DeviceCounters() {
        @Override
        public int counterCount() {
            return 0;
        }

        @Override
        public String counterName(int index) {
            throw new IndexOutOfBoundsException("no counters: index " + index);
        }

        @Override
        public long counterValue(int index) {
            throw new IndexOutOfBoundsException("no counters: index " + index);
        }
    };

    /** How many counters there are; fixed. */
    int counterCount();

    /** The name of counter {@code index}: a constant, never built per call. */
    String counterName(int index);

    /** The value of counter {@code index}. */
    long counterValue(int index);

    /** The index of the counter called {@code name}, or -1 if there is none (a set-up time look-up). */
    default int indexOf(String name) {
        for (int i = 0; i < counterCount(); i++) {
            if (counterName(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The counters of {@code first} followed by those of {@code second} (a chip driver and its SPI bus). */
    static DeviceCounters concat(DeviceCounters first, DeviceCounters second) {
        return new ConcatenatedDeviceCounters(first, second);
    }
}
