package dev.spinet.app;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spinet run --app CLASS [ARGS]}: a user's program hosted on a running stack
 * (docs/applications.md, "Hosting an application"). The class is found first, on
 * {@code --app-classpath} or else the class path {@code spinet} runs with, so that a missing class
 * or a class without a main method is one line before any device opens. Then the stack starts
 * as {@code spinet run} starts it, {@link Spinet#current()} returns it, and the class's main
 * method runs on a virtual thread named {@code main}; when main returns the stack stops and the
 * command exits 0, when it throws the exception is printed as the {@code java} launcher prints it
 * and the command exits 1, and {@code System.exit(n)} exits with n after the shutdown hook
 * stopped the stack.
 */
public final class HostedApplication {

    /** Exit status when main ended with an exception, as the {@code java} launcher's. */
    public static final int EXIT_APPLICATION_FAILED = 1;
    /** How long main may take to return after the stack was stopped by a signal. */
    static final long MAIN_GRACE_MILLIS = 5_000;

    private final Class<?> mainClass;
    private final Method main;
    private final ClassLoader loader;

    private HostedApplication(Class<?> mainClass, Method main, ClassLoader loader) {
        this.mainClass = mainClass;
        this.main = main;
        this.loader = loader;
    }

    /**
     * Finds {@code className} and its main method.
     *
     * @param classPath {@code --app-classpath}: jars and directories separated by
     *     {@link File#pathSeparator}, or null for the class path {@code spinet} runs with
     * @throws IllegalArgumentException one line: the class path entry that does not exist, the
     *     class that is not found, or the class without a main method
     */
    public static HostedApplication find(String className, String classPath) {
        ClassLoader loader = HostedApplication.class.getClassLoader();
        if (classPath != null) {
            List<URL> urls = new ArrayList<>();
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path path = Path.of(entry);
                if (!Files.exists(path)) {
                    throw new IllegalArgumentException("--app-classpath " + entry + ": no such jar or directory");
                }
                try {
                    urls.add(path.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("--app-classpath " + entry + ": " + e.getMessage());
                }
            }
            // Spinet's own classes come from the parent, so the application sees the same Spinet.current().
            loader = new URLClassLoader("app", urls.toArray(new URL[0]), loader);
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--app " + className + ": class not found on "
                    + (classPath == null ? "spinet's class path; give the application's jar with --app-classpath" : "--app-classpath " + classPath));
        } catch (LinkageError e) {
            throw new IllegalArgumentException("--app " + className + ": cannot be loaded: " + e);
        }
        return new HostedApplication(type, mainMethod(type), loader);
    }

    /**
     * {@code static void main(String[])}, else the other launch forms of JEP 512 (Java 25): a
     * static {@code main()}, or an instance {@code main(String[])} / {@code main()} on an
     * instance made with the class's no-argument constructor; not private, as the launcher
     * requires.
     */
    private static Method mainMethod(Class<?> type) {
        Method found = null;
        for (Class<?>[] parameters : List.<Class<?>[]>of(new Class<?>[] {String[].class}, new Class<?>[0])) {
            for (boolean wantStatic : new boolean[] {true, false}) {
                Method candidate = declaredOrInherited(type, parameters);
                if (found == null && candidate != null && Modifier.isStatic(candidate.getModifiers()) == wantStatic
                        && !Modifier.isPrivate(candidate.getModifiers()) && candidate.getReturnType() == void.class) {
                    found = candidate;
                }
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("--app " + type.getName() + ": has no main method; declare"
                    + " 'public static void main(String[] args)'");
        }
        found.setAccessible(true);
        return found;
    }

    private static Method declaredOrInherited(Class<?> type, Class<?>[] parameters) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod("main", parameters);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return null;
    }

    /**
     * Starts the stack on {@code runner}, runs main with {@code arguments} and stops the stack
     * when main ends.
     *
     * @param err where main's exception is printed
     * @return 0 when main returned, {@link #EXIT_APPLICATION_FAILED} when it threw or did not return
     *     within {@link #MAIN_GRACE_MILLIS} of a stop by signal
     * @throws RuntimeException from {@link Spinet#start(BoardRunner)} when the board cannot start
     */
    public int run(BoardRunner runner, String[] arguments, PrintStream err) throws InterruptedException {
        Spinet spinet = Spinet.start(runner);
        Throwable[] failure = new Throwable[1];
        Thread mainThread = Thread.ofVirtual().name("main").unstarted(() -> {
            try {
                Object target = Modifier.isStatic(main.getModifiers()) ? null : newInstance();
                main.invoke(target, main.getParameterCount() == 0 ? new Object[0] : new Object[] {arguments.clone()});
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (ReflectiveOperationException | RuntimeException e) {
                failure[0] = e;
            }
        });
        mainThread.setContextClassLoader(loader);
        Spinet.hosting(spinet);
        try {
            mainThread.start();
            while (!mainThread.join(java.time.Duration.ofMillis(100))) {
                if (runner.awaitFinished(0)) {
                    // Stopped by a signal: the application's sockets failed; give main a moment to notice.
                    if (!mainThread.join(java.time.Duration.ofMillis(MAIN_GRACE_MILLIS))) {
                        err.println("spinet run: the stack stopped and " + mainClass.getName() + ".main did not return within "
                                + MAIN_GRACE_MILLIS / 1000 + " s");
                        err.flush();
                        return EXIT_APPLICATION_FAILED;
                    }
                }
            }
        } finally {
            spinet.close();
            Spinet.hosting(null);
        }
        if (failure[0] != null) {
            err.print("Exception in thread \"main\" ");
            failure[0].printStackTrace(err);
            err.flush();
            return EXIT_APPLICATION_FAILED;
        }
        return 0;
    }

    private Object newInstance() throws ReflectiveOperationException {
        Constructor<?> constructor = mainClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
