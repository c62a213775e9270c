package dev.spinet.harness.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.mock.MockSpiBus;
import org.junit.jupiter.api.Test;

/**
 * The SPI half of the timing model: a transaction costs the fixed overhead plus 8 clocks per
 * byte clocked, header included, charged to the model clock after the transaction; the
 * simulated world around the board (a {@link SimulatedTime.Bystander}) acts at its own moments
 * inside the charge and at its end.
 */
class TimedSpiBusTest {

    @Test
    void eachTransactionCostsTheOverheadPlusItsBytesAtTheClock() {
        ManualClock clock = new ManualClock();
        long[] seenAt = new long[1];
        SimulatedTime time = new SimulatedTime(clock).bystander(new SimulatedTime.Bystander() {
            @Override
            public long nextEvent(long now) {
                return now + Long.MAX_VALUE / 4;
            }

            @Override
            public void act() {
                seenAt[0] = clock.nanoTime();
            }
        });
        MockSpiBus chip = new MockSpiBus();
        TimedSpiBus bus = new TimedSpiBus(chip, new SpiTiming(8_000_000L, 10_000L), time);
        long start = clock.nanoTime();

        bus.transfer(new byte[100], 0, null, 0, 100);                    // 100 bytes: 10 + 100 us
        bus.transfer(new byte[3], 0, 3, new byte[97], 0, null, 0, 97);   // 3 + 97 bytes: the same
        assertEquals(start + 2 * 110_000L, clock.nanoTime());
        assertEquals(clock.nanoTime(), seenAt[0], "the peer ran at the new time");
        assertEquals(2, bus.transactions());
        assertEquals(2, chip.transactionCount());
        assertEquals(220_000L, time.spent());
    }

    @Test
    void theWorldAroundTheBoardActsAtItsOwnMomentsInsideALongTransaction() {
        ManualClock clock = new ManualClock();
        long start = clock.nanoTime();
        java.util.List<Long> acted = new java.util.ArrayList<>();
        long[] events = {start + 100_000L, start + 250_000L};
        SimulatedTime time = new SimulatedTime(clock).bystander(new SimulatedTime.Bystander() {
            @Override
            public long nextEvent(long now) {
                for (long event : events) {
                    if (event - now > 0) {
                        return event;
                    }
                }
                return now + Long.MAX_VALUE / 4;
            }

            @Override
            public void act() {
                acted.add(clock.nanoTime() - start);
            }
        });
        time.spend(600_000L);
        assertEquals(java.util.List.of(100_000L, 250_000L, 600_000L), acted);
    }

    @Test
    void aFractionOfANanosecondRoundsUp() {
        // 1 byte at 3 MHz: 2666.67 ns.
        assertEquals(2_667L, new SpiTiming(3_000_000L, 0).transactionNanos(1));
        assertEquals(20_000L + 606_800L, SpiTiming.onPi(20_000_000L).transactionNanos(1517));
    }

    @Test
    void frequenciesParseWithOrWithoutAUnit() {
        assertEquals(20_000_000L, SpiTiming.parseHz("20MHz"));
        assertEquals(12_500_000L, SpiTiming.parseHz(" 12.5 MHz"));
        assertEquals(800_000L, SpiTiming.parseHz("800kHz"));
        assertEquals(20_000_000L, SpiTiming.parseHz("20000000"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpiTiming.parseHz("fast"));
        assertTrue(e.getMessage().contains("20MHz"), e.getMessage());
    }
}
