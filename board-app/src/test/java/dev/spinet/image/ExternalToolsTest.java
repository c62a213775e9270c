package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing tool skips with a message, except under CI=true, where it fails. */
class ExternalToolsTest {

    @Test
    void missingToolSkipsOrFailsUnderCi() {
        boolean ci = "true".equals(System.getenv("CI"));
        Class<? extends Throwable> expected = ci ? AssertionFailedError.class : TestAbortedException.class;
        Throwable t = assertThrows(expected, () -> ExternalTools.require("spinet-no-such-tool", "no-such-package"));
        assertTrue(t.getMessage().contains("install Debian package no-such-package"), t.getMessage());
    }

    @Test
    void presentToolPasses() {
        ExternalTools.require("sh", "dash");
    }
}
