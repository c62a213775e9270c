package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.grade.GradeReport;
import dev.spinet.lab.grade.Grader;
import dev.spinet.lab.grade.LabTraces;
import dev.spinet.lab.grade.StateScenarios;
import dev.spinet.lab.grade.Trace;
import dev.spinet.student.ConnectionMachine;
import dev.spinet.student.SpinetMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spinet lab grade --impl student.jar}: loads a {@link ConnectionMachine} from a jar, replays
 * every lab's connections and the per-state scenarios against it and prints a report per edge of
 * the state diagram. Without {@code --impl} it grades Spinet's own engine ({@link SpinetMachine}).
 */
@Command(name = "grade", description = {"Grades a connection-state machine written against dev.spinet.student.ConnectionMachine:",
        "replays every lab's connections and the per-state scenarios against it, with Spinet's engine as the reference,",
        "and prints pass/fail per edge of the state diagram with the first difference and the RFC 9293 clause.",
        "Without --impl, grades Spinet's own engine. Exit status 1 when an edge fails."})
final class LabGradeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--impl", paramLabel = "JAR", description = "the jar with the machine (compiled against the spinet jar)")
    Path jar;

    @Option(names = "--class", paramLabel = "NAME", description = "the machine's class (default: the one class in the jar that implements ConnectionMachine)")
    String className;

    @Parameters(paramLabel = "LAB", arity = "0..*", description = "labs to replay (default: all, and the per-state scenarios)")
    List<String> labs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<Trace> traces = new ArrayList<>();
        List<Lab> chosen = new ArrayList<>();
        for (String name : labs) {
            chosen.add(LabCommand.find(spec, name));
        }
        boolean all = chosen.isEmpty();
        if (all) {
            chosen.addAll(LabCatalogue.standard().labs());
        }
        Function<Trace, ConnectionMachine> machines;
        String implementation;
        URLClassLoader loader = null;
        if (jar == null) {
            machines = trace -> new SpinetMachine(trace.config());
            implementation = "Spinet's own engine (" + SpinetMachine.class.getName() + ")";
        } else {
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--impl " + jar + ": no such file; give the jar your machine is in");
            }
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, LabGradeCommand.class.getClassLoader());
            String name = className != null ? className : discover(jar, loader);
            Constructor<? extends ConnectionMachine> constructor = constructor(loader, name);
            machines = trace -> {
                try {
                    return constructor.newInstance();
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("its constructor threw " + e.getCause(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e.toString(), e);
                }
            };
            implementation = name + " from " + jar.getFileName();
        }
        for (Lab lab : chosen) {
            traces.addAll(LabTraces.of(lab).traces());
        }
        String scenarios = chosen.size() + (chosen.size() == 1 ? " lab" : " labs");
        if (all) {
            List<Trace> perState = StateScenarios.traces();
            traces.addAll(perState);
            scenarios += " and " + StateScenarios.count() + " per-state scenarios";
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            GradeReport report = Grader.grade(implementation, scenarios, traces, machines);
            out.print(report.format());
            out.flush();
            return report.passed() ? 0 : 1;
        } catch (IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } finally {
            if (loader != null) {
                loader.close();
            }
        }
    }

    /** The one public, concrete class in the jar that implements ConnectionMachine. */
    private String discover(Path file, ClassLoader loader) throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile jarFile = new JarFile(file.toFile())) {
            Enumeration<JarEntry> entries = jarFile.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                if (!entry.endsWith(".class") || entry.contains("$") || entry.endsWith("module-info.class")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    if (ConnectionMachine.class.isAssignableFrom(type) && !type.isInterface()
                            && !Modifier.isAbstract(type.getModifiers()) && Modifier.isPublic(type.getModifiers())) {
                        found.add(name);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class that does not load is not the machine
                }
            }
        }
        if (found.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--impl " + file + ": "
                    + (found.isEmpty() ? "no public class in it implements dev.spinet.student.ConnectionMachine"
                    : "several classes implement ConnectionMachine (" + String.join(", ", found) + "); say which with --class"));
        }
        return found.getFirst();
    }

    private Constructor<? extends ConnectionMachine> constructor(ClassLoader loader, String name) {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--class " + name + ": not in " + jar
                    + " (give the full name, e.g. student.MyMachine)");
        }
        if (!ConnectionMachine.class.isAssignableFrom(type)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--class " + name
                    + ": does not implement dev.spinet.student.ConnectionMachine");
        }
        try {
            return type.asSubclass(ConnectionMachine.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--class " + name
                    + ": needs a public constructor without arguments (the grader makes one machine per connection)");
        }
    }
}
