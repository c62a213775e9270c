package dev.spinet.image;

import dev.spinet.app.GpioChipOption;
import dev.spinet.classroom.Roster;
import dev.spinet.classroom.RosterException;
import dev.spinet.classroom.RosterRow;
import dev.spinet.cli.RunConfiguration;
import dev.spinet.control.BoardKeys;
import dev.spinet.control.ControlToken;
import dev.spinet.cli.SpinetVersion;
import dev.spinet.lab.LabRoles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code spinet image build}: a Raspberry Pi OS image that boots into one lab's board role.
 * Copies {@code --base} to {@code --out} (or edits a mounted boot partition, {@code --overlay})
 * and writes the lab files into the FAT boot partition without mounting anything.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {
            "Make a lab image: copy a Raspberry Pi OS image and write into its boot partition",
            "dtparam=spi=on (config.txt), spinet/ (jar, spinet.properties, spinet.service, provision.sh,",
            "MANIFEST.txt) and a cloud-init user-data that installs Java 25 and starts the lab on first boot.",
            "Needs no root and mounts nothing."},
        footer = {"", "Examples:",
            "  spinet image build --lab handshake --chip w5500 --int-pin 25 --reset-pin 24 \\",
            "      --base 2025-10-01-raspios-trixie-arm64-lite.img --out lab-handshake.img",
            "  spinet image build --roster class.csv --chip w5500 --base raspios.img --out class.img",
            "  spinet image build --roster class.csv --board bench-02 --chip w5500 --base raspios.img --out bench-02.img"})
public final class ImageBuildCommand implements Callable<Integer> {

    /** The lab file on the boot partition (docs/labs-images.md): a board switches to the lab it names. */
    static final String LAB_FILE = "spinet/lab.txt";

    @ParentCommand
    ImageCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--lab", paramLabel = "NAME", description = "Lab the boards run (its board role); or give --roster.")
    String lab;

    @Option(names = "--roster", paramLabel = "FILE", description = {"Class roster (CSV: board, match, ip, gateway, lab, peer; docs/labs-images.md):",
            "every row is checked here; one image for the class, each board picking its row at start, or with --board one",
            "board's own image. Creates the class control token beside the roster (or reuses it)."})
    Path roster;

    @Option(names = "--board", paramLabel = "NAME", description = "With --roster: this board's own image, with its row's lab and address.")
    String board;

    @Option(names = "--chip", required = true, paramLabel = "CHIP", description = "Ethernet controller: w5500 or enc28j60.")
    String chip;

    @Option(names = "--spi", defaultValue = "0.0", paramLabel = "BUS.CS", description = "SPI bus and chip select (default: ${DEFAULT-VALUE}, /dev/spidev0.0).")
    String spi;

    @Option(names = "--spi-hz", paramLabel = "N", description = "SPI clock in Hz (default: 20000000 for w5500, 12000000 for enc28j60).")
    Integer spiHz;

    @Option(names = "--int-pin", defaultValue = "25", paramLabel = "N", description = "BCM GPIO of the INT line (default: ${DEFAULT-VALUE}).")
    int intPin;

    @Option(names = "--reset-pin", paramLabel = "N", description = "BCM GPIO of the RESET line (default: none).")
    Integer resetPin;

    @Option(names = "--gpiochip", defaultValue = GpioChipOption.AUTO, paramLabel = "N|auto",
            description = "GPIO chip number, /dev/gpiochipN (default: ${DEFAULT-VALUE}, the board finds the 40-pin header's chip by its label).")
    String gpiochip;

    @Option(names = "--ip", paramLabel = "dhcp|A.B.C.D/NN", description = "Address of the Spinet stack (default: dhcp).")
    String ip;

    @Option(names = "--gateway", paramLabel = "A.B.C.D", description = "Default gateway (static --ip only).")
    String gateway;

    @Option(names = "--peer", paramLabel = "A.B.C.D",
            description = "The student's computer, for labs whose board connects to it (simultaneous-open, syn-sent).")
    String peer;

    @Option(names = "--services", defaultValue = "echo,discard,chargen,http", split = ",", paramLabel = "LIST",
            description = "Services on the board (default: ${DEFAULT-VALUE}).")
    List<String> services;

