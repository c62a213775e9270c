package dev.spinet.lab.grade;

import dev.spinet.lab.LabFrame;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.lab.Side;
import dev.spinet.lab.TimelineEntry;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one side of a lab run was given, read back from the run: every TCP segment and ICMP message
 * that reached it (the other side's frames the lab let through, and the ICMP errors a firewall in
 * front of the other side sent back, at their arrival time) and every call its
 * application made (from the timeline's application lines, as {@code LabBoard} writes them), plus
 * reboots. Played into a fresh engine with the lab's configuration they make it walk the same
 * transitions (a test checks this for every lab and side).
 */
final class LabInputs {

    private static final Pattern LISTEN = Pattern.compile("listen\\((\\d+)\\)");
    private static final Pattern CONNECT = Pattern.compile("connect\\([0-9.]+:(\\d+)\\)");
    private static final Pattern CONNECT_FROM = Pattern.compile("listen\\((\\d+)\\), then connect it to [0-9.]+:(\\d+)");
    private static final Pattern WRITE = Pattern.compile("write (\\d+) bytes(?: \\((\\d+) accepted\\))?");

    private LabInputs() {
    }

    static List<ScenarioInput> of(LabResult run, Side side) {
        List<ScenarioInput> inputs = new ArrayList<>();
        for (LabFrame frame : run.frames()) {
            if (frame.from() == side.other() && frame.arrived()) {
                ScenarioInput arrival = arrival(frame);
                if (arrival != null) {
                    inputs.add(arrival);
                }
            }
        }
        List<ScenarioInput> calls = new ArrayList<>();
        for (TimelineEntry entry : run.timeline()) {
            if (entry.side() != side) {
                continue;
            }
            if (entry.kind() == TimelineEntry.Kind.LAB && entry.text().startsWith("reboot")) {
                calls.add(ScenarioInput.call(entry.nanos(), ScenarioInput.Type.REBOOT, 0, 0));
                continue;
            }
            if (entry.kind() != TimelineEntry.Kind.APP) {
                continue;
            }
            // A CLOSE the application made from its "peer closed" callback is played after the
            // arrival of the FIN: two events for the machine (the FIN, then CLOSE), as the figure has them.
            ScenarioInput call = call(entry);
            if (call != null) {
                calls.add(call);
            }
        }
        inputs.addAll(calls);
        // Arrivals at an instant come before the application's calls at that instant: the lab runs
        // the boards up to a time, handling what arrives, before its script acts.
        inputs.sort(Comparator.comparingLong(ScenarioInput::nanos)
                .thenComparing(i -> i.type() == ScenarioInput.Type.ARRIVAL || i.type() == ScenarioInput.Type.ICMP_ARRIVAL ? 0 : 1));
        return inputs;
    }

    /** The TCP segment or ICMP message the frame carried to the side; null for any other frame. */
    private static ScenarioInput arrival(LabFrame frame) {
        EthernetFrame ethernet = new EthernetFrame();
        Ipv4Packet ip = new Ipv4Packet();
        byte[] bytes = frame.bytes();
        if (ethernet.wrap(bytes, 0, bytes.length) != WireError.OK
                || ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength()) != WireError.OK) {
            return null;
        }
        byte[] payload = Arrays.copyOfRange(ip.buffer(), ip.payloadOffset(), ip.payloadOffset() + ip.payloadLength());
        if (ip.protocol() == Ipv4Packet.PROTOCOL_ICMP) {
            IcmpPacket icmp = new IcmpPacket();
            return icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) == WireError.OK
                    ? ScenarioInput.icmpArrival(frame.arrivalNanos(), ip.source(), ip.destination(), payload) : null;
        }
        TcpSegment tcp = new TcpSegment();
        if (ip.protocol() != Ipv4Packet.PROTOCOL_TCP || tcp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) != WireError.OK) {
            return null;
        }
        return ScenarioInput.arrival(frame.arrivalNanos(), ip.source(), ip.destination(), payload);
    }

    /** The call an application line records, or null for a line that reports instead of calls. */
    private static ScenarioInput call(TimelineEntry entry) {
        String text = entry.text();
        long t = entry.nanos();
        Matcher m;
        if ((m = CONNECT_FROM.matcher(text)).matches()) {
            return ScenarioInput.call(t, ScenarioInput.Type.CONNECT_FROM, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if ((m = LISTEN.matcher(text)).matches()) {
            return ScenarioInput.call(t, ScenarioInput.Type.LISTEN, Integer.parseInt(m.group(1)), 0);
        }
        if ((m = CONNECT.matcher(text)).matches()) {
            return ScenarioInput.call(t, ScenarioInput.Type.CONNECT, Integer.parseInt(m.group(1)), 0);
        }
        if ((m = WRITE.matcher(text)).matches()) {
            return ScenarioInput.call(t, ScenarioInput.Type.WRITE, Integer.parseInt(m.group(1)), 0);
        }
        return switch (text) {
            case "close the listener" -> ScenarioInput.call(t, ScenarioInput.Type.CLOSE_LISTENER, 0, 0);
            case "close()" -> ScenarioInput.call(t, ScenarioInput.Type.CLOSE, 0, 0);
            case "shutdownOutput()" -> ScenarioInput.call(t, ScenarioInput.Type.SHUTDOWN, 0, 0);
            case "abort()" -> ScenarioInput.call(t, ScenarioInput.Type.ABORT, 0, 0);
            case "stops reading" -> ScenarioInput.call(t, ScenarioInput.Type.READING, 0, 0);
            case "starts reading again" -> ScenarioInput.call(t, ScenarioInput.Type.READING, 1, 0);
            default -> null;
        };
    }

    /** The address of the side, as the lab gives it. */
    static int address(Side side) {
        return side == Side.A ? LabRun.ADDRESS_A : LabRun.ADDRESS_B;
    }
}
