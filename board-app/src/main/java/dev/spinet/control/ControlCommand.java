package dev.spinet.control;

import dev.spinet.app.Ipv4Settings;
import dev.spinet.wire.Ipv4Packet;

/**
 * What the instructor asks a board to do: run another lab (and connect to another student's
 * computer), or go back to the lab its image or roster gave it.
 *
 * @param lab  the lab to run, or null for a reset
 * @param peer the student's computer for the new lab, or 0 to keep the board's
 */
public record ControlCommand(String lab, int peer) {

    public static final ControlCommand RESET = new ControlCommand(null, 0);

    public boolean reset() {
        return lab == null;
    }

    /** As it goes on the wire: {@code lab NAME}, {@code lab NAME peer A.B.C.D} or {@code reset}. */
    public String text() {
        if (lab == null) {
            return "reset";
        }
        return "lab " + lab + (peer == 0 ? "" : " peer " + Ipv4Packet.formatAddress(peer));
    }

    /**
     * @throws IllegalArgumentException when the text is not a command
     */
    public static ControlCommand parse(String text) {
        String[] words = text.strip().split(" ");
        if (words.length == 1 && words[0].equals("reset")) {
            return RESET;
        }
        if (words[0].equals("lab") && (words.length == 2 || words.length == 4 && words[2].equals("peer"))
                && words[1].matches("[a-z0-9-]{1,40}")) {
            return new ControlCommand(words[1], words.length == 4 ? Ipv4Settings.parseAddress("peer", words[3]) : 0);
        }
        throw new IllegalArgumentException("unknown command '" + text.strip() + "'; expected: lab NAME [peer A.B.C.D], or reset");
    }
}
