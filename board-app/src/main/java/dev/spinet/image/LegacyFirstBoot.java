package dev.spinet.image;

/**
 * First boot for Raspberry Pi OS releases without cloud-init (Bullseye, and Bookworm images before
 * the October 2025 Trixie images): the mechanism Raspberry Pi Imager used there. {@code cmdline.txt}
 * gets {@code systemd.run=BOOT/firstrun.sh systemd.run_success_action=reboot
 * systemd.unit=kernel-command-line.target}, so systemd runs the script once, early, then reboots.
 *
 * <p>That early there is no network, so the script cannot install Java itself: it installs a
 * one-shot {@code spinet-provision.service} that runs {@code spinet/provision.sh} after
 * network-online.target on the next boot (provision.sh disables it when done), then removes
 * itself from cmdline.txt and from the boot partition.
 */
final class LegacyFirstBoot {

    static final String SCRIPT = "firstrun.sh";
    static final String CMDLINE_TXT = "cmdline.txt";

    private LegacyFirstBoot() {
    }

    static String systemdRunArguments(String bootMount) {
        return "systemd.run=" + bootMount + "/" + SCRIPT
                + " systemd.run_success_action=reboot systemd.unit=kernel-command-line.target";
    }

    /**
     * cmdline.txt is one line of kernel arguments. Appends the systemd.run arguments unless they
     * are there already; refuses a systemd.run of another script (Imager's own customisation),
     * since the kernel command line can carry only one.
     */
    static String addTo(String cmdline, String bootMount) {
        String line = cmdline.strip();
        if (line.isEmpty()) {
            throw new ImageException(ImageException.BAD_INPUT, "cmdline.txt is empty or missing: not a Raspberry Pi OS"
                    + " boot partition, or a damaged one; --firstrun needs it");
        }
        String ours = systemdRunArguments(bootMount);
        if (line.contains(ours)) {
            return line + "\n";
        }
        if (line.contains("systemd.run=")) {
            throw new ImageException(ImageException.BAD_INPUT, "cmdline.txt already runs another first-boot script ("
                    + line.substring(line.indexOf("systemd.run=")).split(" ")[0]
                    + "), probably Raspberry Pi Imager's customisation; flash the base image without customisation"
                    + " or drop --firstrun");
        }
        return line + " " + ours + "\n";
    }

    static String script(String bootMount) {
        return """
                #!/bin/bash
                # Spinet first boot for Raspberry Pi OS without cloud-init (written by `spinet image build --firstrun`).
                # systemd runs this once, early and without network (systemd.run= in cmdline.txt), then reboots.
                # It arranges for %1$s/spinet/provision.sh to run once the network is up, and removes itself.
                set +e
                cat > /etc/systemd/system/spinet-provision.service <<'UNIT'
                [Unit]
                Description=Spinet first-boot provisioning (Java 25, /opt/spinet, spinet.service)
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=oneshot
                ExecStart=/bin/sh %1$s/spinet/provision.sh

                [Install]
                WantedBy=multi-user.target
                UNIT
                systemctl enable spinet-provision.service
                rm -f %1$s/firstrun.sh
                sed -i 's| systemd.run.*||g' %1$s/cmdline.txt
                exit 0
                """.formatted(bootMount);
    }
}
