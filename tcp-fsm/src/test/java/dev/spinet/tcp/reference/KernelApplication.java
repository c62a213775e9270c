package dev.spinet.tcp.reference;

import dev.spinet.testkit.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The application on the Linux side: {@code kernel_tcp_app.py} in the namespace, making the
 * socket calls a scenario asks for (listen, connect, send, read, shutdown, close, abort), one
 * line per command, answered "ok ..." or "err ...".
 */
final class KernelApplication implements AutoCloseable {

    private static final String SCRIPT = "kernel_tcp_app.py";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    KernelApplication(Netns netns, String kernelIp, String peerIp) throws IOException {
        String script;
        try (InputStream in = KernelApplication.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from the test resources");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(netns.inside("python3", "-u", "-c", script, kernelIp, peerIp));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    replies.add(line);
                }
            } catch (IOException e) {
                replies.add("err output closed: " + e.getMessage());
            }
            replies.add("err the application exited");
        });
    }

    /** Sends one command; returns the text after "ok", or throws with the application's error. */
    String command(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
            String reply = replies.poll(5, TimeUnit.SECONDS);
            if (reply == null) {
                throw new IllegalStateException("the kernel-side application did not answer '" + line + "' within 5 s");
            }
            if (!reply.startsWith("ok")) {
                throw new IllegalStateException("kernel-side '" + line + "': " + reply);
            }
            return reply.substring(2).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the kernel-side application is gone: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            command("quit");
        } catch (IllegalStateException ignored) {
            // already gone: destroying it below is all that is left to do
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
