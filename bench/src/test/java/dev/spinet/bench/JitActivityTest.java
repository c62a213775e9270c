package dev.spinet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the JIT compiler threads' CPU time from a /proc task directory (here a fake one). */
class JitActivityTest {

    /** The fields after the name: state, ppid ... up to utime (14th field) and stime (15th). */
    private static String stat(int tid, String name, long utime, long stime) {
        return tid + " (" + name + ") S 1 1 1 0 -1 4194368 563 0 2 0 " + utime + " " + stime + " 0 0 20 0 19 0 314816\n";
    }

    @Test
    void aStatLineWhoseNameHoldsSpacesAndParenthesesIsSplitAtTheLastParenthesis() {
        // proc(5): "(2) comm ... The filename of the executable, in parentheses"; a thread name is
        // free text, so only the LAST ')' ends it.
        JitActivity.ThreadTime time = JitActivity.parseStat(stat(4242, "C2 Co) (9 8) x", 29, 3));
        assertEquals("C2 Co) (9 8) x", time.name());
        assertEquals((29 + 3) * 10_000_000L, time.cpuNanos());
    }

    @Test
    void theSchedstatRunTimeIsTheFirstField() {
        assertEquals(330_728_324L, JitActivity.parseSchedstatNanos("330728324 200547312 734\n"));
    }

    @Test
    void onlyTheCompilerThreadsCountAndSchedstatIsPreferredOverTheTicks(@TempDir Path tasks) throws Exception {
        task(tasks, 11, "C2 CompilerThre", 50, 7, "512000000 1 2\n");
        task(tasks, 12, "C1 CompilerThre", 20, 0, null); // no schedstat: the ticks
        task(tasks, 13, "main", 900, 100, "9000000000 1 2\n");
        task(tasks, 14, "C3 CompilerThre", 900, 100, "9000000000 1 2\n");
        Map<Long, Long> snapshot = new JitActivity(tasks).snapshot();
        assertEquals(Map.of(11L, 512_000_000L, 12L, 200_000_000L), snapshot);
    }

    @Test
    void betweenTwoSnapshotsAThreadThatStartedCountsFromZeroAndOneThatEndedTakesNothingBack() {
        // 13 ended: a difference of the two sums would subtract its 1000 ns from the 340 ns used.
        Map<Long, Long> before = Map.of(11L, 500L, 12L, 300L, 13L, 1000L);
        Map<Long, Long> after = Map.of(11L, 800L, 12L, 300L, 15L, 40L);
        assertEquals(340L, JitActivity.nanosBetween(before, after));
    }

    @Test
    void theCompilerThreadsAreKnownByTheirTruncatedNames() {
        assertTrue(JitActivity.isCompilerThread("C2 CompilerThre"));
        assertTrue(JitActivity.isCompilerThread("C1 CompilerThre"));
        assertFalse(JitActivity.isCompilerThread("G1 Conc#0"));
        assertFalse(JitActivity.isCompilerThread("VM Thread"));
    }

    @Test
    void thisJvmHasCompilerThreadsWhenProcIsThere() {
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            return; // not Linux
        }
        assertFalse(new JitActivity(Path.of("/proc/self/task")).snapshot().isEmpty());
    }

    private static void task(Path tasks, int tid, String name, long utime, long stime, String schedstat) throws Exception {
        Path dir = Files.createDirectories(tasks.resolve(String.valueOf(tid)));
        Files.writeString(dir.resolve("stat"), stat(tid, name, utime, stime));
        if (schedstat != null) {
            Files.writeString(dir.resolve("schedstat"), schedstat);
        }
    }
}
