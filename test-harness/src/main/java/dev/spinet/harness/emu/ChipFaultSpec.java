package dev.spinet.harness.emu;

/**
 * A chip fault as the command line and the tests name it, {@code NAME[:PARAM]}: the fault and its
 * parameter, checked and in normal form (the default filled in). Parsing gives one-line errors
 * that list what is valid; {@link #forChip} refuses a fault that makes no sense for a chip.
 *
 * @param parameter the parameter's text (a number or a word), or null for a fault without one
 */
public record ChipFaultSpec(ChipFault fault, String parameter) {

    public ChipFaultSpec {
        if (fault == null) {
            throw new IllegalArgumentException("a chip fault spec needs a fault");
        }
        parameter = fault.normalize(parameter);
    }

    /** The fault with its default parameter. */
    public static ChipFaultSpec of(ChipFault fault) {
        return new ChipFaultSpec(fault, null);
    }

    /**
     * Parses {@code NAME[:PARAM]}, for example {@code link-flap:2000}, {@code spi-corrupt:pointer}
     * or {@code brown-out}.
     *
     * @throws IllegalArgumentException with one line saying what is valid
     */
    public static ChipFaultSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty chip fault; use NAME[:PARAM], NAME one of " + ChipFault.allLabels());
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String parameter = colon < 0 ? null : text.substring(colon + 1);
        if (parameter != null && parameter.isBlank()) {
            throw new IllegalArgumentException("'" + text.trim() + "': nothing after ':'; give a PARAM or leave the ':' out");
        }
        return new ChipFaultSpec(ChipFault.named(name), parameter);
    }

    /**
     * This spec, when the fault applies to {@code chip}.
     *
     * @throws IllegalArgumentException naming the chip and the faults it has
     */
    public ChipFaultSpec forChip(ChipType chip) {
        if (!fault.appliesTo(chip)) {
            throw new IllegalArgumentException(fault.label() + " is not a fault of the " + chip.label() + " ("
                    + fault.description() + "); for the " + chip.label() + " use one of " + ChipFault.labels(chip));
        }
        return this;
    }

    /** The parameter as a number (a duration in ms or a count). */
    public long number() {
        if (!fault.numericParameter()) {
            throw new IllegalStateException(fault.label() + " has no numeric parameter");
        }
        return Long.parseLong(parameter);
    }

    @Override
    public String toString() {
        return parameter == null ? fault.label() : fault.label() + ":" + parameter;
    }
}
