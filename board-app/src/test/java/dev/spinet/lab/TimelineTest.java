package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline and capture of one lab, checked against what the handshake must look like. */
class TimelineTest {

    @Test
    void handshakeTimelineShowsTheThreeSegmentsOneDelayApartWithTransitionsBeside() {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        List<TimelineEntry> frames = result.timeline().stream().filter(e -> e.kind() == TimelineEntry.Kind.FRAME).toList();
        assertTrue(frames.get(0).text().contains("Flags [S],"), frames.get(0).text());
        assertEquals(Side.A, frames.get(0).side());
        assertTrue(frames.get(1).text().contains("Flags [S.]"), frames.get(1).text());
        assertEquals(Side.B, frames.get(1).side());
        assertTrue(frames.get(2).text().contains("Flags [.]"), frames.get(2).text());
        assertEquals(LabRun.WIRE_DELAY_NANOS, frames.get(1).nanos() - frames.get(0).nanos());
        assertEquals(LabRun.WIRE_DELAY_NANOS, frames.get(2).nanos() - frames.get(1).nanos());

        TimelineEntry synReceived = result.timeline().stream()
                .filter(e -> e.kind() == TimelineEntry.Kind.TRANSITION && e.side() == Side.B && e.text().startsWith("LISTEN -> SYN_RECEIVED"))
                .findFirst().orElseThrow();
        assertEquals(frames.get(0).nanos() + LabRun.WIRE_DELAY_NANOS, synReceived.nanos(), "B changes state when the SYN arrives");
        String text = TimelineText.format(result);
        assertTrue(text.contains("A > B   IP 10.0.0.1."), text);
        assertTrue(text.contains("[B2]"), text);
        assertTrue(text.contains("RESULT: both sides walked the expected edges"), text);
    }

    @Test
    void captureIsPcapngWithEveryFrameOfTheTimeline() {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("close"), 1);
        ByteBuffer capture = ByteBuffer.wrap(result.pcapng()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0A0D0D0A, capture.getInt(0), "section header block");
        assertEquals(0x1A2B3C4D, capture.getInt(8), "byte-order magic");
        int packets = 0;
        int at = 0;
        while (at < result.pcapng().length) {
            int length = capture.getInt(at + 4);
            if (capture.getInt(at) == 6) {
                packets++;
            }
            at += length;
        }
        assertEquals(result.pcapng().length, at, "blocks end exactly at the end of the file");
        long frames = result.timeline().stream().filter(e -> e.kind() == TimelineEntry.Kind.FRAME).count();
        assertEquals(frames, packets, "the close lab drops nothing before the wire: one packet per frame line");
        assertEquals(result.frames().size(), packets);
    }

    @Test
    void droppedSegmentsAppearInTheTimelineButNotOnTheWire() {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("syn-sent"), 1);
        long dropped = result.timeline().stream()
                .filter(e -> e.kind() == TimelineEntry.Kind.LAB && e.text().startsWith("never sees")).count();
        // Part 3: the SYN and its 4 retransmissions; part 4: the SYN and its retransmissions within 2.5 s (t = 0, 1, 3 s... before close).
        assertTrue(dropped >= 5, "dropped lines: " + dropped);
    }
}
