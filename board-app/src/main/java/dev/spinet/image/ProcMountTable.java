package dev.spinet.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's mount table: {@code /proc/mounts} (source and mount point),
 * {@code /proc/self/mountinfo} (adds the device numbers, which still identify the disk when the
 * source is a symlink or a mapper name) and {@code /proc/swaps} (a swap partition is in use but
 * not mounted).
 *
 * <pre>
 * /proc/mounts:          /dev/sdb1 /media/me/bootfs vfat rw,... 0 0
 * /proc/self/mountinfo:  36 25 8:17 / /media/me/bootfs rw,... shared:1 - vfat /dev/sdb1 rw,...
 *                        id parent maj:min root mountpoint options [optional...] - fstype source super
 * /proc/swaps:           /dev/sda3  partition  1048572  0  -2
 * </pre>
 * Paths in these files escape space, tab, newline and backslash as octal (\040 ...).
 */
public final class ProcMountTable implements MountTable {

    private final Path mounts;
    private final Path mountinfo;
    private final Path swaps;

    public ProcMountTable(Path mounts, Path mountinfo, Path swaps) {
        this.mounts = mounts;
        this.mountinfo = mountinfo;
        this.swaps = swaps;
    }

    public static ProcMountTable system() {
        return new ProcMountTable(Path.of("/proc/mounts"), Path.of("/proc/self/mountinfo"), Path.of("/proc/swaps"));
    }

    @Override
    public List<MountEntry> entries() throws IOException {
        List<MountEntry> out = new ArrayList<>();
        if (Files.isReadable(mounts)) {
            for (String line : Files.readAllLines(mounts)) {
                String[] f = line.split(" ");
                if (f.length >= 2) {
                    out.add(new MountEntry(unescape(f[0]), unescape(f[1]), null));
                }
            }
        }
        if (Files.isReadable(mountinfo)) {
            for (String line : Files.readAllLines(mountinfo)) {
                String[] f = line.split(" ");
                int dash = -1;
                for (int i = 6; i < f.length; i++) {
                    if (f[i].equals("-")) {
                        dash = i;
                        break;
                    }
                }
                if (f.length >= 5 && dash > 0 && dash + 2 < f.length) {
                    out.add(new MountEntry(unescape(f[dash + 2]), unescape(f[4]), f[2]));
                }
            }
        }
        if (Files.isReadable(swaps)) {
            List<String> lines = Files.readAllLines(swaps);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length >= 1 && !f[0].isEmpty()) {
                    out.add(new MountEntry(unescape(f[0]), "[swap]", null));
                }
            }
        }
        if (out.isEmpty()) {
            throw new ImageException(ImageException.REFUSED, "cannot read " + mounts + " or " + mountinfo
                    + " to check that the target is not mounted; use --force only if you are sure");
        }
        return out;
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int at) {
        if (at + 3 > s.length()) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
