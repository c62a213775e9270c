package dev.spinet.image;

import java.util.List;

/**
 * The first-boot provisioning written next to the jar: the systemd unit, the shell script that
 * installs Java, the jar and the unit, and the cloud-init seed ({@code user-data},
 * {@code meta-data}) that Raspberry Pi OS (Trixie images from October 2025 on) reads from the boot
 * partition on first boot and that runs the script.
 *
 * <p>The script does the work and cloud-init only calls it, so the same script serves older
 * releases without cloud-init (docs/labs-images.md) and can be re-run by hand.
 */
final class ProvisioningFiles {

    /** Where the boot partition is mounted on Bookworm and later (Bullseye and older: /boot). */
    static final String BOOT_MOUNT = "/boot/firmware";
    static final String INSTALL_DIR = "/opt/spinet";
    /** The Debian package assumed to provide Java 25 (Trixie: openjdk-25 is in the archive; needs network). */
    static final String JAVA_PACKAGE = "openjdk-25-jre-headless";

    private ProvisioningFiles() {
    }

    /**
     * spinet/spinet.service: runs the lab board from /opt/spinet with the config file. A lab the
     * instructor switches is remembered in the service's state directory; with a control key the
     * board opens its control port, the key handed over by systemd as a credential (systemd 248 or
     * later: Bookworm and Trixie).
     */
    static String systemdUnit(LabBoardConfig config, boolean controlKey) {
        return """
                # Spinet lab board: lab %1$s, chip %2$s (written by `spinet image build`).
                # Installed to /etc/systemd/system/spinet.service by spinet/provision.sh.
                # Follow it with: journalctl -fu spinet   (--trace prints every TCP state transition)
                [Unit]
                Description=Spinet TCP lab board (lab %1$s, %2$s on SPI %3$s)
                Documentation=file://%4$s/README.txt

                [Service]
                Type=simple
                # A transient user that may open /dev/spidev* and /dev/gpiochip* (groups spi, gpio
                # on Raspberry Pi OS); nothing here needs root.
                DynamicUser=yes
                SupplementaryGroups=spi gpio
                # /var/lib/spinet: the lab the instructor switched to, kept across restarts.
                StateDirectory=spinet
                %5$s# /opt/spinet/java links to the Java 25 runtime provision.sh found or installed.
                ExecStart=%4$s/java --enable-native-access=ALL-UNNAMED -jar %4$s/spinet.jar run --config %4$s/spinet.properties --state-dir %%S/spinet%6$s
                # Ctrl-C equivalent: spinet closes its connections gracefully on SIGINT.
                KillSignal=SIGINT
                TimeoutStopSec=10
                # If /dev/spidev%3$s is not there yet (or the wiring is wrong) the service exits with
                # a message in the journal and is retried.
                Restart=on-failure
                RestartSec=5

                [Install]
                WantedBy=multi-user.target
                """.formatted(config.label(), config.chip(), config.spi(), INSTALL_DIR,
                controlKey ? "# The board's control key, readable by this service only (docs/labs-images.md).\n"
                        + "LoadCredential=control.keys:" + INSTALL_DIR + "/control.keys\n" : "",
                controlKey ? " --control-key %d/control.keys" : "");
    }

