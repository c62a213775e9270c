package dev.spinet.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process may open a device node read-write, judged as the kernel does for a
 * character device: root passes; otherwise the owner bits for the owner, the group bits for a
 * member of the file's group, the other bits for everyone else. Group names come from
 * {@code <root>/etc/group}, which also tells a user added to the group after logging in (listed
 * there, missing from this process's groups) from one never added.
 */
final class DeviceAccess {

    private static final int READ_WRITE = 06;

    private DeviceAccess() {
    }

    /**
     * @param device    the node, such as {@code <root>/dev/spidev0.0}
     * @param shownPath the path to print ({@code /dev/spidev0.0})
     */
    static DoctorCheck check(String name, Path root, Path device, String shownPath, ProcessIdentity identity, String user) {
        int uid;
        int gid;
        int mode;
        try {
            uid = (Integer) Files.getAttribute(device, "unix:uid");
            gid = (Integer) Files.getAttribute(device, "unix:gid");
            mode = (Integer) Files.getAttribute(device, "unix:mode");
        } catch (IOException | RuntimeException e) {
            return DoctorCheck.skip(name, "cannot read the owner and mode of " + shownPath + " (" + e.getMessage() + ")");
        }
        String group = groupName(root, gid).orElse("gid " + gid);
        String owner = shownPath + " (owner uid " + uid + ", group " + group + ", mode " + String.format("%03o", mode & 0777) + ")";
        if (identity.uid() == 0) {
            return DoctorCheck.pass(name, owner + ": running as root");
        }
        if (identity.uid() == uid && ((mode >> 6) & READ_WRITE) == READ_WRITE) {
            return DoctorCheck.pass(name, owner + ": this user owns it");
        }
        if (identity.inGroup(gid) && ((mode >> 3) & READ_WRITE) == READ_WRITE) {
            return DoctorCheck.pass(name, owner + ": " + user + " is in group " + group);
        }
        if ((mode & READ_WRITE) == READ_WRITE) {
            return DoctorCheck.pass(name, owner + ": open to everyone");
        }
        if (((mode >> 3) & READ_WRITE) != READ_WRITE) {
            return DoctorCheck.fail(name, owner + ": not read-write for its group",
                    "the udev rules of Raspberry Pi OS give it mode 660; restore them or run as root");
        }
        if (groupMembers(root, gid).contains(user)) {
            return DoctorCheck.fail(name, owner + ": " + user + " was added to group " + group
                    + " after this login started", "log out and in again (or run 'newgrp " + group + "')");
        }
        return DoctorCheck.fail(name, owner + ": " + user + " is not in group " + group,
                "sudo usermod -aG " + group + " \"$USER\", then log out and in again");
    }

    static Optional<String> groupName(Path root, int gid) {
        return groupLine(root, gid).map(fields -> fields[0]);
    }

    private static List<String> groupMembers(Path root, int gid) {
        return groupLine(root, gid).filter(f -> f.length > 3 && !f[3].isEmpty())
                .map(f -> Arrays.asList(f[3].split(","))).orElse(List.of());
    }

    private static Optional<String[]> groupLine(Path root, int gid) {
        try {
            for (String line : Files.readAllLines(root.resolve("etc/group"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 3 && fields[2].equals(Integer.toString(gid))) {
                    return Optional.of(fields);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
