package dev.spinet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spinet} command. Subcommands are registered here; each lives in its own file. */
@Command(name = "spinet", mixinStandardHelpOptions = true, versionProvider = SpinetVersion.class,
        description = "Spinet: a TCP/IPv4 stack for Raspberry Pi boards with SPI Ethernet controllers.",
        subcommands = {DemoCommand.class, LabCommand.class, CommandLine.HelpCommand.class})
public final class SpinetMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with every subcommand (tests use this to run commands in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new SpinetMain());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
