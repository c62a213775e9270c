package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code spinet run --hal sim-... --chip-fault NAME --trace} against the Linux kernel's TCP (a TAP
 * in a namespace of its own): the fault fires while the kernel's Python client has a byte-exact
 * echo of 400 KB in flight (after 128 KiB of traffic through the chip); the echo must come back
 * intact (the kernel retransmits what the chip lost, Spinet what it lost), the board must print
 * the fault and the driver's reaction as {@code device} lines, and {@code status.json} must show
 * the counter that names it and the injected fault. One fault per chip here (ChipFaultRecoveryTest
 * runs every fault on both chips in simulated time). Skips without root, ip, python3, curl, nc or
 * ping, unless CI=true.
 */
class ChipFaultInteropTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "sim-w5500, link-flap:1000, ifltw, 10, LINK_CHANGES, link down (LINK_CHANGES",
            "sim-enc28j60, brown-out, ifboe, 11, REINITS, re-initialised (REINITS 1)"})
    @Timeout(120)
    void theKernelsEchoCrossesTheFault(String hal, String fault, String purpose, int subnet, String counter, String traceLine)
            throws Exception {
        InteropBoard board = InteropBoard.start(purpose, hal, "10.79." + subnet + ".2", "10.79." + subnet + ".1",
                "--chip-fault", fault, "--chip-fault-after", "128KiB", "--trace");
        String diagnostics;
        try {
            String result = board.python(100, "echo", board.boardIp, "400000", "17");
            assertTrue(result.contains("bytes=400000"), result);

            String stdout = board.spinet.stdout();
            System.out.println(hal + " " + fault + ": " + result + "\n" + stdout.lines().filter(line -> line.startsWith("device ")
                    || line.startsWith("spinet chip fault")).limit(20).reduce("", (a, b) -> a + b + "\n"));
            assertTrue(stdout.contains("spinet chip fault " + fault + " armed: fires after 131072 bytes through the chip"), stdout);
            assertTrue(stdout.lines().anyMatch(line -> line.matches("device \\d+\\.\\d{6} " + hal + " chip fault "
                    + java.util.regex.Pattern.quote(fault) + " injected")), stdout);
            assertTrue(stdout.lines().anyMatch(line -> line.startsWith("device ") && line.contains(" " + hal + " ")
                    && line.contains(traceLine)), () -> "no trace line '" + traceLine + "':\n" + stdout);

            Map<String, String> status = board.status();
            assertEquals("1", status.get("device.counters.CHIP_FAULT_INJECTED"), () -> InteropBoard.summary(status));
            assertTrue(InteropBoard.number(status, "device.counters." + counter) >= (counter.equals("LINK_CHANGES") ? 2 : 1),
                    () -> counter + ": " + InteropBoard.summary(status));
            // And it keeps serving after the fault.
            board.python(60, "echo", board.boardIp, "20000", "18");
        } finally {
            diagnostics = board.diagnostics();
            board.close();
        }
        assertEquals(0, board.exitStatus(), () -> hal + ": exit status after SIGINT" + diagnostics);
    }
}
