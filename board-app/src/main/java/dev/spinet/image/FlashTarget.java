package dev.spinet.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The card {@code spinet image flash} writes to: a block device (/dev/sdX, /dev/mmcblk0, or a
 * /dev/disk/by-id link to one) or a regular file standing in for one (tests, or preparing a copy).
 * Knows its size and whether it, or any partition on it, is in use.
 *
 * <p>"In use" is decided two ways, because either alone misses cases: by path (the mount source,
 * resolved through symlinks, is the device or one of its partitions, or a device-mapper device
 * built on them, found through /sys/class/block/NAME/slaves) and by device number (mountinfo's
 * major:minor equals the device's or one of its partitions').
 */
final class FlashTarget {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;

    private final Path requested;
    private final Path real;
    private final boolean blockDevice;
    private final Path sysClassBlock;

    FlashTarget(Path requested, Path real, boolean blockDevice, Path sysClassBlock) {
        this.requested = requested;
        this.real = real;
        this.blockDevice = blockDevice;
        this.sysClassBlock = sysClassBlock;
    }

    static FlashTarget of(Path device, Path sysClassBlock) throws IOException {
        if (!Files.exists(device)) {
            throw new ImageException(ImageException.BAD_INPUT, "--device " + device + " does not exist;"
                    + " list disks with lsblk (a card reader shows up as /dev/sdX or /dev/mmcblkN)");
        }
        Path real = device.toRealPath();
        int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int type = mode & S_IFMT;
        if (type != S_IFBLK && type != S_IFREG) {
            throw new ImageException(ImageException.BAD_INPUT, "--device " + device
                    + " is neither a block device nor a regular file");
        }
        return new FlashTarget(device, real, type == S_IFBLK, sysClassBlock);
    }

    Path path() {
        return real;
    }

    boolean isBlockDevice() {
        return blockDevice;
    }

    String describe() {
        String kind = blockDevice ? "block device" : "regular file";
        return requested.equals(real) ? real + " (" + kind + ")" : requested + " -> " + real + " (" + kind + ")";
    }

    long size() throws IOException {
        if (!blockDevice) {
            return Files.size(real);
        }
        Path sysSize = sysClassBlock.resolve(real.getFileName().toString()).resolve("size");
        if (Files.isReadable(sysSize)) {
            // /sys/class/block/NAME/size counts 512-byte sectors whatever the device's sector size.
            return Long.parseLong(Files.readString(sysSize).trim()) * 512;
        }
        try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
            return ch.size();
        }
    }

    /** The mount entries that use this target, a partition of it, or a device built on them. */
    List<MountEntry> usersAmong(List<MountEntry> mounts) throws IOException {
        Set<String> devNumbers = blockDevice ? deviceNumbersOfDiskAndPartitions() : Set.of();
        String diskName = real.getFileName().toString();
        List<MountEntry> users = new ArrayList<>();
        for (MountEntry m : mounts) {
            if (m.majorMinor() != null && devNumbers.contains(m.majorMinor())) {
                users.add(m);
                continue;
            }
            Path source = sourcePath(m.source());
            if (source == null) {
                continue;
            }
            if (source.equals(real)) {
                users.add(m);
            } else if (blockDevice && source.startsWith("/dev")
                    && underlyingDisks(source.getFileName().toString(), 0).contains(diskName)) {
                users.add(m);
            }
        }
        return users;
    }

    private static Path sourcePath(String source) {
        if (!source.startsWith("/")) {
            return null;
        }
        try {
            Path p = Path.of(source);
            return Files.exists(p) ? p.toRealPath() : p.normalize();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The whole disks a block device lives on: itself if it is a disk, its parent if it is a
     * partition (/sys/class/block/sdb1 links into .../block/sdb/sdb1), and for device-mapper or md
     * devices the disks under /sys/class/block/NAME/slaves, recursively.
     */
    private Set<String> underlyingDisks(String name, int depth) throws IOException {
        Set<String> disks = new LinkedHashSet<>();
        disks.add(name);
        disks.add(heuristicParent(name));
        Path node = sysClassBlock.resolve(name);
        if (depth > 8 || !Files.exists(node)) {
            return disks;
        }
        if (Files.exists(node.resolve("partition"))) {
            Path parent = node.toRealPath().getParent();
            if (parent != null && parent.getFileName() != null) {
                disks.add(parent.getFileName().toString());
            }
        }
        Path slaves = node.resolve("slaves");
        if (Files.isDirectory(slaves)) {
            try (var list = Files.list(slaves)) {
                for (Path s : list.toList()) {
                    disks.addAll(underlyingDisks(s.getFileName().toString(), depth + 1));
                }
            }
        }
        return disks;
    }

    /** sdb1 -> sdb, mmcblk0p2 -> mmcblk0, nvme0n1p1 -> nvme0n1, loop0p1 -> loop0 (when sysfs is not there). */
    static String heuristicParent(String name) {
        if (name.matches("(mmcblk|nvme|loop|nbd|md).*\\dp\\d+")) {
            return name.replaceFirst("p\\d+$", "");
        }
        if (name.matches("(sd|vd|hd|xvd)[a-z]+\\d+")) {
            return name.replaceFirst("\\d+$", "");
        }
        return name;
    }

    /** "8:16" for the disk and "8:17", "8:18" ... for its partitions, from /sys/class/block. */
    private Set<String> deviceNumbersOfDiskAndPartitions() throws IOException {
        Set<String> numbers = new LinkedHashSet<>();
        String name = real.getFileName().toString();
        Path node = sysClassBlock.resolve(name);
        addDev(numbers, node);
        if (Files.isDirectory(node)) {
            try (var list = Files.list(node.toRealPath())) {
                for (Path child : list.toList()) {
                    if (child.getFileName().toString().startsWith(name) && Files.exists(child.resolve("partition"))) {
                        addDev(numbers, child);
                    }
                }
            }
        }
        return numbers;
    }

    private static void addDev(Set<String> numbers, Path node) throws IOException {
        Path dev = node.resolve("dev");
        if (Files.isReadable(dev)) {
            numbers.add(Files.readString(dev).trim());
        }
    }
}
