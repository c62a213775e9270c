package dev.spinet.hal.linux;

/**
 * What opening one {@code /dev/gpiochipN} and asking {@code GPIO_GET_CHIPINFO_IOCTL} gave.
 *
 * @param number the N of {@code gpiochipN}
 * @param path   the device path
 * @param label  the driver's label ({@code pinctrl-rp1}, {@code gpio-brcmstb@107d508500}...), or
 *               null when the chip could not be opened
 * @param lines  how many lines it has (0 when not opened)
 * @param errno  why it could not be opened, or 0
 */
public record GpioChipProbe(int number, String path, String label, int lines, int errno) {

    /** Whether this is the chip of the 40-pin header ({@link HeaderGpioChip#HEADER_LABELS}). */
    public boolean isHeader() {
        return label != null && HeaderGpioChip.HEADER_LABELS.contains(label);
    }

    /** {@code /dev/gpiochip0 [pinctrl-rp1, 54 lines]} or {@code /dev/gpiochip0 [permission denied]}. */
    public String describe() {
        if (label != null) {
            return path + " [" + label + ", " + lines + " lines]";
        }
        String why = switch (errno) {
            case Errno.EACCES, Errno.EPERM -> "permission denied";
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "no such device";
            case Errno.ENOTTY -> "not a GPIO character device";
            default -> "error " + errno;
        };
        return path + " [" + why + "]";
    }
}
