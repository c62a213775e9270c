package dev.spinet.classroom;

import dev.spinet.app.Ipv4Settings;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabRoles;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A class roster: the boards of one class, each with its name, how it is recognised, its address,
 * its lab and its student's computer. The instructor writes it (a spreadsheet saved as CSV will
 * do); {@code spinet image build --roster} makes the class's images from it, a board picks its row
 * at start ({@code spinet run --roster}), and {@code spinet class} finds the boards through it.
 *
 * <h2>Format</h2>
 * <pre>
 * # Spinet class roster. Lines starting with '#' and blank lines are ignored.
 * board,match,ip,gateway,lab,peer
 * bench-01,02:53:4e:12:34:56,10.0.0.21/24,10.0.0.1,handshake,
 * bench-02,serial:10000000a1b2c3d4,10.0.0.22/24,10.0.0.1,simultaneous-open,10.0.0.122
 * bench-03,host:pi-bench-03,dhcp,,time-wait,
 * </pre>
 * <ul>
 *   <li>The first line that is not a comment names the columns, in any order; separated by
 *       commas, or by semicolons throughout (what spreadsheets in some locales save). Fields are
 *       trimmed; quotes are not part of the format.</li>
 *   <li>{@code board} (required): 1 to 32 letters, digits, '-', '_' or '.', unique.</li>
 *   <li>{@code match}: a MAC, {@code serial:HEX} or {@code host:NAME} ({@link BoardMatch}); needed
 *       when one image serves several rows, unique.</li>
 *   <li>{@code ip} (required): {@code A.B.C.D/NN} or {@code dhcp}; static addresses unique.</li>
 *   <li>{@code gateway}: inside the row's subnet, static rows only.</li>
 *   <li>{@code lab} (required): a lab of the catalogue.</li>
 *   <li>{@code peer}: the student's computer; required by labs whose board connects to it
 *       (simultaneous-open, syn-sent); on the board's subnet unless the row has a gateway; not
 *       the address of a board.</li>
 * </ul>
 * Every row is checked when the roster is read, the same way {@code spinet run} checks its
 * options ({@link Ipv4Settings}), and every problem is reported at once ({@link RosterException}).
 */
public final class Roster {

    /** The columns, in the order {@code spinet class} shows them. */
    public static final List<String> COLUMNS = List.of("board", "match", "ip", "gateway", "lab", "peer");
    private static final List<String> REQUIRED = List.of("board", "ip", "lab");
    private static final Pattern BOARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private final String source;
    private final String text;
    private final List<RosterRow> rows;

    private Roster(String source, String text, List<RosterRow> rows) {
        this.source = source;
        this.text = text;
        this.rows = List.copyOf(rows);
    }

