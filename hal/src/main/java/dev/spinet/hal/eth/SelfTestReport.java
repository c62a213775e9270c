package dev.spinet.hal.eth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of a controller self-test (chip identity, reset, register write/read-back, link,
 * loopback): what {@code spinet selftest} prints on a real board. Built off the packet path, so it
 * allocates freely.
 */
public final class SelfTestReport {

    /**
     * The result of one check. INFO: the step ran and what it saw is reported, but it cannot
     * decide whether the board works (the chip's own errata say the step may fail on good
     * hardware), so it never fails the report.
     */
    public enum Status { PASS, FAIL, SKIPPED, INFO }

    /** One named check with what was observed. */
    public record Check(String name, Status status, String detail) {
    }

    private final String chip;
    private final List<Check> checks = new ArrayList<>();

    public SelfTestReport(String chip) {
        this.chip = chip;
    }

    public SelfTestReport pass(String name, String detail) {
        checks.add(new Check(name, Status.PASS, detail));
        return this;
    }

    public SelfTestReport fail(String name, String detail) {
        checks.add(new Check(name, Status.FAIL, detail));
        return this;
    }

    public SelfTestReport skip(String name, String detail) {
        checks.add(new Check(name, Status.SKIPPED, detail));
        return this;
    }

    public SelfTestReport info(String name, String detail) {
        checks.add(new Check(name, Status.INFO, detail));
        return this;
    }

    public SelfTestReport check(String name, boolean ok, String detail) {
        return ok ? pass(name, detail) : fail(name, detail);
    }

    /** The chip the test ran against, e.g. "W5500" or "ENC28J60". */
    public String chip() {
        return chip;
    }

    public List<Check> checks() {
        return Collections.unmodifiableList(checks);
    }

    /** The check of this name, or null. */
    public Check find(String name) {
        for (Check check : checks) {
            if (check.name().equals(name)) {
                return check;
            }
        }
        return null;
    }

    /** True when no check failed (skipped and informational checks do not fail a board). */
    public boolean passed() {
        for (Check check : checks) {
            if (check.status() == Status.FAIL) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(chip).append(" self-test: ").append(passed() ? "PASS" : "FAIL").append('\n');
        for (Check check : checks) {
            text.append(String.format("  %-8s %-22s %s%n", check.status(), check.name(), check.detail()));
        }
        return text.toString();
    }
}
