package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabAnswerSheet;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabMessages;
import dev.spinet.lab.LabReportHtml;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.lab.LabText;
import dev.spinet.lab.Step;
import dev.spinet.lab.Side;
import dev.spinet.lab.StateDiagramSvg;
import dev.spinet.lab.TimelineText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spinet lab list|show|run|answers|studio}: the TCP state-diagram labs on two simulated boards, and their answers. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "TCP state-diagram labs on two simulated boards (no hardware, no root).",
        subcommands = {LabCommand.ListLabs.class, LabCommand.ShowLab.class, LabCommand.RunLab.class, LabCommand.AnswersLab.class,
                LabStudioCommand.class, LabQuizCommand.class, LabGradeCommand.class})
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The lab called {@code name}; a one-line usage error naming the close names (or all) otherwise. */
    static Lab find(CommandLine.Model.CommandSpec spec, String name) {
        LabCatalogue catalogue = LabCatalogue.standard();
        if (name == null || name.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "which lab? Give its NAME, one of: "
                    + String.join(", ", catalogue.names()) + " (spinet lab list says what each is about)");
        }
        if (!catalogue.exists(name)) {
            throw new CommandLine.ParameterException(spec.commandLine(), unknownLab(name));
        }
        return catalogue.lab(name);
    }

    /** "no lab called 'handshak'; did you mean handshake? ..." (also for {@code spinet run --lab}). */
    static String unknownLab(String name) {
        List<String> names = LabCatalogue.standard().names();
        String suggestion = Suggestions.didYouMean(name, names);
        return "no lab called '" + name + "'; " + (suggestion.isEmpty() ? "the labs are: " + String.join(", ", names)
                : suggestion + " (spinet lab list shows all " + names.size() + ")");
    }

    @Command(name = "list", description = "Lists the labs.")
    static final class ListLabs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        LabLanguageOption lang;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Lab lab : LabCatalogue.standard().labs()) {
                out.printf(Locale.ROOT, "%-18s %s%n", lab.name(), lab.in(lang.language()).title());
            }
            LabMessages words = LabMessages.of(lang.language());
            out.println();
            out.println(words.get("cli.list.show"));
            out.println(words.get("cli.list.run"));
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Prints a lab's text: goal, what to predict, the questions, what a board does. "
            + "With --answers (the instructor's copy) also the answers and both sides' expected transitions.")
    static final class ShowLab implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..1", hideParamSyntax = true, description = "the lab (see `spinet lab list`)")
        String name;

        @Option(names = "--answers", description = "also print the answers and the expected transitions (for the instructor)")
        boolean answers;

        @CommandLine.Mixin
        LabLanguageOption lang;

        @Override
        public Integer call() {
            Lab lab = find(spec, name).in(lang.language());
            PrintWriter out = spec.commandLine().getOut();
            print(out, lab, answers);
            out.flush();
            return 0;
        }
    }

    /** A lab's text for the console, in the lab's language; with {@code answers}, the instructor's copy. */
    static void print(PrintWriter out, Lab lab, boolean answers) {
        LabText text = LabText.load(lab.name(), lab.language());
        LabMessages words = LabMessages.of(lab.language());
        out.println(lab.name() + ": " + lab.title() + (answers ? words.get("cli.show.instructor") : ""));
        wrap(out, lab.summary(), "", "");
        wrap(out, words.format("cli.show.boards", lab.boardA(), lab.boardB(), LabRun.WIRE_DELAY_NANOS / 1_000_000), "", "");
        out.println();
        String goal = words.get("cli.show.goal");
        wrap(out, lab.goal(), goal, " ".repeat(ConsoleFold.columns(goal)));
        out.println();
        out.println(words.get("cli.show.predict"));
        items(out, lab.predict(), answers ? text.predictAnswers() : null, words);
        out.println();
        out.println(words.get(answers ? "cli.show.questions.answers" : "cli.show.questions"));
        items(out, lab.questions(), answers ? text.questionAnswers() : null, words);
        if (!lab.notes().isEmpty()) {
            out.println();
            out.println(words.get("cli.show.notes"));
            items(out, lab.notes(), null, words);
        }
        out.println();
        wrap(out, lab.boardRole(), words.format("cli.show.board", lab.name()), "  ");
        if (answers) {
            for (Side side : Side.values()) {
                out.println();
                out.println(words.format("cli.show.expected", side, lab.boardName(side)));
                int i = 1;
                for (Step step : lab.expected(side)) {
                    out.printf(Locale.ROOT, "  %2d. %s%n", i++, step);
                }
            }
        }
        out.println();
        out.println(words.format("cli.show.next", lab.name()));
        wrap(out, words.format("cli.show.next.writes", lab.name()), "      ", "      ");
    }

    private static void items(PrintWriter out, List<String> items, List<String> answers, LabMessages words) {
        String label = words.get("cli.show.answer");
        for (int i = 0; i < items.size(); i++) {
            String number = String.format(Locale.ROOT, "  %d. ", i + 1);
            wrap(out, items.get(i), number, " ".repeat(number.length()));
            if (answers != null) {
                String answer = answers.get(i).isEmpty() ? words.get("cli.show.no.answer") : answers.get(i);
                wrap(out, answer, " ".repeat(number.length()) + label, " ".repeat(number.length() + ConsoleFold.columns(label)));
            }
        }
    }

    /**
     * Prints {@code text} folded to {@link #WIDTH} columns (at spaces, and between Chinese characters:
     * {@link ConsoleFold}), the first line after {@code first}, the others after {@code rest}.
     */
    static void wrap(PrintWriter out, String text, String first, String rest) {
        for (String line : ConsoleFold.fold(text, WIDTH, first, rest)) {
            out.println(line);
        }
    }

    /** Console width the lab texts are folded to. */
    static final int WIDTH = 100;

    @Command(name = "answers", description = "The instructor's answers: every lab's predictions and questions with their answers "
            + "(or only the labs named). With --out DIR, writes them as one printable page, DIR/lab-answers.html.")
    static final class AnswersLab implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "labs to include (default: all, in `spinet lab list` order)")
        List<String> names = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "write DIR/lab-answers.html instead of printing")
        Path out;

        @CommandLine.Mixin
        LabLanguageOption lang;

        @Option(names = "--html", paramLabel = "FILE", description = "write the printable page (text answers and the quizzes' computed answers) to FILE")
        Path html;

        @Override
        public Integer call() throws IOException {
            List<Lab> labs = new ArrayList<>();
            for (String name : names) {
                labs.add(find(spec, name).in(lang.language()));
            }
            if (labs.isEmpty()) {
                for (Lab lab : LabCatalogue.standard().labs()) {
                    labs.add(lab.in(lang.language()));
                }
            }
            PrintWriter console = spec.commandLine().getOut();
            if (html != null) {
                return LabQuizSheet.write(html, labs, console);
            }
            if (out == null) {
                for (int i = 0; i < labs.size(); i++) {
                    if (i > 0) {
                        console.println();
                        console.println("-".repeat(WIDTH));
                    }
                    print(console, labs.get(i), true);
                }
                console.flush();
                return 0;
            }
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new IOException("--out " + out + ": cannot create the directory: " + OneLineErrors.describe(e), e);
            }
            Path sheet = out.resolve("lab-answers.html");
            Files.writeString(sheet, LabAnswerSheet.render(labs, "spinet " + SpinetVersion.get()), StandardCharsets.UTF_8);
            console.println(LabMessages.of(lang.language()).format("cli.answers.wrote", sheet, labs.size()));
            console.flush();
            return 0;
        }
    }

    @Command(name = "run", description = "Runs a lab in simulated time: prints the timeline, checks both sides' transitions, "
            + "and writes DIR/NAME.pcapng, DIR/NAME.svg and DIR/NAME.html. Exit status 1 on a mismatch.")
    static final class RunLab implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..1", hideParamSyntax = true, description = "the lab (see `spinet lab list`)")
        String name;

        @Option(names = "--out", paramLabel = "DIR", description = "where to write NAME.pcapng, NAME.svg and NAME.html (default: .)")
        Path out = Path.of(".");

        @Option(names = "--seed", paramLabel = "N", description = "seed for initial sequence numbers (default: 1); transitions do not depend on it")
        long seed = 1;

        @CommandLine.Mixin
        LabLanguageOption lang;

        @Override
        public Integer call() throws IOException {
            Lab lab = find(spec, name).in(lang.language());
            // Before the timeline, so a bad --out is the only thing printed.
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new IOException("--out " + out + ": cannot create the directory: " + OneLineErrors.describe(e), e);
            }
            if (!Files.isWritable(out)) {
                throw new IOException("--out " + out + ": cannot write there; give a directory you may write to");
            }
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
            console.println(LabMessages.of(lab.language()).format("cli.run.wrote", pcap, svg, html));
            console.flush();
            return result.passed() ? 0 : 1;
        }
    }
}
