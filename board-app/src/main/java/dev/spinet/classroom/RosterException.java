package dev.spinet.classroom;

import java.util.List;

/**
 * A roster that cannot be used, with every problem found in it (one line each, naming the file,
 * the line and the board), so the instructor fixes them all in one pass.
 */
public final class RosterException extends IllegalArgumentException {

    private final List<String> problems;

    public RosterException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
