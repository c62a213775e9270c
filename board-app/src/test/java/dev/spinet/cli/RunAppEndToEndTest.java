package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet run --app}: a user's application, compiled here into a jar of its own (so that
 * only {@code --app-classpath} can supply it), hosted on a board on a TAP in the test's namespace.
 * It connects through {@code Spinet.current().socketFactory()} to a kernel echo server (Python)
 * on the TAP's other side and prints what came back; the command's exit status is the
 * application's. The one-line errors for a missing class, a class without main, a missing jar
 * and stray arguments are checked in process, without root.
 */
@Timeout(180)
class RunAppEndToEndTest {

    private static final String KERNEL_IP = "10.84.1.1";
    private static final String TAP = "spapp0";
    private static final String APP_CLASS = "example.EchoOverSpinet";

    /** The user's application: the arguments are host, port, text and an exit status (optional). */
    private static final String APP_SOURCE = """
            package example;

            import dev.spinet.app.Spinet;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;

            public class EchoOverSpinet {
                public static void main(String[] args) throws Exception {
                    try (Socket socket = Spinet.current().socketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
                        socket.getOutputStream().write(args[2].getBytes(StandardCharsets.UTF_8));
                        socket.shutdownOutput();
                        String back = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        System.out.println("echoed: " + back + " (" + (Thread.currentThread().isVirtual() ? "virtual" : "platform")
                                + " thread " + Thread.currentThread().getName() + ")");
                    }
                    if (args.length > 3) {
                        System.exit(Integer.parseInt(args[3]));
                    }
                }
            }
            """;

    private static final String ECHO_SERVER = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen()
            print('listening', flush=True)
            while True:
                c, _ = s.accept()
                with c:
                    while True:
                        d = c.recv(4096)
                        if not d:
                            break
                        c.sendall(d)
            """;

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        picocli.CommandLine cli = SpinetMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Compiles {@link #APP_SOURCE} against this class path into a jar holding only the application. */
    private Path applicationJar() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/example")).resolve("EchoOverSpinet.java");
        Files.writeString(source, APP_SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter output = new StringWriter();
        boolean compiled = javac.getTask(output, null, null, List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        assertTrue(compiled, output::toString);
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("example/EchoOverSpinet.class"));
            out.write(Files.readAllBytes(classes.resolve("example/EchoOverSpinet.class")));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void theApplicationEchoesThroughSpinetAndItsExitStatusIsTheCommands() throws Exception {
        Path jar = applicationJar();
        try (Netns netns = Netns.create("app", "python3")) {
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.execOk(10, "ip", "tuntap", "add", "dev", TAP, "mode", "tap");
            netns.execOk(10, "ip", "addr", "add", KERNEL_IP + "/24", "dev", TAP);
            netns.execOk(10, "ip", "link", "set", TAP, "up");
            Process echo = new ProcessBuilder(netns.inside("python3", "-u", "-c", ECHO_SERVER, KERNEL_IP, "7007"))
                    .redirectErrorStream(true).start();
            try {
                CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8))) {
                        return reader.readLine();
                    } catch (IOException e) {
                        return e.toString();
                    }
                });
                assertEquals("listening", listening.get(20, TimeUnit.SECONDS));

                String[] board = {"run", "--hal", "tap", "--tap", TAP, "--ip", "10.84.1.2/24", "--services", "none",
                        "--app-classpath", jar.toString(), "--app", APP_CLASS};
                try (SpinetProcess spinet = new SpinetProcess(netns, concat(board, KERNEL_IP, "7007", "hello spinet"))) {
                    int status = spinet.waitForExit(60);
                    Thread.sleep(300); // the output pumps read to the end
                    String described = "status " + status + "\nstdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr();
                    assertEquals(0, status, described);
                    assertTrue(spinet.stdout().contains("spinet ready ip=10.84.1.2"), described);
                    assertTrue(spinet.stdout().contains("echoed: hello spinet (virtual thread main)"), described);
                    assertTrue(spinet.stdout().contains("spinet stopped"), "the stack stopped when main returned: " + described);
                }
                try (SpinetProcess spinet = new SpinetProcess(netns, concat(board, KERNEL_IP, "7007", "then exit", "3"))) {
                    int status = spinet.waitForExit(60);
                    Thread.sleep(300);
                    String described = "status " + status + "\nstdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr();
                    assertEquals(3, status, described);
                    assertTrue(spinet.stdout().contains("echoed: then exit"), described);
                    assertTrue(spinet.stdout().contains("spinet stopped"), "System.exit stops the stack too: " + described);
                }
                try (SpinetProcess spinet = new SpinetProcess(netns, concat(board, KERNEL_IP, "7008", "nobody listens"))) {
                    int status = spinet.waitForExit(60);
                    Thread.sleep(300);
                    String described = "status " + status + "\nstdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr();
                    assertEquals(1, status, described);
                    assertTrue(spinet.stderr().startsWith("Exception in thread \"main\" java.net.ConnectException: Connection refused"),
                            described);
                    assertTrue(spinet.stdout().contains("spinet stopped"), described);
                }
            } finally {
                echo.destroyForcibly();
                echo.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aMissingClassOrMainOrJarIsOneLineBeforeAnythingStarts() throws Exception {
        String[] board = {"run", "--hal", "tap", "--tap", TAP, "--ip", "10.84.1.2/24"};
        assertEquals(RunCommand.EXIT_USAGE, execute(concat(board, "--app", "com.example.Missing")));
        assertEquals("spinet run: --app com.example.Missing: class not found on spinet's class path; give the application's jar"
                + " with --app-classpath", err.toString().strip());
        err.getBuffer().setLength(0);

        Path jar = applicationJar();
        assertEquals(RunCommand.EXIT_USAGE, execute(concat(board, "--app-classpath", jar.toString(), "--app", "example.Other")));
        assertEquals("spinet run: --app example.Other: class not found on --app-classpath " + jar, err.toString().strip());
        err.getBuffer().setLength(0);

        assertEquals(RunCommand.EXIT_USAGE, execute(concat(board, "--app", RunArguments.class.getName())));
        assertEquals("spinet run: --app dev.spinet.cli.RunArguments: has no main method; declare 'public static void main(String[] args)'",
                err.toString().strip());
        err.getBuffer().setLength(0);

        assertEquals(RunCommand.EXIT_USAGE, execute(concat(board, "--app-classpath", dir.resolve("none.jar").toString(), "--app", APP_CLASS)));
        assertEquals("spinet run: --app-classpath " + dir.resolve("none.jar") + ": no such jar or directory", err.toString().strip());
        err.getBuffer().setLength(0);

        assertEquals(RunCommand.EXIT_USAGE, execute(concat(board, "stray")));
        assertEquals("spinet run: unexpected argument 'stray': spinet run takes options only; application arguments follow --app CLASS",
                err.toString().strip());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }
}
