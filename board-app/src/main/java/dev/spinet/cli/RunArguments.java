package dev.spinet.cli;

import dev.spinet.app.RunOptions;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * {@code spinet run}'s options parsed and checked without running anything: what
 * {@link dev.spinet.app.Spinet#start(String...)} takes, so a program that embeds Spinet is
 * configured with the same flags (and the same {@code --config} file) as the command.
 */
public final class RunArguments {

    private RunArguments() {
    }

    /**
     * @param arguments {@code spinet run} options, e.g. {@code --hal sim-w5500 --tap sp0 --ip 10.0.0.2/24};
     *                  without {@code --services} no service runs (the command's default starts four)
     * @throws IllegalArgumentException one line saying which option is wrong and what it expects
     */
    public static RunOptions parse(String... arguments) {
        RunCommand command = parsed(arguments);
        if (command.app != null || command.appClasspath != null || !command.appArguments.isEmpty()) {
            throw new IllegalArgumentException("--app, --app-classpath and application arguments belong to the spinet command;"
                    + " a program that starts Spinet itself runs its own code");
        }
        return command.validate();
    }

    /**
     * The {@code --dns-server} addresses among {@code arguments} (or in their {@code --config}
     * file), as {@link dev.spinet.app.BoardRunner#dnsServers} takes them; empty when none is given
     * (the resolver then asks the servers of the DHCP lease).
     *
     * @throws IllegalArgumentException one line saying which option is wrong and what it expects
     */
    public static int[] dnsServers(String... arguments) {
        return DnsServerOption.parse("--dns-server", parsed(arguments).dnsServers);
    }

    private static RunCommand parsed(String... arguments) {
        boolean servicesGiven = Arrays.stream(arguments).anyMatch(a -> a.equals("--services") || a.startsWith("--services="));
        String[] effective = arguments;
        if (!servicesGiven) {
            effective = Arrays.copyOf(arguments, arguments.length + 2);
            effective[arguments.length] = "--services";
            effective[arguments.length + 1] = "none";
        }
        RunCommand command = new RunCommand();
        CommandLine cli = new CommandLine(command);
        try {
            cli.parseArgs(effective);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (command.config != null) {
            ConfigFile.apply(ConfigFile.load(command.config), command.config, command.spec, cli.getParseResult());
        }
        return command;
    }
}
