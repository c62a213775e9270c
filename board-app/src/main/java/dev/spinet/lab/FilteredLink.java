package dev.spinet.lab;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameDevice} decorator that lets a lab shape one board's traffic from outside the TCP
 * engine: drop the next N matching segments it sends or receives (a withheld final ACK, a lost
 * SYN, a stealth host), reject segments arriving for it with an ICMP destination unreachable (a
 * firewall's "reject"), hold a segment it sends and let it go later (a delayed SYN+ACK, segments
 * that cross), and replay a copy of a segment it sent earlier (a late duplicate FIN).
 *
 * <p>Rules are checked in the order they were added; the first rule that matches a frame and
 * still has a count left applies. Held frames wait in fixed slots allocated here; matching uses
 * flyweights, so forwarding, dropping, rejecting and holding allocate nothing (the observer may). Keeping a
 * history for {@link #replayLast} copies frames and is for desktop labs only.
 */
public final class FilteredLink extends FrameDeviceDecorator {

    /** Which way a rule looks. */
    public enum Direction {
        /** Frames this board transmits (dropped ones never reach the wire). */
        OUT,
        /** Frames arriving for this board (they were on the wire; the board never sees them). */
        IN
    }

    /** What happened to a frame, told to the {@link Observer}. */
    public enum Action {
        DROPPED_OUT, DROPPED_IN, HELD, RELEASED, REPLAYED
    }

    /** Told about every frame a rule touched (the bytes are valid during the call only). */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (action, rule, frame, offset, length) -> { };

        void onAction(Action action, String rule, byte[] frame, int offset, int length);
    }

    /** What a {@link Gate} decides about one frame this board is about to send. */
    public enum Verdict {
        /** Let the rules decide, as without a gate. */
        PASS,
        /** Drop it before the wire. */
        DROP,
        /** Hold it back for the gate's hold time, then put it on the wire. */
        DELAY,
        /** Send it, then a copy of it right behind. */
        DUPLICATE
    }

    /**
     * Asked about every frame this board sends, before the rules: the lab studio's student decides
     * here, segment by segment, what becomes of the next one. The bytes are valid during the call only.
     */
    @FunctionalInterface
    public interface Gate {
        Gate PASS_ALL = (frame, offset, length) -> Verdict.PASS;

        Verdict decide(byte[] frame, int offset, int length);
    }

    /** Release time of a frame held until {@link #release()} is called. */
    public static final long UNTIL_RELEASED = Long.MIN_VALUE;
    private static final int HOLD_SLOTS = 8;

    private record Rule(Direction direction, TcpMatch match, boolean hold, long holdNanos, int[] remaining, String text,
                        int rejectCode) {
    }

    /** {@link Rule#rejectCode} of a rule that only drops or holds. */
    private static final int NO_REJECT = -1;
    private static final int ETHERNET = 14;
    /** RFC 792: an error quotes the IPv4 header and the first 64 bits of the datagram's data. */
    private static final int QUOTED_DATA = 8;

    private final NanoClock clock;
    private final List<Rule> rules = new ArrayList<>();
    private final byte[][] held;
    private final int[] heldLength;
    private final long[] heldUntil;
    private final boolean[] heldInUse;
    /** Where a rejecting rule builds its ICMP reply. */
    private final byte[] rejectFrame;
    private final List<byte[]> history = new ArrayList<>();
    private boolean keepHistory;
    private Observer observer = Observer.NONE;
    private Gate gate = Gate.PASS_ALL;
    private long gateDelayNanos;

    public FilteredLink(FrameDevice inner, NanoClock clock) {
        if (inner == null || clock == null) {
            throw new IllegalArgumentException("FilteredLink needs the device it decorates and a clock");
        }
        super(inner);
        this.clock = clock;
        this.held = new byte[HOLD_SLOTS][inner.maxFrameLength()];
        this.heldLength = new int[HOLD_SLOTS];
        this.heldUntil = new long[HOLD_SLOTS];
        this.heldInUse = new boolean[HOLD_SLOTS];
        this.rejectFrame = new byte[Math.max(60, inner.maxFrameLength())];
    }

    public FilteredLink observer(Observer observer) {
        this.observer = observer == null ? Observer.NONE : observer;
        return this;
    }

    /** Asks {@code gate} about every frame before the rules; a {@link Verdict#DELAY} holds it {@code delayNanos}. */
    public FilteredLink gate(Gate gate, long delayNanos) {
        if (delayNanos <= 0) {
            throw new IllegalArgumentException("a gate's delay must be positive, was " + delayNanos + " ns");
        }
        this.gate = gate == null ? Gate.PASS_ALL : gate;
        this.gateDelayNanos = delayNanos;
        return this;
    }

    /** Keeps a copy of every TCP segment transmitted, for {@link #replayLast} (allocates). */
    public FilteredLink keepHistory(boolean keep) {
        this.keepHistory = keep;
        return this;
    }

    /** Drops the next {@code count} frames matching (count &lt; 0: all of them, until cleared). */
    public FilteredLink drop(Direction direction, TcpMatch match, int count) {
        rules.add(new Rule(direction, match, false, 0, new int[] {count},
                "drop " + (count < 0 ? "every" : "the next " + count) + " " + match + (direction == Direction.OUT ? " sent" : " received"),
                NO_REJECT));
        return this;
    }

    /**
     * Rejects the next {@code count} matching frames arriving for this board (count &lt; 0: all of
     * them) as a firewall in front of it does ("reject with icmp"): the board never sees the frame,
     * and an ICMP destination unreachable with {@code code} (RFC 792: 3 port unreachable; RFC 1812:
     * 13 communication administratively prohibited) quoting the frame's IPv4 header and first 8
     * data octets goes back to its sender, from the address it was sent to.
     */
    public FilteredLink reject(TcpMatch match, int code, int count) {
        rules.add(new Rule(Direction.IN, match, false, 0, new int[] {count},
                "reject " + (count < 0 ? "every" : "the next " + count) + " " + match + " received with ICMP unreachable code " + code,
                code));
        return this;
    }

    /**
     * Holds the next {@code count} frames this board sends that match, for {@code nanos} (or, with
     * {@link #UNTIL_RELEASED}, until {@link #release()}); they then go on the wire in order.
     */
    public FilteredLink hold(TcpMatch match, int count, long nanos) {
        rules.add(new Rule(Direction.OUT, match, true, nanos, new int[] {count},
                "hold the next " + count + " " + match + " sent" + (nanos == UNTIL_RELEASED ? "" : " for " + nanos / 1_000_000 + " ms"),
                NO_REJECT));
        return this;
    }

    /** Removes every rule (held frames stay held). */
    public FilteredLink clearRules() {
        rules.clear();
        return this;
    }

    /** Puts every held frame on the wire now, oldest first. */
    public void release() {
        for (int i = 0; i < HOLD_SLOTS; i++) {
            if (heldInUse[i]) {
                sendHeld(i);
            }
        }
    }

    /** Frames held right now. */
    public int heldCount() {
        int n = 0;
        for (boolean inUse : heldInUse) {
            n += inUse ? 1 : 0;
        }
        return n;
    }

    /** Sends a copy of the last transmitted segment that matches again; false if there is none. */
    public boolean replayLast(TcpMatch match) {
        for (int i = history.size() - 1; i >= 0; i--) {
            byte[] frame = history.get(i);
            if (match.matches(frame, 0, frame.length)) {
                observer.onAction(Action.REPLAYED, "replay the last " + match, frame, 0, frame.length);
                inner.transmit(frame, 0, frame.length);
                return true;
            }
        }
        return false;
    }

    /** Releases held frames whose time has come (called by the board's duty cycle). */
    public void pump(long nowNanos) {
        for (int i = 0; i < HOLD_SLOTS; i++) {
            if (heldInUse[i] && heldUntil[i] != UNTIL_RELEASED && heldUntil[i] - nowNanos <= 0) {
                sendHeld(i);
            }
        }
    }

    /** When the next timed hold ends, or {@code now + Long.MAX_VALUE / 4}. */
    public long nextRelease(long nowNanos) {
        long next = nowNanos + Long.MAX_VALUE / 4;
        for (int i = 0; i < HOLD_SLOTS; i++) {
            if (heldInUse[i] && heldUntil[i] != UNTIL_RELEASED && heldUntil[i] - next < 0) {
                next = heldUntil[i];
            }
        }
        return next;
    }

    private void sendHeld(int slot) {
        heldInUse[slot] = false;
        observer.onAction(Action.RELEASED, "release held segment", held[slot], 0, heldLength[slot]);
        forward(held[slot], 0, heldLength[slot]);
    }

    private Rule firstRule(Direction direction, byte[] frame, int offset, int length) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.direction == direction && rule.remaining[0] != 0 && rule.match.matches(frame, offset, length)) {
                if (rule.remaining[0] > 0) {
                    rule.remaining[0]--;
                }
                return rule;
            }
        }
        return null;
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        pump(clock.nanoTime());
        switch (gate.decide(frame, offset, length)) {
            case DROP -> {
                observer.onAction(Action.DROPPED_OUT, GATE_DROP, frame, offset, length);
                return true;
            }
            case DELAY -> {
                if (hold(frame, offset, length, clock.nanoTime() + gateDelayNanos, GATE_DELAY)) {
                    return true;
                }
                // Every slot taken: the frame goes now, as it would without the gate.
            }
            case DUPLICATE -> {
                boolean sent = forward(frame, offset, length);
                observer.onAction(Action.REPLAYED, GATE_DUPLICATE, frame, offset, length);
                inner.transmit(frame, offset, length);
                return sent;
            }
            case PASS -> {
            }
        }
        Rule rule = firstRule(Direction.OUT, frame, offset, length);
        if (rule == null) {
            return forward(frame, offset, length);
        }
        if (!rule.hold) {
            observer.onAction(Action.DROPPED_OUT, rule.text, frame, offset, length);
            return true;
        }
        return hold(frame, offset, length, rule.holdNanos == UNTIL_RELEASED ? UNTIL_RELEASED : clock.nanoTime() + rule.holdNanos,
                rule.text);
    }

    private static final String GATE_DROP = "drop this segment (chosen in the studio)";
    private static final String GATE_DELAY = "delay this segment (chosen in the studio)";
    private static final String GATE_DUPLICATE = "duplicate this segment (chosen in the studio)";

    /** Copies the frame into a free hold slot until {@code until}; false when every slot is taken. */
    private boolean hold(byte[] frame, int offset, int length, long until, String why) {
        for (int i = 0; i < HOLD_SLOTS; i++) {
            if (!heldInUse[i]) {
                System.arraycopy(frame, offset, held[i], 0, length);
                heldLength[i] = length;
                heldUntil[i] = until;
                heldInUse[i] = true;
                observer.onAction(Action.HELD, why, frame, offset, length);
                return true;
            }
        }
        return false;
    }

    private boolean forward(byte[] frame, int offset, int length) {
        if (keepHistory && TcpMatch.anyTcp().matches(frame, offset, length)) {
            byte[] copy = new byte[length];
            System.arraycopy(frame, offset, copy, 0, length);
            history.add(copy);
        }
        return inner.transmit(frame, offset, length);
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        pump(clock.nanoTime());
        while (true) {
            int n = inner.receive(buffer, offset, capacity);
            if (n <= 0) {
                return n;
            }
            Rule rule = firstRule(Direction.IN, buffer, offset, n);
            if (rule == null) {
                return n;
            }
            observer.onAction(Action.DROPPED_IN, rule.text, buffer, offset, n);
            if (rule.rejectCode != NO_REJECT) {
                sendUnreachable(buffer, offset, n, rule.rejectCode);
            }
        }
    }

    /** The ICMP destination unreachable a rejecting firewall sends back about the frame at {@code offset}. */
    private void sendUnreachable(byte[] frame, int offset, int length, int code) {
        int ip = offset + ETHERNET;
        int quoted = Math.min((frame[ip] & 0x0F) * 4 + QUOTED_DATA, length - ETHERNET);
        int icmpLength = IcmpPacket.HEADER_LENGTH + quoted;
        byte[] reply = rejectFrame;
        int replyLength = Math.max(60, ETHERNET + Ipv4Packet.MIN_HEADER_LENGTH + icmpLength);
        java.util.Arrays.fill(reply, 0, replyLength, (byte) 0);
        int source = readInt(frame, ip + Ipv4Packet.DESTINATION_OFFSET);
        int destination = readInt(frame, ip + Ipv4Packet.SOURCE_OFFSET);
        EthernetFrame.writeHeader(reply, 0, MacAddress.read(frame, offset + 6), MacAddress.read(frame, offset), EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(reply, ETHERNET, Ipv4Packet.MIN_HEADER_LENGTH + icmpLength, 0, false, 64, Ipv4Packet.PROTOCOL_ICMP,
                source, destination);
        int icmp = ETHERNET + Ipv4Packet.MIN_HEADER_LENGTH;
        IcmpPacket.writeHeader(reply, icmp, IcmpPacket.TYPE_DEST_UNREACHABLE, code, 0);
        System.arraycopy(frame, ip, reply, icmp + IcmpPacket.HEADER_LENGTH, quoted);
        IcmpPacket.writeChecksum(reply, icmp, icmpLength);
        forward(reply, 0, replyLength);
    }

    private static int readInt(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 24 | (buffer[offset + 1] & 0xFF) << 16 | (buffer[offset + 2] & 0xFF) << 8
                | (buffer[offset + 3] & 0xFF);
    }

    /** The decorated device. */
    public FrameDevice inner() {
        return inner;
    }
}
