package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lab studio's stepping session against {@link LabRun#run}, the engine of {@code spinet lab
 * run}: stepped without a change, every lab records the same capture, timeline and report byte
 * for byte; a student's drop, delay, duplicate, commands and injected segments show up in the
 * capture and in transitions the lab did not plan; predictions are judged by what then happened.
 */
class LabSessionTest {

    private static final int MAX_STEPS = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"handshake", "close", "simultaneous-open", "simultaneous-close", "time-wait", "syn-sent", "reset",
            "retransmission", "flow-control", "give-up", "keepalive", "abort", "resources"})
    void steppingWithoutChangesRecordsWhatLabRunRecords(String name) {
        Lab lab = LabCatalogue.standard().lab(name);
        LabResult expected = LabRun.run(lab, 1);
        try (LabSession session = new LabSession(lab, 1)) {
            assertEquals(LabSession.Phase.FINISHED, session.finish(MAX_STEPS));
            LabResult stepped = session.result();
            assertTrue(session.steps() > 1, "one step per segment, not one for the whole lab");
            assertArrayEquals(expected.pcapng(), stepped.pcapng(), name + ": the capture differs from lab run's");
            assertEquals(TimelineText.format(expected), TimelineText.format(stepped));
            assertEquals(LabReportHtml.render(expected, name + ".pcapng"), LabReportHtml.render(stepped, name + ".pcapng"));
            assertTrue(stepped.passed(), stepped.mismatches().toString());
        }
    }

    @Test
    void eachStepStopsBeforeOneSegmentWithWhoSendsItAndWhen() {
        try (LabSession session = new LabSession(LabCatalogue.standard().lab("handshake"), 1)) {
            assertEquals(LabSession.Phase.READY, session.phase());
            assertNull(session.pending());
            assertEquals(LabSession.Phase.PAUSED, session.step(FilteredLink.Verdict.PASS));
            LabSession.Pending syn = session.pending();
            assertEquals(Side.A, syn.from());
            assertTrue(syn.summary().contains("[S]"), syn.summary());
            assertEquals(TcpState.SYN_SENT, session.state(Side.A));
            assertEquals(TcpState.LISTEN, session.state(Side.B));
            session.step(FilteredLink.Verdict.PASS);
            LabSession.Pending synAck = session.pending();
            assertEquals(Side.B, synAck.from());
            assertEquals(LabRun.WIRE_DELAY_NANOS, synAck.nanos() - syn.nanos(), "B answers when the SYN arrives");
            assertTrue(synAck.summary().contains("[S.]"), synAck.summary());
            assertEquals(TcpState.SYN_RECEIVED, session.state(Side.B));
        }
    }

    @Test
    void aDroppedSynIsLostInTheCaptureAndSentAgainAfterTheTimeout() {
        Lab lab = LabCatalogue.standard().lab("handshake");
        try (LabSession session = new LabSession(lab, 1)) {
            session.step(FilteredLink.Verdict.PASS);
            session.step(FilteredLink.Verdict.DROP);
            LabSession.Pending again = session.pending();
            assertEquals(Side.A, again.from(), "B never saw the SYN; A's retransmission is next");
            assertTrue(again.summary().contains("[S]"), again.summary());
            assertTrue(again.nanos() >= 900_000_000L, "A waits its RTO: " + again.nanos());
            assertEquals(TcpState.LISTEN, session.state(Side.B));
            session.finish(MAX_STEPS);
            LabResult result = session.result();
            LabFrame lost = result.frames().getFirst();
            assertEquals(LabFrame.Fate.DROPPED_OUT, lost.fate());
            assertTrue(lost.comment().startsWith("LOST: dropped by the lab before the wire"), lost.comment());
            assertTrue(lost.comment().contains("chosen in the studio"), lost.comment());
            assertFalse(java.util.Arrays.equals(LabRun.run(lab, 1).pcapng(), result.pcapng()));
        }
    }

    @Test
    void theSameChoicesGiveTheSameCaptureEveryTime() {
        Lab lab = LabCatalogue.standard().lab("close");
        byte[][] captures = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (LabSession session = new LabSession(lab, 1)) {
                for (int s = 0; s < 4; s++) {
                    session.step(FilteredLink.Verdict.PASS);
                }
                session.step(FilteredLink.Verdict.DELAY);
                session.step(FilteredLink.Verdict.DUPLICATE);
                session.finish(MAX_STEPS);
                captures[i] = session.result().pcapng();
                List<LabFrame> frames = session.result().frames();
                assertTrue(frames.stream().anyMatch(f -> f.fate() == LabFrame.Fate.HELD && f.nanos() - f.sinceNanos() == LabSession.DELAY_NANOS));
                assertTrue(frames.stream().anyMatch(f -> f.fate() == LabFrame.Fate.REPLAYED));
            }
        }
        assertArrayEquals(captures[0], captures[1]);
    }

    @Test
    void predictionsAreJudgedByTheStateTheReceiverEnters() {
        try (LabSession session = new LabSession(LabCatalogue.standard().lab("handshake"), 1)) {
            assertThrows(IllegalStateException.class, () -> session.predict(TcpState.LISTEN), "nothing on its way yet");
            session.step(FilteredLink.Verdict.PASS); // A's SYN is next
            session.predict(TcpState.SYN_RECEIVED);
            session.step(FilteredLink.Verdict.PASS); // B's SYN+ACK is next
            session.predict(TcpState.SYN_RECEIVED); // wrong: A goes to ESTABLISHED
            session.step(FilteredLink.Verdict.PASS);
            List<LabSession.Prediction> predictions = session.predictions();
            assertEquals(2, predictions.size());
            assertEquals(Side.B, predictions.get(0).side());
            assertTrue(predictions.get(0).decided() && predictions.get(0).right(), predictions.toString());
            assertEquals(Side.A, predictions.get(1).side());
            assertEquals(TcpState.ESTABLISHED, predictions.get(1).actual(), predictions.toString());
            assertFalse(predictions.get(1).right());
        }
    }

    @Test
    void aDroppedSegmentLeavesItsReceiverWhereItWas() {
        try (LabSession session = new LabSession(LabCatalogue.standard().lab("handshake"), 1)) {
            session.step(FilteredLink.Verdict.PASS);
            session.predict(TcpState.LISTEN);
            session.step(FilteredLink.Verdict.DROP);
            LabSession.Prediction p = session.predictions().getFirst();
            assertTrue(p.decided() && p.right(), p.toString());
        }
    }

    @Test
    void anInjectedRstClosesTheOtherSideAnEdgeTheLabDidNotPlan() {
        Lab lab = LabCatalogue.standard().lab("close");
        try (LabSession session = new LabSession(lab, 1)) {
            while (!(session.state(Side.A) == TcpState.ESTABLISHED && session.state(Side.B) == TcpState.ESTABLISHED)) {
                session.step(FilteredLink.Verdict.PASS);
            }
            session.command(Side.A, LabSession.Command.RST);
            session.step(FilteredLink.Verdict.PASS);
            session.finish(MAX_STEPS);
            LabResult result = session.result();
            assertTrue(result.actualB().contains(Step.of(TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.RCV_RST)),
                    result.actualB().toString());
            assertFalse(result.passed());
            assertTrue(result.timeline().stream().anyMatch(e -> e.text().startsWith("the studio injects in A's name")));
        }
    }

    @Test
    void commandsActOnTheBoards() {
        try (LabSession session = new LabSession(LabCatalogue.standard().lab("handshake"), 1)) {
            while (session.state(Side.A) != TcpState.ESTABLISHED) {
                session.step(FilteredLink.Verdict.PASS);
            }
            LabSession.Notice said = session.command(Side.A, LabSession.Command.ABORT);
            assertEquals(new LabSession.Notice("queued", Side.A, LabSession.Command.ABORT, ""), said);
            session.step(FilteredLink.Verdict.PASS);
            assertTrue(session.pending().summary().contains("[R"), "A's RST is next: " + session.pending());
            session.step(FilteredLink.Verdict.PASS);
            assertEquals(TcpState.CLOSED, session.state(Side.A));
            session.finish(MAX_STEPS);
            assertTrue(session.result().actualA().contains(Step.of(TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.ABORT)));
            assertEquals("no-open-connection", session.command(Side.A, LabSession.Command.SEND).key());
        }
    }

    @Test
    void aClosedSessionRefusesToStep() {
        LabSession session = new LabSession(LabCatalogue.standard().lab("handshake"), 1);
        session.step(FilteredLink.Verdict.PASS);
        session.close();
        assertEquals(LabSession.Phase.STOPPED, session.phase());
        assertThrows(IllegalStateException.class, () -> session.step(FilteredLink.Verdict.PASS));
        assertNotNull(session.result());
    }
}
