package dev.spinet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the SPI accounting (exact counts on the emulators, not timings), writes the table to
 * {@code target/spi-cost.md}, and holds the drivers to their SPI budgets: receive at most 5
 * transactions per batch (W5500) / per frame (ENC28J60), transmit at most 5 per frame.
 */
class SpiCostReportTest {

    @Test
    void writesTheTableAndMeetsTheTargets() throws Exception {
        List<SpiCostReport.Row> rows = SpiCostReport.measure();
        assertEquals(24, rows.size());
        String table = SpiCostReport.markdown(rows);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/spi-cost.md"), table);
        for (SpiCostReport.Row row : rows) {
            String what = row.toString();
            if (row.direction().equals("transmit")) {
                assertTrue(row.transactionsPerFrame() <= 5, what);
            } else if (row.driver().equals("W5500")) {
                // 4 per batch; a batch holds the whole records that fit in one 4093-byte burst
                // (spidev's default limit), + the poll that finds nothing.
                int recordsPerBatch = 4093 / (row.frameBytes() + 2);
                int batches = (row.burst() + recordsPerBatch - 1) / recordsPerBatch;
                assertTrue(row.transactions() <= 4L * batches + 1, what);
            } else {
                // At most 5 per frame INCLUDING the EPKTCNT reads (the one that finds nothing
                // too) and the ERXRDPT writes that hand the FIFO back: a lone frame is 1 + 2 or 3
                // + 1, a burst 2-3 per frame plus one EPKTCNT read per batch.
                assertTrue(row.transactions() <= 5L * row.burst(), what);
            }
        }
    }
}
