package dev.spinet.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who this process is to the kernel's permission checks: the effective user and group and the
 * supplementary groups, from {@code /proc/self/status} ({@code Uid:}, {@code Gid:} real,
 * effective, saved, filesystem; {@code Groups:}). Reading the file rather than asking the JVM
 * lets tests hand in a fake one, and shows the groups of THIS login: a user added to a group
 * later has it in /etc/group but not here until they log in again.
 */
public record ProcessIdentity(int uid, int gid, Set<Integer> groups) {

    public ProcessIdentity {
        groups = Set.copyOf(groups);
    }

    /** Parsed from {@code <root>/proc/self/status}, or empty when it is missing or unreadable. */
    public static Optional<ProcessIdentity> read(Path root) {
        try {
            int uid = -1;
            int gid = -1;
            Set<Integer> groups = new HashSet<>();
            for (String line : Files.readAllLines(root.resolve("proc/self/status"), StandardCharsets.US_ASCII)) {
                String[] fields = line.trim().split("\\s+");
                switch (fields[0]) {
                    case "Uid:" -> uid = Integer.parseInt(fields[2]);
                    case "Gid:" -> gid = Integer.parseInt(fields[2]);
                    case "Groups:" -> {
                        for (int i = 1; i < fields.length; i++) {
                            groups.add(Integer.parseInt(fields[i]));
                        }
                    }
                    default -> {
                    }
                }
            }
            return uid < 0 || gid < 0 ? Optional.empty() : Optional.of(new ProcessIdentity(uid, gid, groups));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether group {@code groupId} counts for this process (effective or supplementary). */
    public boolean inGroup(int groupId) {
        return gid == groupId || groups.contains(groupId);
    }
}
