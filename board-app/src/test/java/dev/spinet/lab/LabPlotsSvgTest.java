package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plots against Wireshark (which segments are retransmissions and zero-window probes) and
 * the sampled congestion state against RFC 5681 and RFC 6298.
 */
class LabPlotsSvgTest {

    private static int count(String svg, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(svg);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    private static long tshark(Path capture, String filter) throws Exception {
        return Tshark.run("-r", capture.toString(), "-Y", filter, "-T", "fields", "-e", "frame.number").lines().count();
    }

    @Test
    void retransmissionsProbesAndLossesAreMarkedWhereWiresharkSeesThem(@TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        for (String name : List.of("retransmission", "flow-control")) {
            LabResult result = LabRun.run(LabCatalogue.standard().lab(name), 1);
            Path capture = dir.resolve(name + ".pcapng");
            Files.write(capture, result.pcapng());
            Matcher whole = Pattern.compile("(?s)<g clip-path=\"url\\(#pl-clip-0-0\\)\">(.*?)</g>").matcher(LabPlotsSvg.render(result));
            assertTrue(whole.find(), name + ": the whole transfer's sequence panel");
            String svg = whole.group(1);
            String sender = "ip.src == 10.0.0.1 && tcp.len > 0";
            long segments = tshark(capture, sender);
            long retransmissions = tshark(capture, sender + " && tcp.analysis.retransmission");
            long probes = tshark(capture, sender + " && tcp.analysis.zero_window_probe");
            long lost = tshark(capture, sender + " && frame.comment contains \"LOST\"");
            assertEquals(segments, count(svg, "class=\"segment[ \"]"), name + ": one mark per data segment A sent");
            assertEquals(retransmissions, count(svg, "class=\"segment retransmission\""), name + ": retransmissions");
            assertEquals(probes, count(svg, "class=\"segment probe\""), name + ": zero-window probes");
            assertEquals(lost, count(svg, "class=\"lost\""), name + ": losses");
            String all = LabPlotsSvg.render(result);
            assertTrue(all.contains("class=\"cwnd\"") && all.contains("class=\"rto\"") && all.contains("class=\"ack\""), name);
        }
        assertEquals("", LabPlotsSvg.render(LabRun.run(LabCatalogue.standard().lab("handshake"), 1)), "labs that list no plots get none");
    }

    /**
     * What the plots draw is what the RFCs say A's TCB holds: the RTO doubles on each of the three
     * timeouts (RFC 6298 5.5) and stays backed off until a new segment is timed (Karn); after the
     * first timeout cwnd is one segment and ssthresh max(FlightSize / 2, 2 SMSS) (RFC 5681 3.1);
     * fast retransmit sets ssthresh the same way and cwnd to ssthresh + 3 SMSS (RFC 5681 3.2).
     */
    @Test
    void theSampledStateFollowsRfc6298AndRfc5681() {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("retransmission"), 1);
        LabPlotsSvg.Transfer transfer = LabPlotsSvg.transfer(result);
        assertEquals(Side.A, transfer.sender());
        List<LabSample> samples = transfer.samples();
        int mss = 500;
        List<Long> rtos = new ArrayList<>();
        for (LabSample sample : samples) {
            long ms = sample.rtoNanos() / 1_000_000;
            if (rtos.isEmpty() || rtos.get(rtos.size() - 1) != ms) {
                rtos.add(ms);
            }
        }
        int backoff = rtos.indexOf(400L);
        assertTrue(backoff > 0 && rtos.get(backoff - 1) == 200, "the RTO before the first timeout is 200 ms: " + rtos);
        assertEquals(List.of(200L, 400L, 800L, 1600L, 200L), rtos.subList(backoff - 1, backoff + 4), "RTO over time: " + rtos);

        LabSample afterTimeout = samples.stream().filter(s -> s.rtoNanos() == 400_000_000L).findFirst().orElseThrow();
        assertEquals(mss, afterTimeout.cwnd(), "loss window: one segment");
        assertEquals(Math.max(38 / 2, 2 * mss), afterTimeout.ssthresh(), "ssthresh after the timeout, 38 bytes in flight");

        // Fast retransmit: the first sample after the burst began (7 s) in fast recovery, cwnd
        // inflated to ssthresh + 3 SMSS or more (ssthresh itself may keep its value: the earlier
        // timeouts left it at 2 SMSS, and RFC 5681 3.2 leaves limited transmit's data out of
        // FlightSize, so equation 4 can give 2 SMSS again).
        LabSample before = null;
        LabSample fast = null;
        for (LabSample sample : samples) {
            if (sample.nanos() > 7_000_000_000L && before != null && sample.cwnd() != before.cwnd()
                    && sample.cwnd() >= sample.ssthresh() + 3 * mss) {
                fast = sample;
                break;
            }
            before = sample;
        }
        assertTrue(fast != null, "cwnd inflates at the fast retransmit");
        int flight = before.flightSize();
        assertEquals(Math.max(flight / 2, 2 * mss), fast.ssthresh(), "ssthresh = max(FlightSize / 2, 2 SMSS), FlightSize " + flight);
        // The duplicate ACKs arrive together: the sample after that duty cycle also shows step 4, "For each
        // additional duplicate ACK received (after the third), cwnd MUST be incremented by SMSS".
        long stuck = before.sndUna() & 0xFFFF_FFFFL;
        long fastAt = fast.nanos();
        long duplicates = result.frames().stream().filter(f -> f.from() == Side.B && f.tcp() != null && f.tcp().payloadLength() == 0
                && (f.tcp().ack() & 0xFFFF_FFFFL) == stuck && f.arrivalNanos() <= fastAt && f.nanos() > 7_000_000_000L).count();
        assertTrue(duplicates >= 3, "three duplicate ACKs or more: " + duplicates);
        assertEquals(fast.ssthresh() + 3 * mss + (duplicates - 3) * mss, fast.cwnd(), "cwnd = ssthresh + 3 SMSS, + SMSS per further duplicate");
    }

    @Test
    void theFlowControlLabShowsTheWindowClosedAndOpenedAgain() {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("flow-control"), 1);
        List<LabSample> samples = LabPlotsSvg.transfer(result).samples();
        assertTrue(samples.stream().anyMatch(s -> s.sndWnd() == 0), "A's TCB saw B's zero window");
        LabSample last = samples.get(samples.size() - 1);
        assertEquals(2048, last.sndWnd(), "and B's full 2 KiB window once it read again");
        String svg = LabPlotsSvg.render(result);
        assertTrue(svg.contains("class=\"peer-window\""), "the advertised window is drawn");
        assertTrue(svg.contains("zero-window probe"), "probes are in the legend");
    }
}
