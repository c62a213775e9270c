package dev.spinet.instructor;

import dev.spinet.wire.Ipv4Packet;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The class page: one card per board with its lab, address, link, connections and their states,
 * its latest transitions and a few counters; a board that does not answer is shown as such. The
 * page reloads itself every few seconds (a meta refresh: no scripts), and everything a board said
 * is escaped before it is shown.
 */
public final class ClassStatusPage {

    /** Transitions shown per board. */
    static final int TRANSITIONS_SHOWN = 6;

    private ClassStatusPage() {
    }

    public static String render(List<BoardStatus> boards, String rosterName, long nowMillis, int refreshSeconds, ZoneId zone) {
        long up = boards.stream().filter(b -> b.reach() == BoardStatus.Reach.UP).count();
        StringBuilder out = new StringBuilder(16 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">")
                .append("<title>spinet class ").append(html(rosterName)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:1em 1.5em;background:#f4f5f7;color:#222}")
                .append("h1{font-size:1.4em;margin:0 0 .2em}p.sum{margin:0 0 1em;color:#555}")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px}")
                .append(".card{background:#fff;border:1px solid #ccd;border-left:6px solid #2e8b57;border-radius:4px;padding:8px 10px}")
                .append(".card.down{border-left-color:#c0392b;background:#fbeeee}.card.off{border-left-color:#999;background:#f0f0f0}")
                .append(".card h2{font-size:1.1em;margin:0;display:flex;justify-content:space-between}")
                .append(".meta{color:#555;font-size:.85em;margin:.2em 0 .4em}.lab{font-weight:bold}")
                .append("table{border-collapse:collapse;width:100%;font-size:.82em;margin:.2em 0 .4em}")
                .append("td,th{padding:1px 4px;text-align:left;border-bottom:1px solid #eee}th{color:#666;font-weight:normal}")
                .append(".s{font-family:monospace;padding:0 4px;border-radius:3px}")
                .append(".ESTABLISHED{background:#d4f4dd}.SYN_SENT,.SYN_RECEIVED{background:#fff1c2}")
                .append(".FIN_WAIT_1,.FIN_WAIT_2,.CLOSE_WAIT,.CLOSING,.LAST_ACK{background:#dce8fb}.TIME_WAIT{background:#e6dcf7}")
                .append(".LISTEN,.CLOSED{background:#eee}.why{color:#a03020;font-size:.9em}.counters{font-size:.78em;color:#444}")
                .append("</style></head><body>\n");
        out.append("<h1>Spinet class: ").append(html(rosterName)).append("</h1>\n<p class=\"sum\">")
                .append(boards.size()).append(" boards, ").append(up).append(" answering; updated ")
                .append(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).format(Instant.ofEpochMilli(nowMillis).atZone(zone)))
                .append(", refreshed every ").append(refreshSeconds).append(" s. Each board's own page: its address.</p>\n")
                .append("<div class=\"grid\">\n");
        for (BoardStatus board : boards) {
            card(out, board, nowMillis);
        }
        out.append("</div>\n</body></html>\n");
        return out.toString();
    }

    private static void card(StringBuilder out, BoardStatus board, long now) {
        String address = board.row().address() == 0 ? "dhcp" : Ipv4Packet.formatAddress(board.row().address());
        String kind = switch (board.reach()) {
            case UP -> "card";
            case NOT_POLLED -> "card off";
            default -> "card down";
        };
        out.append("<div class=\"").append(kind).append("\"><h2><span>").append(html(board.row().board())).append("</span><span>");
        if (board.row().address() != 0) {
            out.append("<a href=\"http://").append(address).append("/\">").append(address).append("</a>");
        } else {
            out.append(address);
        }
        out.append("</span></h2>\n<div class=\"meta\">");
        String lab = board.lab() != null ? board.lab() : board.row().lab();
        out.append("lab <span class=\"lab\">").append(html(lab)).append("</span>");
        if (board.labOrigin() != null && !board.labOrigin().equals("image")) {
            out.append(" (").append(html(board.labOrigin())).append(", roster: ").append(html(board.row().lab())).append(")");
        }
        switch (board.reach()) {
            case UP -> out.append(" &middot; link ").append(board.linkUp() ? "up" : "<b>down</b>")
                    .append(" &middot; up ").append(span(board.uptimeMs()));
            case NOT_POLLED -> out.append("<div class=\"why\">").append(html(board.problem())).append("</div>");
            default -> {
                out.append("<div class=\"why\">").append(board.reach() == BoardStatus.Reach.NOT_SPINET ? "not a Spinet board: " : "unreachable: ")
                        .append(html(board.problem()));
                if (board.lastSeenMillis() != 0) {
                    out.append(" (last answer ").append(span(now - board.lastSeenMillis())).append(" ago)");
                }
                out.append("</div>");
            }
        }
        out.append("</div>\n");
        if (board.reach() == BoardStatus.Reach.UP) {
            if (board.connections().isEmpty()) {
                out.append("<div class=\"meta\">no connections</div>\n");
            } else {
                out.append("<table><tr><th>port</th><th>peer</th><th>state</th><th>for</th></tr>\n");
                for (BoardStatus.Connection c : board.connections()) {
                    out.append("<tr><td>").append(c.localPort()).append("</td><td>").append(html(c.remote())).append(':')
                            .append(c.remotePort()).append("</td><td>").append(state(c.state())).append("</td><td>")
                            .append(span(c.ageMs())).append("</td></tr>\n");
                }
                out.append("</table>\n");
            }
        }
        if (!board.recent().isEmpty()) {
            out.append("<table><tr><th>ago</th><th>#</th><th>transition</th><th>cause</th></tr>\n");
            List<BoardStatus.Transition> shown = board.recent().subList(0, Math.min(TRANSITIONS_SHOWN, board.recent().size()));
            for (BoardStatus.Transition t : shown) {
                out.append("<tr><td>").append(span(t.ageMs())).append("</td><td>").append(t.handle() & 0xFFFF).append("</td><td>")
                        .append(state(t.from())).append(" &rarr; ").append(state(t.to())).append("</td><td>")
                        .append(html(t.cause())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        if (!board.counters().isEmpty()) {
            out.append("<div class=\"counters\">");
            boolean first = true;
            for (Map.Entry<String, Long> e : board.counters().entrySet()) {
                out.append(first ? "" : " &middot; ").append(html(e.getKey().toLowerCase(Locale.ROOT).replace('_', ' ')))
                        .append(' ').append(e.getValue());
                first = false;
            }
            out.append("</div>\n");
        }
        out.append("</div>\n");
    }

    private static String state(String name) {
        String safe = name == null ? "?" : name.replaceAll("[^A-Z0-9_]", "");
        return "<span class=\"s " + safe + "\">" + html(name == null ? "?" : name) + "</span>";
    }

    /** {@link #duration} that does not break across lines. */
    private static String span(long ms) {
        return duration(ms).replace(" ", "&nbsp;");
    }

    /** 850 ms, 12 s, 3 min 4 s, 2 h 5 min. */
    static String duration(long ms) {
        if (ms < 1000) {
            return Math.max(0, ms) + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    static String html(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
