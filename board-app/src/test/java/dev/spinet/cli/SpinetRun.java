package dev.spinet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One command run in process through picocli with its standard output and standard error captured:
 * what the command-line tests assert on.
 *
 * @param status the exit status
 * @param out    everything printed on stdout
 * @param err    everything printed on stderr
 */
record SpinetRun(int status, String out, String err) {

    /** {@code spinet ARGS}. */
    static SpinetRun spinet(String... args) {
        return of(SpinetMain.commandLine(), args);
    }

    /** {@code spinet ARGS}. */
    static SpinetRun spinet(List<String> args) {
        return spinet(args.toArray(new String[0]));
    }

    /** {@code args} given to {@code cli}: a command built with a test's own input or environment. */
    static SpinetRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new SpinetRun(status, out.toString(), err.toString());
    }

    /** The command line and what it printed, for a failure message. */
    String describe(List<String> args) {
        return "spinet " + String.join(" ", args) + " -> exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
