package dev.spinet.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roster format of {@link Roster}'s documentation, and every check made on the desk. */
class RosterTest {

    @TempDir
    Path dir;

    static final String CLASS = """
            # Spinet class roster. Lines starting with '#' and blank lines are ignored.
            board,match,ip,gateway,lab,peer
            bench-01,02:53:4e:12:34:56,10.0.0.21/24,10.0.0.1,handshake,
            bench-02,serial:10000000a1b2c3d4,10.0.0.22/24,10.0.0.1,simultaneous-open,10.0.0.122

            bench-03,host:pi-bench-03,dhcp,,time-wait,
            """;

    private static List<String> problems(String text) {
        RosterException e = assertThrows(RosterException.class, () -> Roster.parse(text, "class.csv"));
        return e.problems();
    }

    @Test
    void theDocumentedExampleReads() {
        Roster roster = Roster.parse(CLASS, "class.csv");
        assertEquals(3, roster.rows().size());
        RosterRow two = roster.row("bench-02");
        assertEquals(4, two.line());
        assertEquals(new BoardMatch(BoardMatch.Kind.SERIAL, "10000000a1b2c3d4"), two.match());
        assertEquals(Ipv4Packet.parseAddress("10.0.0.22"), two.address());
        assertEquals(Ipv4Packet.parseAddress("10.0.0.122"), two.peer());
        assertEquals(Map.of("board", "bench-02", "ip", "10.0.0.22/24", "gateway", "10.0.0.1", "lab", "simultaneous-open",
                "peer", "10.0.0.122"), two.runSettings());
        RosterRow three = roster.row("BENCH-03");
        assertTrue(three.addressing().dhcp());
        assertEquals(Map.of("board", "bench-03", "ip", "dhcp", "lab", "time-wait"), three.runSettings());
        assertEquals(CLASS, roster.text());
    }

