package dev.spinet.tcp.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack-neutral script: the state it tests, the RFC clause that prescribes the answer, the
 * steps (segments the peer injects, user calls, each with the answer the RFC requires), and,
 * where the Linux kernel is known to answer otherwise, why: {@code linuxDeviation} quotes the
 * clause and says what Linux does. The RFC answer is what Spinet is held to; Linux is held to it
 * too unless a deviation is written down, so an undocumented difference fails the suite.
 */
final class Scenario {

    final String state;
    final String name;
    final String clause;
    final List<Step> steps = new ArrayList<>();
    int connections = 1;
    boolean smallReceiveBuffer;
    /** The peer's SYNs carry SACK-permitted (RFC 2018 section 2). */
    boolean peerSack;
    /** The peer's segments all carry timestamps (RFC 7323 3.2): TSval one more each time, TSecr the stack's last. */
    boolean peerTimestamps;
    /** The MSS option of the peer's SYNs. */
    int peerMss = ScenarioRunner.PEER_MSS;
    /** A connection closed in FIN-WAIT-2 waits this long for the peer's FIN (0: each stack's default). */
    int finWait2TimeoutSeconds;
    /**
     * The kernel's congestion control for this scenario's sockets (TCP_CONGESTION), null: the
     * namespace's default (which may be BBR: it has its own idle and loss rules, not RFC 5681's).
     */
    String kernelCongestionControl;
    String linuxDeviation;

    private Scenario(String state, String name, String clause) {
        this.state = state;
        this.name = name;
        this.clause = clause;
    }

    static Scenario of(String state, String name, String clause) {
        return new Scenario(state, name, clause);
    }

    Scenario steps(List<Step> prefix) {
        steps.addAll(prefix);
        return this;
    }

    Scenario step(Step step) {
        steps.add(step);
        return this;
    }

    Scenario connections(int count) {
        this.connections = count;
        return this;
    }

    /** Both stacks get a small receive buffer (Spinet 1024 bytes, Linux SO_RCVBUF 2048), for zero windows. */
    Scenario smallReceiveBuffer() {
        this.smallReceiveBuffer = true;
        return this;
    }

    /** The peer offers SACK in its SYNs. */
    Scenario peerSack() {
        this.peerSack = true;
        return this;
    }

    /** The peer offers timestamps in its SYNs and sends them on every segment. */
    Scenario peerTimestamps() {
        this.peerTimestamps = true;
        return this;
    }

    /** The peer's SYNs announce this MSS (small ones put several segments in an initial window). */
    Scenario peerMss(int mss) {
        this.peerMss = mss;
        return this;
    }

    /**
     * A closed connection waits {@code seconds} in FIN-WAIT-2 (Spinet's tcpFinWait2TimeoutNanos,
     * Linux's TCP_LINGER2 on the socket before close).
     */
    Scenario finWait2Timeout(int seconds) {
        this.finWait2TimeoutSeconds = seconds;
        return this;
    }

    /** The kernel side's sockets use {@code name} (for example "reno", RFC 5681's) instead of the default. */
    Scenario kernelCongestionControl(String name) {
        this.kernelCongestionControl = name;
        return this;
    }

    /** Linux is known to answer otherwise; {@code why} quotes the clause and names the Linux behaviour. */
    Scenario linuxDeviates(String why) {
        this.linuxDeviation = why;
        return this;
    }

    String title() {
        return state + ": " + name;
    }

    /** The RFC answers of the judged steps, for the table. */
    String rfcAnswer() {
        List<String> texts = new ArrayList<>();
        for (Step step : steps) {
            if (!step.setup && step.answers != null) {
                texts.add(step.describeAnswers());
            }
        }
        return String.join(" ; ", texts);
    }

    @Override
    public String toString() {
        return title();
    }
}