    /**
     * spinet/provision.sh: checks the files against the manifest, installs Java 25 if missing,
     * copies jar + config to /opt/spinet, installs and starts the unit. Idempotent: safe to re-run.
     */
    static String provisionScript(LabBoardConfig config) {
        return """
                #!/bin/sh
                # Spinet first-boot provisioning for lab %1$s (written by `spinet image build`).
                # Run by cloud-init (user-data runcmd) on first boot, as root, with network.
                # Safe to run again by hand: sudo sh %2$s/spinet/provision.sh
                # Log: /var/log/spinet-provision.log
                set -eu
                exec >>/var/log/spinet-provision.log 2>&1
                echo "=== spinet provision $(date -Is) ==="

                BOOT=""
                for d in %2$s /boot; do
                    if [ -f "$d/spinet/spinet.jar" ]; then BOOT="$d"; break; fi
                done
                if [ -z "$BOOT" ]; then
                    echo "spinet: no spinet/spinet.jar under %2$s or /boot; was the image built with spinet image build?"
                    exit 1
                fi
                cd "$BOOT"

                # The card may be worn or counterfeit: check what we install against the manifest.
                # control.keys leaves the boot partition once installed (below), so a second run
                # checks the rest.
                if [ -f spinet/control.keys ]; then
                    grep -E '^[0-9a-f]{64}  spinet/' spinet/MANIFEST.txt | sha256sum -c -
                else
                    grep -E '^[0-9a-f]{64}  spinet/' spinet/MANIFEST.txt | grep -v '  spinet/control.keys$' | sha256sum -c -
                fi

                java_is_25_or_later() {
                    "$1" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'
                }
                JAVA=""
                for j in /usr/lib/jvm/java-25-openjdk-*/bin/java $(command -v java || true); do
                    if [ -x "$j" ] && java_is_25_or_later "$j"; then JAVA="$j"; break; fi
                done
                if [ -z "$JAVA" ]; then
                    echo "spinet: installing %3$s (needs network: the Pi's own Ethernet or Wi-Fi)"
                    export DEBIAN_FRONTEND=noninteractive
                    apt-get update
                    apt-get install -y --no-install-recommends %3$s
                    for j in /usr/lib/jvm/java-25-openjdk-*/bin/java; do
                        if [ -x "$j" ]; then JAVA="$j"; break; fi
                    done
                fi
                if [ -z "$JAVA" ]; then
                    echo "spinet: no Java 25 after installing %3$s; install a Java 25 runtime and re-run this script"
                    exit 1
                fi

                install -d -m 0755 %4$s
                install -m 0644 spinet/spinet.jar spinet/spinet.properties spinet/MANIFEST.txt spinet/README.txt %4$s/
                if [ -f spinet/roster.csv ]; then
                    install -m 0644 spinet/roster.csv %4$s/
                fi
                if [ -f spinet/control.keys ]; then
                    # Root-only from now on; systemd hands it to the service (LoadCredential), and
                    # the copy on the boot partition, which anyone holding the card can read, goes.
                    install -m 0600 spinet/control.keys %4$s/control.keys
                    rm -f spinet/control.keys
                fi
                ln -sfn "$JAVA" %4$s/java
                install -m 0644 spinet/spinet.service /etc/systemd/system/spinet.service
                systemctl daemon-reload
                systemctl enable spinet.service
                systemctl restart spinet.service
                # Older releases run this from a one-shot unit (see firstrun.sh): once is enough.
                if [ -f /etc/systemd/system/spinet-provision.service ]; then
                    systemctl disable spinet-provision.service || true
                fi
                echo "spinet: lab %1$s installed and started with $JAVA"
                """.formatted(config.label(), BOOT_MOUNT, JAVA_PACKAGE, INSTALL_DIR);
    }

    /**
     * The cloud-init user-data: run provision.sh once per instance; optionally a login user with an
     * SSH key for the instructor.
     */
    static String userData(LabBoardConfig config, String adminUser, List<String> sshKeys) {
        StringBuilder sb = new StringBuilder();
        sb.append("#cloud-config\n");
        sb.append("# Spinet lab ").append(config.label()).append(" (written by `spinet image build`).\n");
        sb.append("# cloud-init runs this once on first boot (per meta-data instance-id).\n");
        sb.append("# provision.sh installs Java 25 if missing (").append(JAVA_PACKAGE)
                .append(", needs network), the jar and spinet.service.\n");
        if (adminUser != null) {
            sb.append("users:\n");
            sb.append("  - name: ").append(adminUser).append('\n');
            sb.append("    groups: [sudo, spi, gpio]\n");
            sb.append("    shell: /bin/bash\n");
            sb.append("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n");
            sb.append("    lock_passwd: true\n");
            sb.append("    ssh_authorized_keys:\n");
            for (String key : sshKeys) {
                sb.append("      - \"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            }
            sb.append("ssh_pwauth: false\n");
        }
        sb.append("runcmd:\n");
        if (adminUser != null) {
            sb.append("  - [systemctl, enable, --now, ssh]\n");
        }
        sb.append("  - [sh, ").append(BOOT_MOUNT).append("/spinet/provision.sh]\n");
        return sb.toString();
    }

    /**
     * The cloud-init meta-data. The instance-id changes with the content, so a card whose boot
     * partition is rewritten with another lab ({@code --overlay}) provisions again on next boot.
     */
    static String metaData(String lab, String contentHash) {
        return "# Spinet lab " + lab + ": a new instance-id makes cloud-init run user-data again.\n"
                + "instance-id: spinet-" + lab + "-" + contentHash.substring(0, 12) + "\n";
    }

    /** spinet/README.txt: for whoever finds this card. */
    static String readme(LabBoardConfig config, String version) {
        StringBuilder opts = new StringBuilder();
        config.runOptions().forEach((k, v) -> opts.append("    ").append(k).append(" = ").append(v).append('\n'));
        return """
                Spinet lab board: lab %1$s
                ===========================

                This card was prepared with `spinet image build` (spinet %2$s). On first boot,
                cloud-init runs spinet/provision.sh, which installs Java 25 if it is missing
                (package %3$s, needs the Pi's own network), copies spinet.jar and
                spinet.properties to %4$s and starts spinet.service.

                The board runs `spinet run` with:
                %5$s
                Watch it:     journalctl -fu spinet
                Status page:  http://<board address>/   (and /diagram.svg, /status.json)
                Check files:  spinet image inspect <this image>, or on the Pi:
                              cd %6$s && grep '  spinet/' spinet/MANIFEST.txt | sha256sum -c -
                """.formatted(config.label(), version, JAVA_PACKAGE, INSTALL_DIR, opts, BOOT_MOUNT);
    }
}
