package dev.spinet.instructor;

import dev.spinet.wire.Ipv4Packet;
import java.util.List;
import java.util.Locale;

/**
 * The class status for a terminal: one line per board (name, address, lab, link or why it does not
 * answer), then one line per connection and the board's latest transitions.
 */
public final class ClassStatusText {

    /** Transitions shown per board. */
    static final int TRANSITIONS_SHOWN = 3;

    private ClassStatusText() {
    }

    public static String render(List<BoardStatus> boards) {
        StringBuilder out = new StringBuilder();
        for (BoardStatus board : boards) {
            String address = board.row().address() == 0 ? "dhcp" : Ipv4Packet.formatAddress(board.row().address());
            String lab = board.lab() != null ? board.lab() : board.row().lab();
            if (board.labOrigin() != null && !board.labOrigin().equals("image")) {
                lab += " (" + board.labOrigin() + ")";
            }
            out.append(String.format(Locale.ROOT, "%-12s %-15s %-28s ", board.row().board(), address, lab));
            switch (board.reach()) {
                case UP -> out.append("link ").append(board.linkUp() ? "up" : "DOWN").append(", ")
                        .append(board.connections().size()).append(board.connections().size() == 1 ? " connection" : " connections");
                case NOT_POLLED -> out.append("not polled: ").append(board.problem());
                case NOT_SPINET -> out.append("NOT A SPINET BOARD: ").append(board.problem());
                case UNREACHABLE -> out.append("UNREACHABLE: ").append(board.problem());
            }
            out.append('\n');
            for (BoardStatus.Connection c : board.connections()) {
                out.append(String.format(Locale.ROOT, "    %5d  %s:%d  %s  %s%n", c.localPort(), c.remote(), c.remotePort(), c.state(),
                        ClassStatusPage.duration(c.ageMs())));
            }
            List<BoardStatus.Transition> recent = board.recent();
            for (int i = 0; i < Math.min(TRANSITIONS_SHOWN, recent.size()); i++) {
                BoardStatus.Transition t = recent.get(i);
                out.append(String.format(Locale.ROOT, "    %s ago  #%d %s -> %s (%s)%n", ClassStatusPage.duration(t.ageMs()),
                        t.handle() & 0xFFFF, t.from(), t.to(), t.cause()));
            }
        }
        return out.toString();
    }
}
