package dev.spinet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spinet} command. Subcommands are registered here; each lives in its own file. */
@Command(name = "spinet", mixinStandardHelpOptions = true, versionProvider = SpinetVersion.class,
        description = "Spinet: a TCP/IPv4 stack for Raspberry Pi boards with SPI Ethernet controllers.",
        subcommands = {DemoCommand.class, RunCommand.class, SelftestCommand.class, DoctorCommand.class, LabCommand.class, ClassCommand.class,
                CommandLine.HelpCommand.class})
public final class SpinetMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with every subcommand (tests use this to run commands in-process). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpinetMain());
        cli.addSubcommand(new dev.spinet.image.ImageCommand(new dev.spinet.lab.CatalogueLabNames()));
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
