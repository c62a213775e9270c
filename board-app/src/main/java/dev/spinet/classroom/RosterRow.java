package dev.spinet.classroom;

import dev.spinet.app.Ipv4Settings;
import dev.spinet.wire.Ipv4Packet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One board of a class roster, checked ({@link Roster}).
 *
 * @param line       the row's line in the roster file, for messages
 * @param board      the board's name: on its sticker, in the class status page, and the name its
 *                   control key is derived for
 * @param match      how the board recognises its row in a whole-class image, or null
 * @param addressing its static address and gateway, or DHCP
 * @param lab        the lab it runs
 * @param peer       the student's computer for a lab whose board connects to it, else 0
 */
public record RosterRow(int line, String board, BoardMatch match, Ipv4Settings addressing, String lab, int peer) {

    /** The static address, or 0 with DHCP (or while the row's address is unreadable). */
    public int address() {
        return addressing == null || addressing.dhcp() ? 0 : addressing.address();
    }

    /**
     * The options of {@code spinet run} this row fixes, keyed as in spinet.properties: {@code board},
     * {@code ip}, {@code lab}, and {@code gateway} and {@code peer} when given.
     */
    public Map<String, String> runSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("board", board);
        settings.put("ip", addressing.ipText());
        if (addressing.gateway() != 0) {
            settings.put("gateway", Ipv4Packet.formatAddress(addressing.gateway()));
        }
        settings.put("lab", lab);
        if (peer != 0) {
            settings.put("peer", Ipv4Packet.formatAddress(peer));
        }
        return settings;
    }
}
