package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.lab.quiz.Quiz;
import dev.spinet.lab.quiz.QuizLanguage;
import dev.spinet.lab.quiz.QuizConsole;
import dev.spinet.lab.quiz.QuizValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spinet lab quiz NAME}: asks the lab's machine-checked questions on the console, checks each
 * answer against a run of the lab and prints the score. Answers are read one per line, so a file of
 * answers can be piped in.
 */
@Command(name = "quiz", description = {"Asks a lab's quiz: states, edges, sequence numbers and counts, each answer",
        "checked against a run of the lab; prints the score. Reads one answer per line (pipe a file in to script it)."})
final class LabQuizCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", hideParamSyntax = true, description = "the lab (see `spinet lab list`)")
    String name;

    @Option(names = "--lang", paramLabel = "en|zh", description = "language of the questions: en (default) or zh (简体中文)")
    String language = "en";

    @Option(names = "--seed", paramLabel = "N", description = "seed of the run the answers are checked against (default: 1, as spinet lab run)")
    long seed = 1;

    private final InputStream in;

    LabQuizCommand() {
        this(System.in);
    }

    LabQuizCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        Lab lab = LabCommand.find(spec, name);
        QuizLanguage lang = QuizLanguage.parse(language);
        if (lang == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lang " + language + ": say en or zh");
        }
        Quiz quiz = Quiz.load(lab.name());
        LabResult run = LabRun.run(lab, seed);
        List<QuizValue> answers = quiz.answers(run);
        PrintWriter out = spec.commandLine().getOut();
        QuizConsole.ask(quiz, answers, lang, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out);
        return 0;
    }
}
