package dev.spinet.lab;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.PASSIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;
import static dev.spinet.tcp.TransitionCause.RETRANSMISSION_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.SEND;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every lab Spinet ships, in teaching order. {@code spinet lab list} prints them,
 * {@code spinet lab show NAME} prints one, {@code spinet lab run NAME} runs it, and
 * {@code spinet image build --lab NAME} checks its name here.
 */
public final class LabCatalogue {

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final int PORT = 80;

    private final Map<String, Lab> labs = new LinkedHashMap<>();

    private LabCatalogue(List<Lab> all) {
        for (Lab lab : all) {
            if (labs.put(lab.name(), lab) != null) {
                throw new IllegalStateException("two labs are called " + lab.name());
            }
        }
    }

    /** The standard catalogue. */
    public static LabCatalogue standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final LabCatalogue STANDARD = new LabCatalogue(Labs.all());
    }

    /** Every lab, in catalogue order. */
    public List<Lab> labs() {
        return List.copyOf(labs.values());
    }

    /** Every lab name, in catalogue order. */
    public List<String> names() {
        return List.copyOf(labs.keySet());
    }

    public boolean exists(String name) {
        return labs.containsKey(name);
    }

    /** The lab called {@code name}; IllegalArgumentException listing the names if there is none. */
    public Lab lab(String name) {
        Lab lab = labs.get(name);
        if (lab == null) {
            throw new IllegalArgumentException("no lab called '" + name + "'; the labs are: " + String.join(", ", names()));
        }
        return lab;
    }

    static Step t(TcpState from, TcpState to, TransitionCause cause) {
        return Step.of(from, to, cause);
    }
}
