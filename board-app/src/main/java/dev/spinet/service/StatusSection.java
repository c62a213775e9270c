package dev.spinet.service;

/**
 * A part of {@code /status.json} that something other than the services knows (the board's lab
 * and its connections, for {@code spinet class status}). It renders at request time and may allocate.
 */
public interface StatusSection {

    /** The member name in the JSON object. */
    String name();

    /** Appends the member's value: one JSON value. */
    void appendJson(StringBuilder out);
}
