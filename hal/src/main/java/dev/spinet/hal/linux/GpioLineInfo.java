package dev.spinet.hal.linux;

/**
 * One line as {@code GPIO_V2_GET_LINEINFO_IOCTL} reports it.
 *
 * @param offset   the line's offset on its chip (the BCM GPIO number on a Pi's header chip)
 * @param name     the line's name from the device tree, such as {@code GPIO25}, or empty
 * @param consumer who holds the line (a kernel driver, or the label a program requested it
 *                 with), or empty
 * @param flags    {@code GPIO_V2_LINE_FLAG_*} bits
 */
public record GpioLineInfo(int offset, String name, String consumer, long flags) {

    /** {@code GPIO_V2_LINE_FLAG_USED}: a kernel driver, a program or a sysfs export holds the line. */
    public boolean used() {
        return (flags & GpioV2.FLAG_USED) != 0;
    }
}
