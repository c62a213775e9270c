package dev.spinet.image;

import java.util.List;

/**
 * The lab names an image can be built for. {@code spinet image build --lab NAME} checks the name
 * here, so a typo fails on the instructor's desktop and not on thirty boards at first boot. The
 * CLI backs this with the lab catalogue; {@link FixedLabNames} is a stand-in over a fixed list.
 */
public interface LabNames {

    boolean exists(String name);

    /** Every lab name, in catalogue order (used in error messages). */
    List<String> names();
}