    @Test
    void columnsComeInAnyOrderAndSemicolonsSeparateToo() {
        Roster roster = Roster.parse("lab;ip;board\nclose;10.1.0.5/16;a\n", "x.csv");
        RosterRow a = roster.row("a");
        assertEquals("close", a.lab());
        assertNull(a.match());
        assertEquals(0, a.peer());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLineAndBoard() {
        List<String> found = problems("""
                board,match,ip,gateway,lab,peer
                bench-01,02:53:4e:00:00:01,10.0.0.21/24,10.0.1.1,handshake,
                bench-02,02:53:4e:00:00:02,10.0.0.21/24,,handshake,
                bench-03,02:53:4e:00:00:01,10.0.0.23/24,,syn-sent,
                bench-04,,10.0.0.24/24,,simultaneous-open,192.168.7.9
                bench-05,,10.0.0.25/24,,hand-shake,
                bench-01,,10.0.0.26/24,,close,
                bench 07,,10.0.0.27,,close,
                bench-08,,dhcp,10.0.0.1,close,
                bench-09,,10.0.0.29/24,,syn-sent,10.0.0.24
                """);
        assertEquals(List.of(
                "class.csv line 2 (bench-01): gateway 10.0.1.1 is not inside 10.0.0.21/24; a gateway must be on the local subnet",
                "class.csv line 4 (bench-03): lab syn-sent connects to the student's computer: give its address in the peer column",
                "class.csv line 5 (bench-04): peer 192.168.7.9 is not on 10.0.0.24/24 and the row has no gateway: the board could not reach it",
                "class.csv line 6 (bench-05): lab 'hand-shake' is not a lab; the labs are handshake, close, simultaneous-open, "
                        + "simultaneous-close, time-wait, syn-sent, reset, retransmission, flow-control, give-up, keepalive, abort, resources",
                "class.csv line 8 (bench 07): board 'bench 07': 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit",
                "class.csv line 8 (bench 07): ip 10.0.0.27: give the prefix length too, like 10.77.0.2/24, or dhcp",
                "class.csv line 9 (bench-08): gateway 10.0.0.1 only goes with a static --ip A.B.C.D/NN (with dhcp the DHCP server names the router)",
                "class.csv line 3 (bench-02): address 10.0.0.21 is also bench-01's (line 2)",
                "class.csv line 4 (bench-03): match 02:53:4e:00:00:01 is also bench-01's (line 2)",
                "class.csv line 7 (bench-01): board name also on line 2",
                "class.csv line 10 (bench-09): peer 10.0.0.24 is board bench-04's address; give the student's computer"),
                found.subList(0, found.size()));
    }

    @Test
    void duplicateMatchesAreRefused() {
        List<String> found = problems("""
                board,match,ip,lab
                a,host:Pi-7,dhcp,close
                b,pi-7,dhcp,close
                c,serial:00000000a1b2c3d4,dhcp,close
                d,serial:a1b2c3d4,dhcp,close
                """);
        assertEquals(List.of("class.csv line 3 (b): match host:pi-7 is also a's (line 2)",
                "class.csv line 5 (d): match serial:a1b2c3d4 is also c's (line 4)"), found);
    }

    @Test
    void theHeaderAndTheShapeOfRowsAreChecked() {
        assertEquals(List.of("class.csv line 1: unknown column 'addr'; the columns are board, match, ip, gateway, lab, peer",
                "class.csv line 1: no 'ip' column (required: board, ip, lab)"), problems("board,addr,lab\na,1,close\n"));
        assertEquals(List.of("class.csv line 3: 2 fields, the header names 3 (board,ip,lab)"),
                problems("board,ip,lab\na,dhcp,close\nb,dhcp\n"));
        assertEquals(List.of("class.csv line 2: quotes are not part of the roster format; no field needs them"),
                problems("board,ip,lab\n\"a\",dhcp,close\n"));
        assertEquals(List.of("class.csv: no boards; add one row per board under the header"), problems("# empty\nboard,ip,lab\n"));
        assertEquals(List.of("class.csv: no header line; the first line that is not a comment names the columns, e.g. "
                + "board,match,ip,gateway,lab,peer"), problems("# nothing\n"));
        assertTrue(problems("board,match,ip,lab\na,01:00:5e:00:00:01,dhcp,close\n").getFirst().contains("unicast"));
        assertTrue(problems("board,match,ip,lab\na,serial:xyz,dhcp,close\n").getFirst().contains("1 to 16 hex digits"));
        assertTrue(problems("board,match,ip,lab\na,-bad-,dhcp,close\n").getFirst().contains("host name"));
    }

    @Test
    void aBoardFindsItsRowByMacSerialOrHostname() throws IOException {
        Roster roster = Roster.parse(CLASS, "class.csv");
        assertEquals("bench-01", roster.rowFor(new BoardIdentity(List.of(0x02_53_4E_12_34_56L), null, null)).board());
        assertEquals("bench-02", roster.rowFor(new BoardIdentity(List.of(1L), "10000000A1B2C3D4", "raspberrypi")).board());
        assertEquals("bench-03", roster.rowFor(new BoardIdentity(List.of(1L), null, "PI-BENCH-03")).board());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> roster.rowFor(new BoardIdentity(List.of(0x02_53_4E_00_00_09L), "10000000deadbeef", "raspberrypi")));
        assertEquals("no row of class.csv matches this board; put one of these in its match column: "
                + "02:53:4e:00:00:09, serial:10000000deadbeef, host:raspberrypi", none.getMessage());

        // The same, read from a board's /proc and /sys.
        Path root = dir.resolve("board");
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.write(root.resolve("proc/device-tree/serial-number"), "10000000a1b2c3d4\0".getBytes());
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/hostname"), "raspberrypi\n");
        Files.createDirectories(root.resolve("sys/class/net/eth0"));
        Files.writeString(root.resolve("sys/class/net/eth0/address"), "dc:a6:32:a1:b2:c3\n");
        Files.createDirectories(root.resolve("sys/class/net/lo"));
        Files.writeString(root.resolve("sys/class/net/lo/address"), "00:00:00:00:00:00\n");
        BoardIdentity read = BoardIdentity.read(root, 0x02_53_4E_B2_C3_D4L);
        assertEquals(List.of(0x02_53_4E_B2_C3_D4L, 0xDC_A6_32_A1_B2_C3L), read.macs());
        assertEquals("bench-02", roster.rowFor(read).board());
        assertThrows(IllegalArgumentException.class, () -> roster.row("bench-09"));
    }

    @Test
    void aMissingFileIsOneLine() {
        RosterException e = assertThrows(RosterException.class, () -> Roster.read(dir.resolve("nope.csv")));
        assertEquals(List.of("roster " + dir.resolve("nope.csv") + ": no such file"), e.problems());
    }
}
