package dev.spinet.image;

import java.io.IOException;
import java.util.List;

/**
 * What is mounted right now. {@code spinet image flash} refuses a device that appears here;
 * {@link ProcMountTable} reads the kernel's view, tests inject their own.
 */
public interface MountTable {

    List<MountEntry> entries() throws IOException;
}