    @Option(names = "--no-trace", description = "Do not print TCP state transitions to the journal.")
    boolean noTrace;

    @Option(names = "--base", paramLabel = "IMAGE", description = "Raspberry Pi OS disk image (.img, decompressed) to start from.")
    Path base;

    @Option(names = "--out", paramLabel = "IMAGE", description = "Lab image to write (may equal --base to edit in place).")
    Path out;

    @Option(names = "--overlay", paramLabel = "DIR", description = "Instead of --base/--out: a mounted boot partition to write into.")
    Path overlay;

    @Option(names = "--jar", paramLabel = "PATH", description = "spinet jar to install (default: the jar this command runs from).")
    Path jar;

    @Option(names = "--firstrun", arity = "0..1", fallbackValue = ProvisioningFiles.BOOT_MOUNT, paramLabel = "BOOT_MOUNT",
            description = {"Also provision on releases without cloud-init (Bookworm before 2025-10, Bullseye):",
                "firstrun.sh + systemd.run= in cmdline.txt. BOOT_MOUNT: where the OS mounts the boot partition",
                "(default ${FALLBACK-VALUE}; Bullseye and older: /boot)."})
    String firstrun;

    @Option(names = "--ssh-key", paramLabel = "FILE", description = "Public key(s) for an instructor login over SSH (also enables sshd).")
    List<Path> sshKeys = new ArrayList<>();

