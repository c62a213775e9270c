package dev.spinet.harness.net;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A JUnit 5 extension for randomized tests: when a test fails, it prints
 * {@code seed=N (rerun with -Dspinet.seed=N)} for every seed the test used (via {@link Seeds#seed()}
 * or a {@link FaultInjector}) to standard error, and attaches the same line to the failure as a
 * suppressed exception so it shows in the Surefire report next to the stack trace.
 *
 * <pre>
 * &#64;ExtendWith(SeedReporter.class)
 * class LossyTransferTest {
 *     private final long seed = Seeds.seed();
 *     ...
 * }
 * </pre>
 */
public final class SeedReporter implements TestInstancePreConstructCallback, TestExecutionExceptionHandler, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeedReporter.class);
    private static final String KEY = "seeds";

    /** The line attached to a failure; not an error of its own. */
    public static final class SeedNote extends Exception {
        SeedNote(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        Seeds.clearRecorded();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        long[] seeds = Seeds.recorded();
        context.getStore(NAMESPACE).put(KEY, seeds);
        for (long seed : seeds) {
            throwable.addSuppressed(new SeedNote(Seeds.rerunHint(seed)));
        }
        throw throwable;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        long[] seeds = context.getStore(NAMESPACE).get(KEY, long[].class);
        if (seeds == null) {
            seeds = Seeds.recorded();
        }
        String test = context.getDisplayName();
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isPresent()) {
            test = testClass.get().getSimpleName() + "." + test;
        }
        if (seeds.length == 0) {
            System.err.println(test + " failed; it recorded no seed (take it from Seeds.seed() to make it replayable)");
        }
        for (long seed : seeds) {
            System.err.println(test + " failed with " + Seeds.rerunHint(seed));
            context.publishReportEntry(Seeds.PROPERTY, Long.toString(seed));
        }
    }
}
