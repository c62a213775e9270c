package dev.spinet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spinet} command. Subcommands are registered here; each lives in its own file. Every
 * command, however deep, takes {@code -h}/{@code --help} and {@code -V}/{@code --version}
 * (inherited from here), and every error is one line ({@link OneLineErrors}).
 */
@Command(name = "spinet", mixinStandardHelpOptions = true, versionProvider = SpinetVersion.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Spinet: a TCP/IPv4 stack for Raspberry Pi boards with SPI Ethernet controllers.",
        subcommands = {DemoCommand.class, RunCommand.class, DigCommand.class, SelftestCommand.class, DoctorCommand.class, LabCommand.class,
            ClassCommand.class, CommandLine.HelpCommand.class})
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
        OneLineErrors errors = new OneLineErrors();
        cli.setParameterExceptionHandler(errors);
        cli.setExecutionExceptionHandler(errors);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
