package dev.spinet.classroom;

import dev.spinet.hal.eth.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a board knows about itself that a roster row can name ({@link BoardMatch}): its MAC
 * addresses, the Pi's serial number and its hostname.
 *
 * @param macs     the Spinet stack's MAC and the MACs of the Linux network interfaces
 * @param serial   the Pi's serial number in hex, or null where there is none
 * @param hostname the Linux hostname, or null
 */
public record BoardIdentity(List<Long> macs, String serial, String hostname) {

    public BoardIdentity {
        macs = List.copyOf(macs);
    }

    /**
     * Reads the identity of the machine whose file system is at {@code root} ({@code /} on a board;
     * a test passes a folder laid out the same way): {@code proc/device-tree/serial-number},
     * {@code sys/class/net/}{@code *}{@code /address}, {@code proc/sys/kernel/hostname}.
     *
     * @param spinetMac the MAC the stack uses (its {@code --mac}, or the one derived from the serial)
     */
    public static BoardIdentity read(Path root, long spinetMac) {
        List<Long> macs = new ArrayList<>();
        macs.add(spinetMac);
        Path net = root.resolve("sys/class/net");
        if (Files.isDirectory(net)) {
            try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(net)) {
                for (Path nic : interfaces) {
                    String text = readTrimmed(nic.resolve("address"));
                    if (text == null) {
                        continue;
                    }
                    try {
                        long mac = MacAddress.parse(text);
                        if (mac != 0 && !macs.contains(mac)) {
                            macs.add(mac);
                        }
                    } catch (IllegalArgumentException e) {
                        // Not an Ethernet-style address (a tunnel, say): nothing to match on.
                    }
                }
            } catch (IOException e) {
                // No interfaces to read: the serial and the hostname still identify the board.
            }
        }
        return new BoardIdentity(macs, readTrimmed(root.resolve("proc/device-tree/serial-number")),
                readTrimmed(root.resolve("proc/sys/kernel/hostname")));
    }

    /** The file's text without NULs (device-tree strings end in one) and surrounding space, or null. */
    private static String readTrimmed(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).replace("\0", "").trim();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            return null;
        }
    }

    /** For the message of a board no row matches: every value it could be matched by. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (long mac : macs) {
            parts.add(MacAddress.format(mac));
        }
        if (serial != null) {
            parts.add("serial:" + BoardMatch.normalSerial(serial));
        }
        if (hostname != null) {
            parts.add("host:" + hostname);
        }
        return String.join(", ", parts);
    }
}
