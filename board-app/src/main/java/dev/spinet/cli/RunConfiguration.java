package dev.spinet.cli;

import dev.spinet.app.RunOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code spinet run}'s own reading of a configuration file, for code that writes one: {@code spinet
 * image build} checks the {@code spinet.properties} it is about to put on a card with it, so what
 * the desk accepts is what the board accepts, with the same words.
 */
public final class RunConfiguration {

    private RunConfiguration() {
    }

    /**
     * Reads {@code settings} as {@code spinet run --config FILE} with no other option would, and
     * validates them. Nothing is opened or started.
     *
     * @param settings keys are run's long option names without the dashes
     * @param source   the file's name in messages
     * @throws IllegalArgumentException with run's message for the first setting it refuses
     */
    public static RunOptions check(Map<String, String> settings, String source) {
        RunCommand command = new RunCommand();
        CommandLine cli = new CommandLine(command);
        CommandLine.ParseResult parsed = cli.parseArgs();
        Properties properties = new Properties();
        properties.putAll(settings);
        ConfigFile.apply(properties, Path.of(source), command.spec, parsed);
        return command.validate();
    }
}