    @Option(names = "--user", defaultValue = "instructor", paramLabel = "NAME", description = "Login created with --ssh-key (default: ${DEFAULT-VALUE}).")
    String user;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        try {
            return build(o, e);
        } catch (ImageException ex) {
            // A roster's problems are one line each.
            for (String line : ex.getMessage().split("\n")) {
                e.println("spinet image build: " + line);
            }
            e.flush();
            return ex.exitCode();
        } catch (IOException ex) {
            e.println("spinet image build: I/O error: " + ex);
            e.flush();
            return ImageException.BAD_INPUT;
        }
    }

    private int build(PrintWriter o, PrintWriter e) throws IOException {
        ImageEnvironment env = parent.environment();
        int gpiochipNumber;
        try {
            gpiochipNumber = GpioChipOption.parse(gpiochip);
        } catch (IllegalArgumentException ex) {
            throw new ImageException(ImageException.BAD_INPUT, ex.getMessage());
        }
        String legacyBootMount = checkedFirstrun();
        String labFile = (legacyBootMount != null ? legacyBootMount : ProvisioningFiles.BOOT_MOUNT) + "/" + LAB_FILE;
        LabBoardConfig config;
        Roster classRoster = null;
        if (roster == null) {
            if (lab == null) {
                throw new ImageException(ImageException.BAD_INPUT, "say what the boards run: --lab NAME, or --roster FILE for a class");
            }
            if (board != null) {
                throw new ImageException(ImageException.BAD_INPUT, "--board names a row of a --roster; give the roster too");
            }
            checkLabName(env, lab);
            config = new LabBoardConfig(lab, chip, spi, spiHz != null ? spiHz : LabBoardConfig.defaultSpiHz(chip), intPin,
                    resetPin == null ? OptionalInt.empty() : OptionalInt.of(resetPin), gpiochipNumber, ip == null ? "dhcp" : ip, gateway,
                    services, !noTrace, peer == null || peer.isBlank() ? null : peer.trim(), null, false, labFile);
            checkAsTheBoardWill(config);
        } else {
            if (lab != null || ip != null || gateway != null || peer != null) {
                throw new ImageException(ImageException.BAD_INPUT, "with --roster each board's lab, ip, gateway and peer come from its"
                        + " row: drop --lab, --ip, --gateway and --peer");
            }
            classRoster = readRoster(roster);
            for (RosterRow row : classRoster.rows()) {
                checkLabName(env, row.lab());
            }
            LabBoardConfig base = new LabBoardConfig(null, chip, spi, spiHz != null ? spiHz : LabBoardConfig.defaultSpiHz(chip), intPin,
                    resetPin == null ? OptionalInt.empty() : OptionalInt.of(resetPin), gpiochipNumber, null, null,
                    services, !noTrace, null, null, true, labFile);
            if (board != null) {
                RosterRow row;
                try {
                    row = classRoster.row(board);
                } catch (IllegalArgumentException ex) {
                    throw new ImageException(ImageException.BAD_INPUT, ex.getMessage());
                }
                Map<String, String> settings = row.runSettings();
                config = new LabBoardConfig(row.lab(), base.chip(), base.spi(), base.spiHz(), base.intPin(), base.resetPin(),
                        base.gpiochip(), settings.get("ip"), settings.get("gateway"), base.services(), base.trace(),
                        settings.get("peer"), row.board(), false, labFile);
                checkAsTheBoardWill(config);
            } else {
                checkEveryRow(base, classRoster);
                config = base;
            }
        }

        if (overlay != null && (base != null || out != null)) {
            throw new ImageException(ImageException.BAD_INPUT, "use either --overlay DIR or --base IMAGE --out IMAGE, not both");
        }
        if (overlay == null && (base == null || out == null)) {
            throw new ImageException(ImageException.BAD_INPUT, "say where to write: --base raspios.img --out "
                    + (board != null ? board : lab != null ? "lab-" + lab : "class") + ".img, or --overlay DIR for a mounted boot partition");
        }
        Path jarPath = RunningJar.resolve(jar, env.codeSource());
        byte[] jarBytes = Files.readAllBytes(jarPath);
        List<String> keys = readKeys();
        String adminUser = keys.isEmpty() ? null : checkedUser();
        LabImageWriter.ClassFiles classFiles = null;
        if (classRoster != null) {
            // Only now, with every check passed: the token is made once and every image of the roster shares it.
            Path tokenFile = ControlToken.besideRoster(roster);
            ControlToken.Loaded token = ControlToken.readOrCreate(tokenFile, new SecureRandom());
            List<String> boards = new ArrayList<>();
            classRoster.rows().forEach(r -> boards.add(r.board()));
            classFiles = new LabImageWriter.ClassFiles(BoardKeys.render(token.token(), board != null ? List.of(config.board()) : boards),
                    board != null ? null : classRoster.text());
            e.println(token.created() ? "control token: created " + tokenFile + " (keep it on this machine only; spinet class switch reads it)"
                    : "control token: " + tokenFile);
        }

        LabImageWriter.Result result;
        String where;
        if (overlay != null) {
            try (BootVolume volume = new DirectoryBootVolume(overlay)) {
                where = volume.describe();
                result = LabImageWriter.write(volume, config, classFiles, jarBytes, SpinetVersion.get(), env.clock().instant(), adminUser, keys,
                        legacyBootMount);
            }
        } else {
            checkBase();
            boolean inPlace = Files.exists(out) && Files.isSameFile(base, out);
            if (Files.exists(out) && !Files.isRegularFile(out)) {
                throw new ImageException(ImageException.BAD_INPUT, "--out " + out
                        + " exists and is not a regular file; to write a card use spinet image flash");
            }
            if (!inPlace) {
                e.println("copying " + base + " to " + out + " ...");
                e.flush();
                copy(base, out);
            }
            try (FatImageBootVolume volume = FatImageBootVolume.open(out, false)) {
                where = volume.describe();
                result = LabImageWriter.write(volume, config, classFiles, jarBytes, SpinetVersion.get(), env.clock().instant(), adminUser, keys,
                        legacyBootMount);
            } catch (IOException | RuntimeException ex) {
                if (!inPlace) {
                    Files.deleteIfExists(out);
                }
                throw ex;
            }
        }
        for (String w : result.warnings()) {
            e.println("warning: " + w);
        }
        e.flush();
        o.println((config.board() != null ? "image of board " + config.board() + ", lab '" + config.lab() + "'"
                : "lab image for '" + config.label() + "'") + " (" + chip + ", ip " + (config.ip() != null ? config.ip() : "from each row")
                + ") written to " + where);
        for (ImageManifest.Entry f : result.manifest().files()) {
            o.println("  " + f.sha256() + "  " + f.path());
        }
        o.println(overlay != null
                ? "next: unmount the card and boot a Pi from it"
                : "next: spinet image flash " + out + " --device /dev/sdX   (check with spinet image inspect " + out + ")");
        o.flush();
        return 0;
    }

    private static void checkLabName(ImageEnvironment env, String name) {
        if (!env.labNames().exists(name)) {
            String suggestion = dev.spinet.cli.Suggestions.didYouMean(name, env.labNames().names());
            throw new ImageException(ImageException.BAD_INPUT, "unknown lab '" + name + "'; "
                    + (suggestion.isEmpty() ? "" : suggestion + " The ") + "labs: " + String.join(", ", env.labNames().names()));
        }
    }

    private static Roster readRoster(Path file) {
        try {
            return Roster.read(file);
        } catch (RosterException ex) {
            throw new ImageException(ImageException.BAD_INPUT, String.join("\n", ex.problems()));
        }
    }

    /**
     * A whole-class image: each row, applied to the image's settings, must pass spinet run's
     * checks, and each board must be able to find its row.
     */
    private static void checkEveryRow(LabBoardConfig base, Roster classRoster) {
        List<String> problems = new ArrayList<>();
        boolean several = classRoster.rows().size() > 1;
        for (RosterRow row : classRoster.rows()) {
            String where = classRoster.source() + " line " + row.line() + " (" + row.board() + "): ";
            if (several && row.match() == null) {
                problems.add(where + "one image serves every row, so each row needs a match (the board's MAC, serial:HEX or"
                        + " host:NAME); or build each board's own image with --board " + row.board());
            }
            Map<String, String> settings = new LinkedHashMap<>(base.runOptions());
            settings.remove("roster");
            settings.putAll(row.runSettings());
            try {
                RunConfiguration.check(settings, "spinet/spinet.properties");
            } catch (IllegalArgumentException ex) {
                problems.add(where + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ImageException(ImageException.BAD_INPUT, String.join("\n", problems));
        }
    }

    /**
     * The board reads spinet.properties with {@code spinet run --config}: read it the same way
     * here, so whatever run would refuse is refused on this desk, with run's words.
     */
    private static void checkAsTheBoardWill(LabBoardConfig config) {
        if (config.peer() == null && LabRoles.forLab(config.lab()).needsPeer()) {
            throw new ImageException(ImageException.BAD_INPUT, "lab " + config.lab() + " connects to the student's computer:"
                    + " give its address with --peer A.B.C.D, or build from a --roster that gives each board its student's address");
        }
        try {
            RunConfiguration.check(config.runOptions(), "spinet/spinet.properties");
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.BAD_INPUT, e.getMessage());
        }
    }

    private void checkBase() throws IOException {
        if (!Files.isRegularFile(base)) {
            throw new ImageException(ImageException.BAD_INPUT, "--base " + base + " is not a file");
        }
        byte[] head = new byte[6];
        try (InputStream in = Files.newInputStream(base)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n >= 6 && (head[0] & 0xFF) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') {
                throw new ImageException(ImageException.BAD_INPUT, "--base " + base
                        + " is xz-compressed (the download format); decompress it first: xz -dk " + base);
            }
            if (n >= 2 && head[0] == 'P' && head[1] == 'K') {
                throw new ImageException(ImageException.BAD_INPUT, "--base " + base + " is a zip archive; unzip it first");
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel outCh = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, outCh);
            }
        }
    }

    private List<String> readKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        for (Path p : sshKeys) {
            if (!Files.isRegularFile(p)) {
                throw new ImageException(ImageException.BAD_INPUT, "--ssh-key " + p + " is not a file");
            }
            for (String line : Files.readAllLines(p)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (!t.startsWith("ssh-") && !t.startsWith("ecdsa-") && !t.startsWith("sk-")) {
                    throw new ImageException(ImageException.BAD_INPUT, "--ssh-key " + p
                            + " does not look like a public key (expected 'ssh-ed25519 AAAA...'); pass the .pub file");
                }
                keys.add(t);
            }
        }
        return keys;
    }

    private String checkedFirstrun() {
        if (firstrun != null && !firstrun.equals("/boot/firmware") && !firstrun.equals("/boot")) {
            throw new ImageException(ImageException.BAD_INPUT, "--firstrun takes /boot/firmware (Bookworm) or /boot"
                    + " (Bullseye and older), got '" + firstrun + "'");
        }
        return firstrun;
    }

    private String checkedUser() {
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new ImageException(ImageException.BAD_INPUT, "--user '" + user + "' is not a valid login name");
        }
        return user;
    }
}
