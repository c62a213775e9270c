package dev.spinet.hal.pi4j;

/** Reading Pi4J config values with messages that say what is missing. */
final class Pi4jConfigs {

    private Pi4jConfigs() {
    }

    static int line(Integer bcm, Integer address, String what) {
        Integer line = bcm != null ? bcm : address;
        if (line == null || line < 0) {
            throw new IllegalArgumentException("Pi4J " + what + " config has no BCM number: set .bcm(N) to the GPIO number");
        }
        return line;
    }
}
