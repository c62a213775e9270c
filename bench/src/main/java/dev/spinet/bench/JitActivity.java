package dev.spinet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How much CPU this JVM's JIT compiler threads have used, read from Linux's per-thread
 * {@code /proc/self/task/TID/} files, so a harness can warm up until the JIT is quiet and show
 * whether it stayed quiet while measuring (bench/loss-compare.sh does the same from outside the
 * JVM). The JMX ThreadMXBean cannot: HotSpot hides its compiler threads from it (they are not in
 * {@code dumpAllThreads} or {@code getAllThreadIds}), and {@code CompilationMXBean} gives the
 * compilations' elapsed time, not CPU.
 */
final class JitActivity {

    /**
     * Linux's USER_HZ, the unit of utime and stime in stat: 100 on every architecture Linux
     * exports to user space ({@code sysconf(_SC_CLK_TCK)}; proc(5) "measured in clock ticks").
     */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One thread's name (its comm, at most 15 characters) and the CPU time it has used. */
    record ThreadTime(String name, long cpuNanos) {
    }

    private final Path taskDirectory;

    /** @param taskDirectory {@code /proc/self/task}, or a directory laid out like it */
    JitActivity(Path taskDirectory) {
        this.taskDirectory = taskDirectory;
    }

    /** This JVM's own threads. */
    static JitActivity ofThisJvm() {
        return new JitActivity(Path.of("/proc/self/task"));
    }

    /**
     * CPU nanoseconds used so far by each compiler thread alive now, by thread id; empty where
     * there is no /proc. Per thread rather than one sum, so that a compiler thread the JVM
     * starts between two snapshots counts from zero ({@link #nanosBetween}).
     */
    Map<Long, Long> snapshot() {
        Map<Long, Long> nanosByThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDirectory)) {
            for (Path task : tasks) {
                try {
                    ThreadTime time = parseStat(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8));
                    if (!isCompilerThread(time.name())) {
                        continue;
                    }
                    long nanos = time.cpuNanos();
                    Path schedstat = task.resolve("schedstat");
                    if (Files.exists(schedstat)) {
                        // Nanoseconds on the CPU (Documentation/scheduler/sched-stats.rst, first
                        // field), where stat's ticks come in 10 ms steps: as coarse as the
                        // quiet threshold itself.
                        nanos = parseSchedstatNanos(Files.readString(schedstat, StandardCharsets.UTF_8));
                    }
                    nanosByThread.put(Long.parseLong(task.getFileName().toString()), nanos);
                } catch (NoSuchFileException ended) {
                    // the thread ended while we listed the directory
                }
            }
        } catch (NoSuchFileException notLinux) {
            return Map.of();
        } catch (IOException e) {
            throw new IllegalStateException("reading " + taskDirectory, e);
        }
        return nanosByThread;
    }

    /**
     * Compiler CPU used between two snapshots. A thread only in {@code after} started in between
     * and counts whole; a thread only in {@code before} ended in between and its last moments are
     * lost (HotSpot stops surplus compiler threads, UseDynamicNumberOfCompilerThreads, but keeps
     * one of each kind, so this undercounts only on a machine with several per kind).
     */
    static long nanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            sum += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }

    /**
     * HotSpot names them "C1 CompilerThread0", "C2 CompilerThread0", ... and Linux keeps the
     * first 15 characters of a thread's name (TASK_COMM_LEN 16 with the terminating NUL).
     */
    static boolean isCompilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** A stat line's name and utime + stime (proc(5) fields 2, 14 and 15). */
    static ThreadTime parseStat(String line) {
        // The name is free text in parentheses and may hold spaces and ')' itself: it ends at the
        // LAST ')' (what procps does), and the numbered fields follow, state (3) first.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String name = line.substring(open + 1, close);
        String[] after = line.substring(close + 2).strip().split(" ");
        long ticks = Long.parseLong(after[14 - 3]) + Long.parseLong(after[15 - 3]);
        return new ThreadTime(name, ticks * NANOS_PER_TICK);
    }

    /** The first field of a schedstat line: nanoseconds the thread has run on a CPU. */
    static long parseSchedstatNanos(String line) {
        String stripped = line.strip();
        int space = stripped.indexOf(' ');
        return Long.parseLong(space < 0 ? stripped : stripped.substring(0, space));
    }
}
