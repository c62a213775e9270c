package dev.spinet.image;

import dev.spinet.app.GpioChipOption;
import dev.spinet.app.Ipv4Settings;
import dev.spinet.hal.linux.HeaderGpioChip;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a board in a lab runs: every option of {@code spinet run} for that board, rendered as
 * {@code spinet/spinet.properties} (keys are the long option names of {@code spinet run} without
 * the dashes, so {@code spinet run --config spinet.properties} reads it).
 *
 * <p>A board's lab and address come from the command line, from its row of a class roster (its own
 * image: {@code board} names the row, the row's values are written here), or from the roster at
 * start (a whole-class image: {@code pickFromRoster}, and lab, ip, gateway and peer are null).
 *
 * @param lab        lab name (the board's role, {@code --lab}); null for a whole-class image
 * @param chip       {@code w5500} or {@code enc28j60}; also the {@code --hal}
 * @param spi        SPI bus and chip select, "B.C" ({@code /dev/spidevB.C})
 * @param spiHz      SPI clock in Hz
 * @param intPin     BCM GPIO line of the controller's INT output
 * @param resetPin   BCM GPIO line wired to the controller's RESET input, if any
 * @param gpiochip   GPIO character device number ({@code /dev/gpiochipN}), or
 *                   {@link HeaderGpioChip#AUTOMATIC}: the board finds the 40-pin header's chip by its label
 * @param ip         "dhcp" or "A.B.C.D/NN"; null for a whole-class image
 * @param gateway    default gateway, only with a static address
 * @param services   services the stack serves (echo, discard, chargen, http)
 * @param trace      print every TCP state transition to the journal
 * @param peer       the student's computer, for labs whose board connects to it; null if none
 * @param board      the board's name in the class roster, or null
 * @param pickFromRoster a whole-class image: the board finds its row in {@link #ROSTER_ON_BOARD} at start
 * @param labFile    the lab file on the boot partition as the board sees it ({@code --lab-file}), or null
 */
public record LabBoardConfig(String lab, String chip, String spi, int spiHz, int intPin,
        OptionalInt resetPin, int gpiochip, String ip, String gateway, List<String> services,
        boolean trace, String peer, String board, boolean pickFromRoster, String labFile) {

    /** Where provision.sh installs a whole-class image's roster on the board. */
    public static final String ROSTER_ON_BOARD = ProvisioningFiles.INSTALL_DIR + "/roster.csv";

    public static final List<String> CHIPS = List.of("w5500", "enc28j60");
    public static final List<String> KNOWN_SERVICES = List.of("echo", "discard", "chargen", "http");
    /** Students watch the board's /diagram.svg and drive it with nc: serve everything. */
    public static final List<String> DEFAULT_SERVICES = KNOWN_SERVICES;

    private static final Pattern SPI = Pattern.compile("\\d{1,2}\\.\\d{1,2}");

    public LabBoardConfig {
        services = List.copyOf(services);
        if (!CHIPS.contains(chip)) {
            throw bad("--chip must be one of " + CHIPS + ", got '" + chip + "'");
        }
        if (!SPI.matcher(spi).matches()) {
            throw bad("--spi must be BUS.CS like 0.0 (for /dev/spidev0.0), got '" + spi + "'");
        }
        if (spiHz < 100_000 || spiHz > maxSpiHz(chip)) {
            throw bad("--spi-hz " + spiHz + " is outside 100000.." + maxSpiHz(chip) + " for " + chip
                    + (chip.equals("enc28j60") ? " (datasheet: at most 20 MHz, and >= 8 MHz before rev B5)" : ""));
        }
        checkPin("--int-pin", intPin);
        if (resetPin.isPresent()) {
            checkPin("--reset-pin", resetPin.getAsInt());
            if (resetPin.getAsInt() == intPin) {
                throw bad("--reset-pin and --int-pin are both GPIO " + intPin + ": wire them to different pins");
            }
        }
        if (gpiochip != HeaderGpioChip.AUTOMATIC && (gpiochip < 0 || gpiochip > 255)) {
            throw bad("--gpiochip must be auto or 0..255, got " + gpiochip);
        }
        if (pickFromRoster != (lab == null) || pickFromRoster != (ip == null)) {
            throw new IllegalArgumentException("a lab image has a lab and an address, or takes both from the roster on the board");
        }
        try {
            if (ip != null) {
                Ipv4Settings.parse(ip, gateway);
            }
            if (peer != null) {
                Ipv4Settings.parseAddress("--peer", peer);
            }
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (services.isEmpty()) {
            throw bad("--services must name at least one of " + KNOWN_SERVICES);
        }
        for (String s : services) {
            if (!KNOWN_SERVICES.contains(s)) {
                throw bad("unknown service '" + s + "': choose from " + KNOWN_SERVICES);
            }
        }
    }

    /** The image's lab for titles and file headers: the lab, or "class roster" for a whole-class image. */
    public String label() {
        return lab != null ? lab : "class roster";
    }

    /** Default SPI clock: W5500 20 MHz (safe on jumper wires; the chip takes 80), ENC28J60 12 MHz (kernel overlay default, above the 8 MHz errata floor). */
    public static int defaultSpiHz(String chip) {
        return chip.equals("enc28j60") ? 12_000_000 : 20_000_000;
    }

    private static int maxSpiHz(String chip) {
        return chip.equals("enc28j60") ? 20_000_000 : 80_000_000;
    }

    private static void checkPin(String option, int pin) {
        // The 40-pin header exposes BCM GPIO 0..27.
        if (pin < 0 || pin > 27) {
            throw bad(option + " must be a BCM GPIO number 0..27 (header pins), got " + pin);
        }
    }

    private static ImageException bad(String message) {
        return new ImageException(ImageException.BAD_INPUT, message);
    }

    /** The {@code spinet run} options, in the order they appear in the properties file. */
    public Map<String, String> runOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        if (board != null) {
            m.put("board", board);
        }
        if (pickFromRoster) {
            m.put("roster", ROSTER_ON_BOARD);
        }
        if (lab != null) {
            m.put("lab", lab);
        }
        m.put("hal", chip);
        m.put("spi", spi);
        m.put("spi-hz", Integer.toString(spiHz));
        m.put("int-pin", Integer.toString(intPin));
        if (resetPin.isPresent()) {
            m.put("reset-pin", Integer.toString(resetPin.getAsInt()));
        }
        m.put("gpiochip", GpioChipOption.format(gpiochip));
        if (ip != null) {
            m.put("ip", ip);
        }
        if (gateway != null) {
            m.put("gateway", gateway);
        }
        if (peer != null) {
            m.put("peer", peer);
        }
        m.put("services", String.join(",", services));
        m.put("trace", Boolean.toString(trace));
        if (labFile != null) {
            m.put("lab-file", labFile);
        }
        return m;
    }

    /** {@code spinet/spinet.properties}: plain ASCII, one {@code key=value} per line. */
    public String toProperties(String header) {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n")) {
            sb.append("# ").append(line).append('\n');
        }
        for (Map.Entry<String, String> e : runOptions().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
