package dev.spinet.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code --config FILE}: a Java properties file whose keys are the command's long option names
 * without the dashes ({@code hal=tap}, {@code spi-hz=20000000}, {@code trace=true}). A value
 * from the file applies only when the option was not given on the command line, so flags
 * override the file. Unknown keys are an error (a typo must not pass silently).
 */
final class ConfigFile {

    private ConfigFile() {
    }

    static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it: " + e.getMessage());
        }
        return properties;
    }

    /**
     * Sets every option of {@code spec} that the command line left unset and {@code properties}
     * names. {@code config} itself cannot be set from the file.
     */
    static void apply(Properties properties, Path file, CommandSpec spec, ParseResult parsed) {
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            String key = key(option);
            if (key != null) {
                known.add(key);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new IllegalArgumentException("--config " + file + ": unknown key(s) " + unknown + "; known keys: " + known);
        }
        for (OptionSpec option : spec.options()) {
            String key = key(option);
            if (key == null || parsed.hasMatchedOption(option) || !properties.containsKey(key)) {
                continue;
            }
            String value = properties.getProperty(key).trim();
            option.setValue(convert(option, key, value, file));
        }
    }

    /** The file key of an option, or null for options the file cannot set. */
    private static String key(OptionSpec option) {
        String name = option.longestName();
        if (!name.startsWith("--") || option.usageHelp() || option.versionHelp() || name.equals("--config")) {
            return null;
        }
        return name.substring(2);
    }

    /** Whether a file's text can be turned into an option of this type. */
    static boolean converts(Class<?> type) {
        return type == int.class || type == Integer.class || type == double.class || type == Double.class
                || type == boolean.class || type == Boolean.class || type == Path.class || type == String.class;
    }

    private static Object convert(OptionSpec option, String key, String value, Path file) {
        Class<?> type = option.type();
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.decode(value.replace("_", ""));
            }
            if (type == double.class || type == Double.class) {
                return Double.valueOf(value);
            }
            if (type == boolean.class || type == Boolean.class) {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.equals("true") || v.equals("yes") || v.equals("on")) {
                    return true;
                }
                if (v.equals("false") || v.equals("no") || v.equals("off")) {
                    return false;
                }
                throw new IllegalArgumentException("expected true or false");
            }
            if (type == Path.class) {
                return Path.of(value);
            }
            if (type == String.class) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + file + ": " + key + "=" + value + ": " + e.getMessage());
        }
        throw new IllegalStateException("option --" + key + " has type " + type.getName() + ", which ConfigFile cannot convert");
    }
}
