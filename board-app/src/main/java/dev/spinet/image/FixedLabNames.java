package dev.spinet.image;

import java.util.List;

/**
 * {@link LabNames} over a fixed list. {@link #firstCatalogue()} holds the nine labs of Spinet's first
 * lab catalogue; it is what {@code spinet image} checks names against when it is not handed the live
 * catalogue (the tests of the image commands).
 */
public final class FixedLabNames implements LabNames {

    private final List<String> names;

    public FixedLabNames(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** The nine labs of the first catalogue, each with a board role. */
    public static FixedLabNames firstCatalogue() {
        return new FixedLabNames(List.of(
                "handshake", "close", "simultaneous-open", "simultaneous-close", "time-wait",
                "syn-sent", "reset", "retransmission", "flow-control"));
    }

    @Override
    public boolean exists(String name) {
        return names.contains(name);
    }

    @Override
    public List<String> names() {
        return names;
    }
}
