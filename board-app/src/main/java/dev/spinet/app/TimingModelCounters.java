package dev.spinet.app;

import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.harness.timing.ModeledBoard;
import dev.spinet.harness.timing.PacedTime;

/**
 * The timing model's own accounting on the status page ({@code --spi-clock} on {@code sim-*}):
 * modelled SPI time, model time the ENC28J60's driver spent waiting for its one transmit buffer,
 * wall time spent holding the board back, and how far the busy board fell behind the model (a
 * host too slow or too loaded to keep the modelled pace; figures from such a run measure the
 * host). All in microseconds.
 */
final class TimingModelCounters implements DeviceCounters {

    private static final String[] NAMES = {"MODEL_SPI_MICROS", "MODEL_TRANSMIT_WAIT_MICROS", "MODEL_PACING_WAIT_MICROS",
            "MODEL_BEHIND_MICROS"};

    private final PacedTime time;
    private final ModeledBoard board;

    TimingModelCounters(PacedTime time, ModeledBoard board) {
        this.time = time;
        this.board = board;
    }

    @Override
    public int counterCount() {
        return NAMES.length;
    }

    @Override
    public String counterName(int index) {
        return NAMES[index];
    }

    @Override
    public long counterValue(int index) {
        return switch (index) {
            case 0 -> board.timedBus().nanos() / 1000;
            case 1 -> board.transmitWaitNanos() / 1000;
            case 2 -> time.waited() / 1000;
            case 3 -> time.behind() / 1000;
            default -> throw new IndexOutOfBoundsException("timing model counter " + index + " of " + NAMES.length);
        };
    }
}
