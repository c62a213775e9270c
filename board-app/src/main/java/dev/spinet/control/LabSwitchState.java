package dev.spinet.control;

import dev.spinet.app.Ipv4Settings;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabRoles;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Which lab a board runs, across restarts: the one its image (or roster row) gave it, unless the
 * instructor switched it over the network ({@link ControlProtocol}) or the lab file on the boot
 * partition names another.
 *
 * <p>The lab file ({@code spinet/lab.txt} on the boot partition, edited on any computer that takes
 * the card) holds {@code lab=NAME}, optionally {@code peer=A.B.C.D}; {@code lab=image} goes back to
 * the image's lab. It is applied once per edit: its SHA-256 is remembered in the state directory
 * with the choice, so a later switch over the network holds until the file is edited again.
 * Without a state directory nothing is remembered and the file applies at every start.
 *
 * <p>A switch is remembered with the image's lab at the time: a boot partition rewritten since
 * with another lab ({@code image build --overlay}) wins over it.
 *
 * <p>A lab file that names no lab, or a lab that needs {@code peer} without one, is ignored with a
 * line in the log: a board with a typo on its card keeps running the lab it had.
 */
public final class LabSwitchState {

    /** In the state directory: the current choice and the lab file it last applied. */
    public static final String STATE_FILE = "lab.properties";
    /** The lab file's word for "the lab of the image". */
    public static final String IMAGE_LAB = "image";

    private final Path stateDir;
    private final Path labFile;
    private final Consumer<String> log;

    /**
     * @param stateDir where the choice is remembered (systemd's StateDirectory), or null
     * @param labFile  the lab file on the boot partition, or null
     * @param log      one line per decision
     */
    public LabSwitchState(Path stateDir, Path labFile, Consumer<String> log) {
        this.stateDir = stateDir;
        this.labFile = labFile;
        this.log = log;
    }

    /** The lab to start with. */
    public LabChoice atStart(String imageLab, int imagePeer) {
        Properties state = readState();
        String fileDigest = digestOfLabFile();
        if (fileDigest != null && !fileDigest.equals(state.getProperty("lab-file-sha256"))) {
            LabChoice fromFile = readLabFile(imageLab, imagePeer);
            if (fromFile != null) {
                log.accept("lab file " + labFile + ": " + (fromFile.origin().equals(LabChoice.IMAGE)
                        ? "back to the image's lab " + fromFile.lab() : "lab " + fromFile.lab()));
                remember(fromFile, fileDigest, imageLab);
                return fromFile;
            }
        }
        String lab = state.getProperty("lab");
        String switchedFrom = state.getProperty("image-lab");
        if (lab != null && switchedFrom != null && !switchedFrom.equals(imageLab)) {
            // The boot partition was rewritten with another lab (image build --overlay) since the
            // switch: the new image is what the instructor wants now.
            log.accept("the image's lab is now " + imageLab + " (it was " + switchedFrom + " when the board was switched to "
                    + lab + "): running " + imageLab);
            lab = null;
        }
        if (lab != null) {
            int peer = parsePeer(state.getProperty("peer"));
            try {
                check(lab, peer == 0 ? imagePeer : peer);
                return new LabChoice(lab, peer == 0 ? imagePeer : peer, state.getProperty("origin", LabChoice.INSTRUCTOR));
            } catch (IllegalArgumentException e) {
                log.accept("ignoring " + stateDir.resolve(STATE_FILE) + ": " + e.getMessage());
            }
        }
        return new LabChoice(imageLab, imagePeer, LabChoice.IMAGE);
    }

    /**
     * The lab after the instructor's {@code command}, remembered for the next start.
     *
     * @param current the lab running now (its peer is kept when the command gives none)
     * @throws IllegalArgumentException when the command names no lab, or a lab that needs a peer
     */
    public LabChoice switched(LabChoice current, ControlCommand command, String imageLab, int imagePeer) {
        LabChoice next;
        if (command.reset()) {
            next = new LabChoice(imageLab, imagePeer, LabChoice.IMAGE);
        } else {
            int peer = command.peer() != 0 ? command.peer() : current.peer() != 0 ? current.peer() : imagePeer;
            check(command.lab(), peer);
            next = new LabChoice(command.lab(), peer, LabChoice.INSTRUCTOR);
        }
        // The lab file stays as it is and keeps counting as applied: only an edit applies it again.
        remember(next, digestOfLabFile(), imageLab);
        return next;
    }

    /**
     * @throws IllegalArgumentException naming the labs, or asking for the peer
     */
    public static void check(String lab, int peer) {
        if (!LabCatalogue.standard().exists(lab)) {
            throw new IllegalArgumentException("no lab '" + lab + "'; the labs are " + String.join(", ", LabCatalogue.standard().names()));
        }
        if (peer == 0 && LabRoles.forLab(lab).needsPeer()) {
            throw new IllegalArgumentException("lab " + lab + " connects to the student's computer: give its address (peer)");
        }
    }

    private LabChoice readLabFile(String imageLab, int imagePeer) {
        Properties file = new Properties();
        try {
            file.load(new StringReader(Files.readString(labFile, StandardCharsets.UTF_8)));
            String lab = file.getProperty("lab", "").trim();
            if (lab.isEmpty()) {
                throw new IllegalArgumentException("no 'lab=NAME' line (or lab=" + IMAGE_LAB + " for the image's lab)");
            }
            if (lab.equals(IMAGE_LAB)) {
                return new LabChoice(imageLab, imagePeer, LabChoice.IMAGE);
            }
            String peerText = file.getProperty("peer", "").trim();
            int peer = peerText.isEmpty() ? imagePeer : Ipv4Settings.parseAddress("peer", peerText);
            check(lab, peer);
            return new LabChoice(lab, peer, LabChoice.BOOT_FILE);
        } catch (IOException | IllegalArgumentException e) {
            log.accept("ignoring lab file " + labFile + ": " + e.getMessage());
            return null;
        }
    }

    private Properties readState() {
        Properties state = new Properties();
        if (stateDir == null) {
            return state;
        }
        Path file = stateDir.resolve(STATE_FILE);
        if (Files.isRegularFile(file)) {
            try {
                state.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                log.accept("ignoring " + file + ": " + e.getMessage());
                return new Properties();
            }
        }
        return state;
    }

    private void remember(LabChoice choice, String labFileDigest, String imageLab) {
        if (stateDir == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# The lab this board runs, written by spinet run (docs/labs-images.md).\n");
        if (!choice.origin().equals(LabChoice.IMAGE)) {
            text.append("lab=").append(choice.lab()).append('\n');
            if (choice.peer() != 0) {
                text.append("peer=").append(Ipv4Packet.formatAddress(choice.peer())).append('\n');
            }
            text.append("origin=").append(choice.origin()).append('\n');
            if (imageLab != null) {
                text.append("image-lab=").append(imageLab).append('\n');
            }
        }
        if (labFileDigest != null) {
            text.append("lab-file-sha256=").append(labFileDigest).append('\n');
        }
        try {
            Files.createDirectories(stateDir);
            Path temporary = stateDir.resolve(STATE_FILE + ".new");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, stateDir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.accept("cannot remember the lab in " + stateDir + " (" + e.getMessage() + "); the board runs it until it restarts");
        }
    }

    private String digestOfLabFile() {
        if (labFile == null || !Files.isRegularFile(labFile)) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(labFile)));
        } catch (IOException e) {
            log.accept("cannot read lab file " + labFile + ": " + e.getMessage());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256, which every Java SE must provide", e);
        }
    }

    private static int parsePeer(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Ipv4Settings.parseAddress("peer", text);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
