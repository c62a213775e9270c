package dev.spinet.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab a board runs across restarts: image, instructor's switch, lab file on the boot partition. */
class LabSwitchStateTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private static final int PEER = Ipv4Packet.parseAddress("10.0.0.121");

    private LabSwitchState state() {
        return new LabSwitchState(dir.resolve("state"), dir.resolve("boot/spinet/lab.txt"), log::add);
    }

    private void labFile(String text) throws IOException {
        Files.createDirectories(dir.resolve("boot/spinet"));
        Files.writeString(dir.resolve("boot/spinet/lab.txt"), text);
    }

    @Test
    void withoutSwitchesTheBoardRunsItsImagesLab() {
        assertEquals(new LabChoice("handshake", 0, LabChoice.IMAGE), state().atStart("handshake", 0));
    }

    @Test
    void theInstructorsSwitchHoldsAcrossRestartsUntilReset() {
        LabChoice image = state().atStart("handshake", PEER);
        LabChoice switched = state().switched(image, new ControlCommand("syn-sent", 0), "handshake", PEER);
        assertEquals(new LabChoice("syn-sent", PEER, LabChoice.INSTRUCTOR), switched, "the board's peer is kept");
        assertEquals(switched, state().atStart("handshake", PEER), "a restart keeps the switched lab");
        LabChoice reset = state().switched(switched, ControlCommand.RESET, "handshake", PEER);
        assertEquals(new LabChoice("handshake", PEER, LabChoice.IMAGE), reset);
        assertEquals(reset, state().atStart("handshake", PEER));
    }

    @Test
    void aBootPartitionRewrittenWithAnotherLabWinsOverAnEarlierSwitch() {
        LabChoice image = state().atStart("handshake", 0);
        state().switched(image, new ControlCommand("abort", 0), "handshake", 0);
        assertEquals("abort", state().atStart("handshake", 0).lab());
        assertEquals(new LabChoice("close", 0, LabChoice.IMAGE), state().atStart("close", 0), "the card now says close");
        assertTrue(log.getLast().contains("the image's lab is now close (it was handshake"), log.toString());
    }

    @Test
    void aSwitchToALabThatNeedsAPeerWithoutOneIsRefused() {
        LabChoice image = state().atStart("handshake", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> state().switched(image, new ControlCommand("simultaneous-open", 0), "handshake", 0));
        assertTrue(e.getMessage().contains("give its address (peer)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> state().switched(image, new ControlCommand("nope", 0), "handshake", 0));
        assertEquals(image, state().atStart("handshake", 0), "nothing was remembered");
    }

    @Test
    void theLabFileAppliesOncePerEditAndALaterNetworkSwitchWins() throws IOException {
        labFile("# from the instructor's laptop\nlab=time-wait\n");
        LabChoice fromFile = state().atStart("handshake", 0);
        assertEquals(new LabChoice("time-wait", 0, LabChoice.BOOT_FILE), fromFile);
        assertEquals(fromFile, state().atStart("handshake", 0));

        LabChoice switched = state().switched(fromFile, new ControlCommand("abort", 0), "handshake", 0);
        assertEquals(switched, state().atStart("handshake", 0), "the unchanged file does not undo the switch");

        labFile("lab=syn-sent\npeer=10.0.0.121\n");
        assertEquals(new LabChoice("syn-sent", PEER, LabChoice.BOOT_FILE), state().atStart("handshake", 0), "an edited file applies");
        labFile("lab=image\n");
        assertEquals(new LabChoice("handshake", 0, LabChoice.IMAGE), state().atStart("handshake", 0));
    }

    @Test
    void aLabFileWithATypoIsIgnoredWithALine() throws IOException {
        labFile("lab=tme-wait\n");
        assertEquals(new LabChoice("handshake", 0, LabChoice.IMAGE), state().atStart("handshake", 0));
        assertTrue(log.getLast().startsWith("ignoring lab file ") && log.getLast().contains("no lab 'tme-wait'"), log.toString());
        labFile("lab=syn-sent\n");
        assertTrue(state().atStart("handshake", 0).lab().equals("handshake") && log.getLast().contains("peer"), log.toString());
    }

    @Test
    void withoutAStateDirectoryTheLabFileAppliesAtEveryStart() throws IOException {
        labFile("lab=close\n");
        LabSwitchState stateless = new LabSwitchState(null, dir.resolve("boot/spinet/lab.txt"), log::add);
        assertEquals("close", stateless.atStart("handshake", 0).lab());
        assertEquals("close", stateless.atStart("handshake", 0).lab());
        assertEquals("handshake", new LabSwitchState(null, dir.resolve("missing.txt"), log::add).atStart("handshake", 0).lab());
    }
}
