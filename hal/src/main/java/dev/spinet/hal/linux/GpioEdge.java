package dev.spinet.hal.linux;

/** Which edges of an input line produce events. Both controllers' INT is active low: FALLING. */
public enum GpioEdge {
    RISING(GpioV2.FLAG_EDGE_RISING),
    FALLING(GpioV2.FLAG_EDGE_FALLING),
    BOTH(GpioV2.FLAG_EDGE_RISING | GpioV2.FLAG_EDGE_FALLING);

    private final long flags;

    GpioEdge(long flags) {
        this.flags = flags;
    }

    /** The gpio_v2_line_flag bits. */
    public long flags() {
        return flags;
    }
}
