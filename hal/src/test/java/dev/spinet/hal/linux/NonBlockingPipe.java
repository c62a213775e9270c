package dev.spinet.hal.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An anonymous pipe (pipe2(2), made by {@link Pipe#open}) whose write end is an O_NONBLOCK
 * descriptor number for {@link IoUring} and {@link TapTransmitQueue}, read back through the
 * channel. Like the TAP's descriptor, an anonymous pipe supports non-blocking writes
 * (FMODE_NOWAIT, fs/pipe.c create_pipe_files), which a named FIFO does not, and unlike a regular
 * file a write to it never waits for a disk; a full pipe answers EAGAIN, as a TAP can.
 */
final class NonBlockingPipe implements AutoCloseable {

    private final Pipe pipe;
    private final int writeFd;

    NonBlockingPipe() throws IOException {
        // Descriptors with what they were before: a number may come back for the pipe (the listing's own).
        Set<String> before = descriptors();
        pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        pipe.source().configureBlocking(false);
        int found = -1;
        for (String entry : descriptors()) {
            String fd = entry.substring(0, entry.indexOf(' '));
            // The write end: a pipe opened O_WRONLY (the low bits of fdinfo's octal flags are 01).
            if (!before.contains(entry) && (flags(fd) & 3) == OpenFlags.O_WRONLY) {
                found = Integer.parseInt(fd);
            }
        }
        if (found < 0) {
            close();
            throw new IOException("no write end of the new pipe among /proc/self/fd");
        }
        writeFd = found;
    }

    /** Every descriptor as "number target", pipes only (others cannot be the new pipe). */
    private static Set<String> descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Set<String> names = new HashSet<>();
            fds.forEach(p -> {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("pipe:")) {
                        names.add(p.getFileName() + " " + target);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed already
                }
            });
            return names;
        }
    }

    private static int flags(String fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        return -1;
    }

    /** The write end's descriptor number, O_NONBLOCK. */
    int writeFd() {
        return writeFd;
    }

    /**
     * Reads what the pipe holds until {@code expectedBytes} arrived or {@code millis} passed,
     * whichever is first; bounded, so a writer that never comes cannot hang a test.
     */
    byte[] drain(long expectedBytes, long millis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (out.size() < expectedBytes && System.nanoTime() - deadline < 0) {
            buffer.clear();
            int n = pipe.source().read(buffer);
            if (n > 0) {
                out.write(buffer.array(), 0, n);
            } else {
                Thread.onSpinWait();
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
    }
}
