package dev.spinet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * How every {@code spinet} command reports a failure: one line on stderr,
 * {@code spinet lab run: <what went wrong and what to do>}, never a stack trace or a page of
 * usage. A bad command line exits 2 and points at the command's {@code --help}; an exception a
 * command did not handle itself exits 1. {@code SPINET_DEBUG=1} adds the stack trace of an
 * unexpected exception, for whoever fixes it.
 */
final class OneLineErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    static final int EXIT_FAILED = 1;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
        } else if (ex instanceof CommandLine.MissingParameterException) {
            // picocli reports a missing required option before an unknown one; a typo in an option's
            // name is often why the required one is missing, so name both.
            List<String> unknown = unknownOptions(command.getCommandSpec(), args);
            if (!unknown.isEmpty()) {
                line.append("; unknown option").append(unknown.size() == 1 ? "" : "s").append(": ").append(String.join(", ", unknown));
            }
        }
        if (!ex.getMessage().contains("spinet ")) {
            line.append(" (see '").append(name).append(" --help')");
        }
        PrintWriter err = command.getErr();
        err.println(line);
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The arguments that look like options but are none of the command's (up to a {@code --}). */
    private static List<String> unknownOptions(CommandLine.Model.CommandSpec spec, String[] args) {
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (spec.findOption(name) == null && spec.subcommands().isEmpty()) {
                    unknown.add(name);
                }
            }
        }
        return unknown;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if ("1".equals(System.getenv("SPINET_DEBUG"))) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILED;
    }

    /** One line for a failure: file errors name the file and the reason; others their message. */
    static String describe(Throwable failure) {
        Throwable t = failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
        if (t instanceof FileSystemException fs) {
            String what = switch (fs) {
                case NoSuchFileException e -> "no such file or directory";
                case AccessDeniedException e -> "permission denied";
                case FileAlreadyExistsException e -> "already exists";
                case NotDirectoryException e -> "not a directory";
                default -> fs.getReason() == null ? "cannot access it" : fs.getReason();
            };
            return fs.getFile() + ": " + what + (fs.getOtherFile() == null ? "" : " (" + fs.getOtherFile() + ")");
        }
        if (t instanceof IOException || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        return "internal error: " + t + " (SPINET_DEBUG=1 prints the stack trace)";
    }
}
