package dev.spinet.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one lab's files into a boot partition: SPI on in config.txt, the {@code spinet/} folder
 * (jar, properties, systemd unit, provisioning script, README, manifest) and the cloud-init seed.
 * Used alike for a disk image and for {@code --overlay}; writing twice gives the same files (only
 * the build time and the jar, if it changed, differ).
 */
final class LabImageWriter {

    static final String CONFIG_TXT = "config.txt";
    static final String USER_DATA = "user-data";
    static final String META_DATA = "meta-data";
    static final String USER_DATA_BACKUP = "spinet/user-data.orig";
    /** Marks files this tool wrote, so a rebuild does not back up its own user-data. */
    static final String MARKER = "written by `spinet image build`";

    /** What a build wrote, and what the instructor should know about it. */
    record Result(ImageManifest manifest, List<String> warnings) {
    }

    /**
     * What an image built from a class roster carries besides: the board keys that open the control
     * port, and (a whole-class image) the roster the board finds its row in.
     *
     * @param keys   {@code spinet/control.keys}
     * @param roster {@code spinet/roster.csv}, or null for one board's own image
     */
    record ClassFiles(String keys, String roster) {
    }

    static final String CONTROL_KEYS = "spinet/" + dev.spinet.control.BoardKeys.FILE;
    static final String ROSTER = "spinet/roster.csv";

    private LabImageWriter() {
    }

    /**
     * @param legacyBootMount null for cloud-init only; else also the firstrun.sh path for releases
     *                        without cloud-init, with the boot partition mounted there
     */
    static Result write(BootVolume volume, LabBoardConfig config, byte[] jar, String version,
            Instant buildTime, String adminUser, List<String> sshKeys, String legacyBootMount) throws IOException {
        return write(volume, config, null, jar, version, buildTime, adminUser, sshKeys, legacyBootMount);
    }

    /**
     * @param classFiles the control keys and roster of an image built from a class roster, or null
     */
    static Result write(BootVolume volume, LabBoardConfig config, ClassFiles classFiles, byte[] jar, String version,
            Instant buildTime, String adminUser, List<String> sshKeys, String legacyBootMount) throws IOException {
        List<String> warnings = new ArrayList<>();
        Map<String, byte[]> files = new LinkedHashMap<>();

        files.put("spinet/spinet.jar", jar);
        String header = "Spinet lab " + config.label() + ": options of `spinet run` (" + MARKER + ").\n"
                + "Installed to " + ProvisioningFiles.INSTALL_DIR + "/spinet.properties; spinet.service runs\n"
                + "spinet run --config " + ProvisioningFiles.INSTALL_DIR + "/spinet.properties";
        files.put("spinet/spinet.properties", utf8(config.toProperties(header)));
        files.put("spinet/spinet.service", utf8(ProvisioningFiles.systemdUnit(config, classFiles != null)));
        if (classFiles != null) {
            files.put(CONTROL_KEYS, utf8(classFiles.keys()));
            if (classFiles.roster() != null) {
                files.put(ROSTER, utf8(classFiles.roster()));
            }
        }
        files.put("spinet/provision.sh", utf8(ProvisioningFiles.provisionScript(config)));
        files.put("spinet/README.txt", utf8(ProvisioningFiles.readme(config, version)));

        if (legacyBootMount != null) {
            String cmdline = volume.read(LegacyFirstBoot.CMDLINE_TXT)
                    .map(b -> new String(b, StandardCharsets.ISO_8859_1)).orElse("");
            files.put(LegacyFirstBoot.SCRIPT, utf8(LegacyFirstBoot.script(legacyBootMount)));
            files.put(LegacyFirstBoot.CMDLINE_TXT, LegacyFirstBoot.addTo(cmdline, legacyBootMount)
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        Optional<byte[]> oldUserData = volume.read(USER_DATA);
        if (oldUserData.isEmpty()) {
            if (legacyBootMount == null) {
                warnings.add("the base image has no user-data on its boot partition: it may predate cloud-init"
                        + " (Raspberry Pi OS before the October 2025 Trixie images). The board will not"
                        + " provision itself; rebuild with --firstrun (see docs/labs-images.md, 'Older releases').");
            }
        } else if (!new String(oldUserData.get(), StandardCharsets.UTF_8).contains(MARKER)
                && volume.read(USER_DATA_BACKUP).isEmpty()) {
            files.put(USER_DATA_BACKUP, oldUserData.get());
            warnings.add("replaced the image's own user-data; the original is kept as " + USER_DATA_BACKUP);
        }
        byte[] userData = utf8(ProvisioningFiles.userData(config, adminUser, sshKeys));
        files.put(USER_DATA, userData);

        // The instance-id follows the content, so rewriting a card with another lab re-provisions it.
        StringBuilder contentHashes = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            contentHashes.append(Sha256.hex(e.getValue())).append(e.getKey());
        }
        files.put(META_DATA, utf8(ProvisioningFiles.metaData(config.lab() != null ? config.lab() : "class",
                Sha256.hex(utf8(contentHashes.toString())))));

        String oldConfig = volume.read(CONFIG_TXT).map(b -> new String(b, StandardCharsets.ISO_8859_1)).orElse(null);
        if (oldConfig == null) {
            warnings.add("the boot partition had no config.txt; created one with only " + ConfigTxtEditor.SPI_ON
                    + " (is this really a Raspberry Pi OS image?)");
        }
        // ISO-8859-1 both ways: config.txt is ASCII in practice, and this keeps any other byte as it was.
        files.put(CONFIG_TXT, ConfigTxtEditor.enableSpi(oldConfig == null ? "" : oldConfig)
                .getBytes(StandardCharsets.ISO_8859_1));

        checkSpace(volume, files);

        List<ImageManifest.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            volume.write(e.getKey(), e.getValue());
            entries.add(new ImageManifest.Entry(Sha256.hex(e.getValue()), e.getKey()));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("lab", config.label());
        if (config.board() != null) {
            facts.put("board", config.board());
        }
        facts.put("chip", config.chip());
        facts.put("spinet-version", version);
        facts.put("built", buildTime.toString());
        facts.put("java-package", ProvisioningFiles.JAVA_PACKAGE);
        ImageManifest manifest = new ImageManifest(facts, entries);
        volume.write(ImageManifest.PATH, utf8(manifest.render()));
        return new Result(manifest, warnings);
    }

    private static void checkSpace(BootVolume volume, Map<String, byte[]> files) throws IOException {
        long unit = volume.allocationUnit();
        long need = 4 * unit; // the spinet/ folder and the manifest
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            need += roundUp(e.getValue().length, unit);
            Optional<byte[]> old = volume.read(e.getKey());
            if (old.isPresent()) {
                need -= roundUp(old.get().length, unit);
            }
        }
        long free = volume.freeBytes();
        if (need > free) {
            throw new ImageException(ImageException.BAD_INPUT, volume.describe() + " has " + free
                    + " bytes free but the lab files need " + need + "; free space on the boot partition"
                    + " (or use a base image with a larger one)");
        }
    }

    private static long roundUp(long n, long unit) {
        return (n + unit - 1) / unit * unit;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
