package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Tshark;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.TcpSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ladder diagram against the capture Wireshark reads and against the timeline it draws. */
class LadderDiagramSvgTest {

    private static int count(String svg, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(svg);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    /** One arrow per frame in the capture, a cross per frame Wireshark shows marked lost, a box per state change. */
    @Test
    void everyFrameOfTheCaptureIsAnArrowAndEveryLossACross(@TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        for (String name : List.of("retransmission", "syn-sent", "abort", "time-wait")) {
            LabResult result = LabRun.run(LabCatalogue.standard().lab(name), 1);
            Path capture = dir.resolve(name + ".pcapng");
            Files.write(capture, result.pcapng());
            long frames = Tshark.run("-r", capture.toString(), "-T", "fields", "-e", "frame.number").lines().count();
            long lost = Tshark.run("-r", capture.toString(), "-Y", "frame.comment contains \"LOST\"", "-T", "fields", "-e", "frame.number")
                    .lines().count();
            String svg = LadderDiagramSvg.render(result);
            assertEquals(frames, count(svg, "<line class=\"arrow"), name + ": arrows");
            assertEquals(lost, count(svg, "<line class=\"arrow lost\""), name + ": lost arrows");
            assertEquals(lost, count(svg, "class=\"lost\""), name + ": crosses");
            assertEquals(result.actualA().size() + result.actualB().size(), count(svg, "<g class=\"transition "), name + ": state changes");
            assertTrue(lost > 0 || name.equals("time-wait"), name + " drops segments");
        }
    }

    /** "State changes written on the line where they happen": B's SYN_RECEIVED sits where A's SYN arrives. */
    @Test
    void aStateChangeSitsWhereTheSegmentThatCausedItArrives() {
        String svg = LadderDiagramSvg.render(LabRun.run(LabCatalogue.standard().lab("handshake"), 1));
        Matcher syn = Pattern.compile("<line class=\"arrow\" x1=\"([\\d.]+)\" y1=\"([\\d.]+)\" x2=\"([\\d.]+)\" y2=\"([\\d.]+)\"").matcher(svg);
        assertTrue(syn.find(), "the SYN's arrow");
        Matcher received = Pattern.compile("<g class=\"transition s-b2\"><rect x=\"[\\d.]+\" y=\"([\\d.]+)\"").matcher(svg);
        assertTrue(received.find(), "B2's box");
        assertEquals(Double.parseDouble(syn.group(4)), Double.parseDouble(received.group(1)) + 7.5, 0.05,
                "the SYN's arrow ends at the middle of B2 SYN_RECEIVED's box");
        assertTrue(Double.parseDouble(syn.group(3)) > Double.parseDouble(syn.group(1)), "A is left, B right");
        assertTrue(svg.contains(">[SYN] seq=0 win=4096 MSS=1460</text>"), "labelled as Wireshark lists it");
        assertTrue(svg.contains(">[SYN, ACK] seq=0 ack=1 win=4096 MSS=1460</text>"));
        assertTrue(svg.contains(">B2 SYN_RECEIVED</text>"));
    }

    /** A lab that holds B's SYN,ACK back 300 ms: capture comment, timeline, ladder all show it. */
    @Test
    void aHeldSegmentWaitsOnADottedLineAndIsCommentedInTheCapture() {
        Lab lab = Lab.named("hold").title("t").summary("s").goal("g").predict("p").questions("q").boardRole("r")
                .scenes(Scenes.B_LISTENS, Scene.of(run -> {
                    run.b().link().hold(TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1, 300 * LabCatalogue.MS);
                    run.a().connect(PORT);
                    run.runUntilState(run.a(), TcpState.ESTABLISHED);
                    run.runUntilState(run.b(), TcpState.ESTABLISHED);
                }).a(Scenes.CONNECT).b(Scenes.ACCEPT))
                .build();
        LabResult result = LabRun.run(lab, 1);
        assertTrue(result.passed(), () -> String.join("\n", result.mismatches()) + "\n" + TimelineText.format(result));
        List<LabFrame> held = new ArrayList<>();
        for (LabFrame frame : result.frames()) {
            if (frame.fate() == LabFrame.Fate.HELD) {
                held.add(frame);
            }
        }
        assertEquals(1, held.size());
        LabFrame synAck = held.get(0);
        assertEquals(300 * LabCatalogue.MS, synAck.nanos() - synAck.sinceNanos(), "on the wire 300 ms after B sent it");
        assertTrue(synAck.comment().startsWith("HELD: B sent it at 0.001000 s; the lab held it back 0.300 s"), synAck.comment());
        int index = result.frames().indexOf(synAck);
        List<TimelineEntry> about = result.timeline().stream().filter(e -> e.frame() == index).toList();
        assertEquals(List.of(TimelineEntry.Kind.LAB, TimelineEntry.Kind.LAB, TimelineEntry.Kind.FRAME), about.stream().map(TimelineEntry::kind).toList(),
                "held, let go, on the wire");
        assertTrue(new String(result.pcapng(), java.nio.charset.StandardCharsets.UTF_8).contains(synAck.comment()), "the capture carries it");
        String svg = LadderDiagramSvg.render(result);
        assertEquals(1, count(svg, "<line class=\"held\""));
        assertEquals(1, count(svg, "class=\"waiting\""));
        assertTrue(svg.contains(">released: [SYN, ACK] seq=0 ack=1"), svg);
    }
}
