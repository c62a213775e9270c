package dev.spinet.cli;

import dev.spinet.lab.LabLanguage;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --lang en|zh} for the lab commands, as a picocli mixin: {@code @CommandLine.Mixin LabLanguageOption lang;}
 * then {@code lab.in(lang.language())}. Without the option, the JVM's locale decides (Chinese when
 * its language is zh, English otherwise).
 */
public final class LabLanguageOption {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    private LabLanguage language;

    @Option(names = "--lang", paramLabel = "en|zh",
            description = "language of the lab's text and output: en (English) or zh (Simplified Chinese); default: from the locale (zh if its language is zh)")
    void language(String code) {
        try {
            language = LabLanguage.parse(code);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lang " + code + ": " + e.getMessage());
        }
    }

    /** The language given with --lang, else the locale's. */
    public LabLanguage language() {
        return language != null ? language : LabLanguage.fromDefaultLocale();
    }
}
