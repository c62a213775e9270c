package dev.spinet.hal.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the GPIO chip of the Raspberry Pi's 40-pin header by its label, because its number is
 * not stable: gpiochip0 on a Pi 4, 3 or Zero 2 ({@code pinctrl-bcm2711} / {@code pinctrl-bcm2835});
 * on a Pi 5 ({@code pinctrl-rp1}) gpiochip4 with kernels before 6.6.45, where gpiochip0 is the
 * SoC's {@code gpio-brcmstb@107d508500} whose offsets 24 and 25 are Bluetooth's RTS and CTS, so
 * taking chip 0 on trust would drive Bluetooth's RTS as RESET and wait for INT on its CTS;
 * gpiochip0 with later kernels; and on some 6.12 kernels there is no gpiochip0 at all.
 *
 * <p>Each {@code /dev/gpiochipN} is opened in ascending N and asked for its label
 * ({@code GPIO_GET_CHIPINFO_IOCTL}); the first whose label is one of {@link #HEADER_LABELS} is the
 * header. Any other chip is refused unless the user names it ({@code --gpiochip N}).
 */
public final class HeaderGpioChip {

    /** "Find the header chip by its label" (the default of {@code --gpiochip}). */
    public static final int AUTOMATIC = -1;
    public static final Path DEV = Path.of("/dev");
    /** The labels of the header's pin controller: Pi 5 (RP1), Pi 4 / 400 / CM4, earlier models. */
    public static final List<String> HEADER_LABELS = List.of("pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835");

    private static final String CHIP_NAME = "gpiochip";

    private HeaderGpioChip() {
    }

    /** {@link #open(LinuxSyscalls, Path, int)} with the C library on {@code /dev}. */
    public static GpioChip open(int chipOrAutomatic) {
        return open(Libc.instance(), DEV, chipOrAutomatic);
    }

    /**
     * Opens {@code <devDirectory>/gpiochip<chipOrAutomatic>} as given, or with {@link #AUTOMATIC}
     * the header's chip found by label.
     *
     * @throws LinuxDeviceException when no chip has a header label (one line listing the chips
     *     seen and what to do), or the named chip cannot be opened
     */
    public static GpioChip open(LinuxSyscalls syscalls, Path devDirectory, int chipOrAutomatic) {
        if (chipOrAutomatic != AUTOMATIC) {
            return new GpioChip(syscalls, devDirectory, chipOrAutomatic);
        }
        List<GpioChipProbe> seen = new ArrayList<>();
        for (int number : chipNumbers(devDirectory)) {
            GpioChip chip;
            try {
                chip = new GpioChip(syscalls, devDirectory, number);
            } catch (LinuxDeviceException e) {
                seen.add(new GpioChipProbe(number, path(devDirectory, number), null, 0, e.errno()));
                continue;
            }
            if (HEADER_LABELS.contains(chip.label())) {
                return chip;
            }
            seen.add(new GpioChipProbe(number, chip.path(), chip.label(), chip.lines(), 0));
            chip.close();
        }
        throw new LinuxDeviceException(notFoundMessage(devDirectory, seen), firstErrno(seen));
    }

    /** Every {@code <devDirectory>/gpiochipN}, opened, described and closed again, in ascending N. */
    public static List<GpioChipProbe> survey(LinuxSyscalls syscalls, Path devDirectory) {
        List<GpioChipProbe> probes = new ArrayList<>();
        for (int number : chipNumbers(devDirectory)) {
            try (GpioChip chip = new GpioChip(syscalls, devDirectory, number)) {
                probes.add(new GpioChipProbe(number, chip.path(), chip.label(), chip.lines(), 0));
            } catch (LinuxDeviceException e) {
                probes.add(new GpioChipProbe(number, path(devDirectory, number), null, 0, e.errno()));
            }
        }
        return probes;
    }

    /** The N of every {@code gpiochipN} entry in {@code devDirectory}, ascending; empty if unreadable. */
    public static List<Integer> chipNumbers(Path devDirectory) {
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devDirectory, CHIP_NAME + "*")) {
            for (Path entry : entries) {
                String suffix = entry.getFileName().toString().substring(CHIP_NAME.length());
                if (!suffix.isEmpty() && suffix.length() < 6 && suffix.chars().allMatch(Character::isDigit)) {
                    numbers.add(Integer.parseInt(suffix));
                }
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        numbers.sort(null);
        return numbers;
    }

    /** The one-line refusal when no chip carries a header label. */
    public static String notFoundMessage(Path devDirectory, List<GpioChipProbe> seen) {
        if (seen.isEmpty()) {
            return "no " + devDirectory.resolve(CHIP_NAME) + "* devices: this kernel has no GPIO character"
                    + " devices (CONFIG_GPIO_CDEV), or this is not a Raspberry Pi";
        }
        String found = seen.stream().map(GpioChipProbe::describe).collect(Collectors.joining(", "));
        boolean denied = seen.stream().anyMatch(p -> p.errno() == Errno.EACCES || p.errno() == Errno.EPERM);
        return "no GPIO chip of the 40-pin header (label pinctrl-rp1 on a Pi 5, pinctrl-bcm2711 on a Pi 4,"
                + " pinctrl-bcm2835 on older models) among " + found + ": "
                + (denied ? "add the user to group gpio ('sudo usermod -aG gpio $USER', then log in again); if the"
                        + " header chip has another label, " : "if this board's header chip has another label, ")
                + "pass --gpiochip N ('gpiodetect' lists the chips; docs/raspberry-pi.md, 'Which GPIO chip')";
    }

    private static int firstErrno(List<GpioChipProbe> seen) {
        return seen.stream().mapToInt(GpioChipProbe::errno).filter(e -> e != 0).findFirst().orElse(Errno.ENODEV);
    }

    private static String path(Path devDirectory, int number) {
        return devDirectory.resolve(CHIP_NAME + number).toString();
    }
}
