package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabReportHtml;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.lab.Step;
import dev.spinet.lab.Side;
import dev.spinet.lab.StateDiagramSvg;
import dev.spinet.lab.TimelineText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spinet lab list|show|run}: the TCP state-diagram labs on two simulated boards. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "TCP state-diagram labs on two simulated boards (no hardware, no root).",
        subcommands = {LabCommand.ListLabs.class, LabCommand.ShowLab.class, LabCommand.RunLab.class})
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Lab find(CommandLine.Model.CommandSpec spec, String name) {
        try {
            return LabCatalogue.standard().lab(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Command(name = "list", description = "Lists the labs.")
    static final class ListLabs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Lab lab : LabCatalogue.standard().labs()) {
                out.printf(Locale.ROOT, "%-18s %s%n", lab.name(), lab.title());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Prints a lab's text: goal, predictions, questions, board role, expected transitions.")
    static final class ShowLab implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the lab (see `spinet lab list`)")
        String name;

        @Override
        public Integer call() {
            Lab lab = find(spec, name);
            PrintWriter out = spec.commandLine().getOut();
            out.println(lab.name() + ": " + lab.title());
            out.println();
            out.println(lab.summary());
            out.println();
            out.println("Goal: " + lab.goal());
            out.println();
            out.println("Predict before you run it:");
            lab.predict().forEach(p -> out.println("  - " + p));
            out.println();
            out.println("Questions:");
            lab.questions().forEach(q -> out.println("  - " + q));
            out.println();
            out.println("On a board (spinet run --lab " + lab.name() + "): " + lab.boardRole());
            for (Side side : Side.values()) {
                out.println();
                out.println("Expected transitions of " + side + " (" + lab.boardName(side) + "):");
                int i = 1;
                for (Step step : lab.expected(side)) {
                    out.printf(Locale.ROOT, "  %2d. %s%n", i++, step);
                }
            }
            out.println();
            out.println("Run it: spinet lab run " + lab.name() + " --out DIR");
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", description = {"Runs a lab in simulated time: prints the timeline, checks both sides' transitions,",
            "and writes DIR/NAME.pcapng, DIR/NAME.svg and DIR/NAME.html. Exit status 1 on a mismatch."})
    static final class RunLab implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the lab (see `spinet lab list`)")
        String name;

        @Option(names = "--out", paramLabel = "DIR", description = "where to write NAME.pcapng, NAME.svg and NAME.html (default: .)")
        Path out = Path.of(".");

        @Option(names = "--seed", paramLabel = "N", description = "seed for initial sequence numbers (default: 1); transitions do not depend on it")
        long seed = 1;

        @Override
        public Integer call() throws IOException {
            Lab lab = find(spec, name);
            LabResult result = LabRun.run(lab, seed);
            PrintWriter console = spec.commandLine().getOut();
            console.print(TimelineText.format(result));
            Files.createDirectories(out);
            Path pcap = out.resolve(lab.name() + ".pcapng");
            Path svg = out.resolve(lab.name() + ".svg");
            Path html = out.resolve(lab.name() + ".html");
            Files.write(pcap, result.pcapng());
            Files.writeString(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + StateDiagramSvg.render(result), StandardCharsets.UTF_8);
            Files.writeString(html, LabReportHtml.render(result, pcap.getFileName().toString()), StandardCharsets.UTF_8);
            console.println("wrote " + pcap + " (Wireshark), " + svg + ", " + html);
            console.flush();
            return result.passed() ? 0 : 1;
        }
    }
}
