package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.studio.StudioServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinet lab studio}: the labs stepped segment by segment in a browser, served on 127.0.0.1. */
@Command(name = "studio", description = {"Serves the lab studio on 127.0.0.1: pick a lab, step it segment by segment or play it,",
        "drop, delay or duplicate the next segment, press CLOSE / ABORT / SEND, inject SYN or RST, predict states,",
        "and save the run as NAME.pcapng + NAME.html (the same files `spinet lab run` writes). Ctrl-C stops it."})
final class LabStudioCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "port on 127.0.0.1 (default: 8089; 0 picks a free one)")
    int port = 8089;

    @Option(names = "--lab", paramLabel = "NAME", description = "the lab the page opens with (default: handshake)")
    String lab = "handshake";

    @CommandLine.Mixin
    LabLanguageOption lang;

    @Option(names = "--out", paramLabel = "DIR", description = "the folder the page offers for saving runs (default: .)")
    Path out = Path.of(".");

    @Override
    public Integer call() throws IOException, InterruptedException {
        Lab chosen = LabCommand.find(spec, lab);
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + ": give 0..65535 (0 picks a free port)");
        }
        StudioServer studio;
        try {
            studio = StudioServer.start(port, lang.language(), chosen.name(), out);
        } catch (BindException e) {
            throw new IOException("--port " + port + ": 127.0.0.1:" + port + " is taken; give another port (or --port 0)", e);
        }
        PrintWriter console = spec.commandLine().getOut();
        console.println("lab studio: " + studio.uri() + "   (open it in a browser; Ctrl-C stops the studio)");
        console.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            studio.close();
            stopped.countDown();
        }, "studio-stop"));
        stopped.await();
        return 0;
    }
}
