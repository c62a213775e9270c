package dev.spinet.hal.linux;

/** The line's pull resistor. {@link #AS_IS} leaves whatever the firmware or device tree set. */
public enum GpioBias {
    AS_IS(0),
    PULL_UP(GpioV2.FLAG_BIAS_PULL_UP),
    PULL_DOWN(GpioV2.FLAG_BIAS_PULL_DOWN),
    DISABLED(GpioV2.FLAG_BIAS_DISABLED);

    private final long flags;

    GpioBias(long flags) {
        this.flags = flags;
    }

    /** The gpio_v2_line_flag bits. */
    public long flags() {
        return flags;
    }
}