    /**
     * @throws RosterException listing every problem, or naming the file it cannot read
     */
    public static Roster read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new RosterException(List.of("roster " + file + ": no such file"));
        } catch (IOException e) {
            throw new RosterException(List.of("roster " + file + ": cannot read it: " + e.getMessage()));
        }
    }

    /**
     * @param source the file's name in messages
     * @throws RosterException listing every problem found
     */
    public static Roster parse(String text, String source) {
        List<String> problems = new ArrayList<>();
        List<RosterRow> rows = new ArrayList<>();
        // Every row read, a problem or not, so that a duplicate of a row with a typo is found too.
        List<RosterRow> seen = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        List<String> header = null;
        String separator = ",";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            if (line.indexOf('"') >= 0) {
                problems.add(where + ": quotes are not part of the roster format; no field needs them");
                continue;
            }
            if (header == null) {
                separator = line.indexOf(',') < 0 && line.indexOf(';') >= 0 ? ";" : ",";
                header = header(line, separator, where, problems);
                if (header == null) {
                    throw new RosterException(problems);
                }
                continue;
            }
            String[] fields = line.split(Pattern.quote(separator), -1);
            if (fields.length != header.size()) {
                problems.add(where + ": " + fields.length + " fields, the header names " + header.size() + " (" + String.join(separator, header) + ")");
                continue;
            }
            Map<String, String> values = new HashMap<>();
            for (int c = 0; c < fields.length; c++) {
                values.put(header.get(c), fields[c].strip());
            }
            int before = problems.size();
            RosterRow row = row(i + 1, values, where, problems);
            seen.add(row);
            if (problems.size() == before) {
                rows.add(row);
            }
        }
        if (header == null) {
            problems.add(source + ": no header line; the first line that is not a comment names the columns, e.g. "
                    + String.join(",", COLUMNS));
        } else if (seen.isEmpty() && problems.isEmpty()) {
            problems.add(source + ": no boards; add one row per board under the header");
        }
        checkAcrossRows(source, seen, problems);
        if (!problems.isEmpty()) {
            throw new RosterException(problems);
        }
        return new Roster(source, text, rows);
    }

    private static List<String> header(String line, String separator, String where, List<String> problems) {
        List<String> columns = new ArrayList<>();
        for (String name : line.split(Pattern.quote(separator), -1)) {
            String column = name.strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(column)) {
                problems.add(where + ": unknown column '" + name.strip() + "'; the columns are " + String.join(", ", COLUMNS));
            } else if (columns.contains(column)) {
                problems.add(where + ": column '" + column + "' given twice");
            }
            columns.add(column);
        }
        for (String required : REQUIRED) {
            if (!columns.contains(required)) {
                problems.add(where + ": no '" + required + "' column (required: " + String.join(", ", REQUIRED) + ")");
            }
        }
        return problems.isEmpty() ? columns : null;
    }

    /** The row as far as it reads; its problems are added to {@code problems}. */
    private static RosterRow row(int line, Map<String, String> values, String where, List<String> problems) {
        String board = values.getOrDefault("board", "");
        String at = where + (board.isEmpty() ? "" : " (" + board + ")") + ": ";
        if (!BOARD_NAME.matcher(board).matches()) {
            problems.add(at + "board '" + board + "': 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
        BoardMatch match = null;
        String matchText = values.getOrDefault("match", "");
        if (!matchText.isEmpty()) {
            try {
                match = BoardMatch.parse(matchText);
            } catch (IllegalArgumentException e) {
                problems.add(at + e.getMessage());
            }
        }
        Ipv4Settings addressing = null;
        try {
            addressing = Ipv4Settings.parse(values.getOrDefault("ip", ""), values.getOrDefault("gateway", ""));
        } catch (IllegalArgumentException e) {
            problems.add(at + columnWords(e.getMessage()));
            addressing = addressAlone(values.getOrDefault("ip", ""));
        }
        String lab = values.getOrDefault("lab", "");
        boolean labKnown = LabCatalogue.standard().exists(lab);
        if (!labKnown) {
            problems.add(at + "lab '" + lab + "' is not a lab; the labs are " + String.join(", ", LabCatalogue.standard().names()));
        }
        int peer = 0;
        String peerText = values.getOrDefault("peer", "");
        if (!peerText.isEmpty()) {
            try {
                peer = Ipv4Settings.parseAddress("peer", peerText);
            } catch (IllegalArgumentException e) {
                problems.add(at + e.getMessage());
            }
        } else if (labKnown && LabRoles.forLab(lab).needsPeer()) {
            problems.add(at + "lab " + lab + " connects to the student's computer: give its address in the peer column");
        }
        if (addressing != null && peer != 0 && !addressing.dhcp()) {
            if (peer == addressing.address()) {
                problems.add(at + "peer " + peerText + " is the board's own address; give the student's computer");
            } else if (!addressing.onSubnet(peer) && addressing.gateway() == 0) {
                problems.add(at + "peer " + peerText + " is not on " + addressing.ipText()
                        + " and the row has no gateway: the board could not reach it");
            }
        }
        return new RosterRow(line, board, match, addressing, lab, peer);
    }

    /** The address of a row whose gateway is wrong, for the checks across rows; null if the address is wrong too. */
    private static Ipv4Settings addressAlone(String ip) {
        try {
            return Ipv4Settings.parse(ip, null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Ipv4Settings names the options of {@code spinet run}; in a roster they are columns. */
    private static String columnWords(String message) {
        return message.replaceFirst("^--", "");
    }

    private static void checkAcrossRows(String source, List<RosterRow> rows, List<String> problems) {
        Map<String, RosterRow> names = new HashMap<>();
        Map<String, RosterRow> matches = new HashMap<>();
        Map<Integer, RosterRow> addresses = new HashMap<>();
        for (RosterRow row : rows) {
            String where = source + " line " + row.line() + " (" + row.board() + "): ";
            RosterRow other = names.putIfAbsent(row.board().toLowerCase(Locale.ROOT), row);
            if (other != null) {
                problems.add(where + "board name also on line " + other.line());
            }
            if (row.match() != null) {
                other = matches.putIfAbsent(row.match().kind() + row.match().value(), row);
                if (other != null) {
                    problems.add(where + "match " + row.match().text() + " is also " + other.board() + "'s (line " + other.line() + ")");
                }
            }
            if (row.address() != 0) {
                other = addresses.putIfAbsent(row.address(), row);
                if (other != null) {
                    problems.add(where + "address " + Ipv4Packet.formatAddress(row.address()) + " is also "
                            + other.board() + "'s (line " + other.line() + ")");
                }
            }
        }
        for (RosterRow row : rows) {
            RosterRow board = row.peer() == 0 ? null : addresses.get(row.peer());
            if (board != null) {
                problems.add(source + " line " + row.line() + " (" + row.board() + "): peer " + Ipv4Packet.formatAddress(row.peer())
                        + " is board " + board.board() + "'s address; give the student's computer");
            }
        }
    }

    public String source() {
        return source;
    }

    /** The roster as the instructor wrote it (a whole-class image carries it byte for byte). */
    public String text() {
        return text;
    }

    public List<RosterRow> rows() {
        return rows;
    }

    /**
     * @throws IllegalArgumentException naming the boards there are
     */
    public RosterRow row(String board) {
        for (RosterRow row : rows) {
            if (row.board().equalsIgnoreCase(board.trim())) {
                return row;
            }
        }
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.board()));
        throw new IllegalArgumentException("no board '" + board.trim() + "' in " + source + "; its boards: " + String.join(", ", names));
    }

    /**
     * The one row whose {@code match} names this board.
     *
     * @throws IllegalArgumentException when none does, saying what the board could be matched by
     */
    public RosterRow rowFor(BoardIdentity identity) {
        List<RosterRow> found = new ArrayList<>();
        for (RosterRow row : rows) {
            if (row.match() != null && row.match().matches(identity)) {
                found.add(row);
            }
        }
        if (found.size() == 1) {
            return found.getFirst();
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no row of " + source + " matches this board; put one of these in its match column: "
                    + identity.describe());
        }
        List<String> names = new ArrayList<>();
        found.forEach(r -> names.add(r.board()));
        throw new IllegalArgumentException("rows " + String.join(", ", names) + " of " + source
                + " all match this board (" + identity.describe() + "); give each row a value only its board has");
    }
}
