package dev.spinet.lab;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
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
    /**
     * B's listening port in the desktop labs. Not one Wireshark dissects as an application
     * protocol (port 80 made it reassemble the lab's bytes as HTTP and flag a lost segment's
     * retransmission as malformed HTTP), so captures show plain TCP.
     */
    static final int PORT = 4000;
    /** Fixed local ports where a lab opens from a chosen port (4-tuple reuse, simultaneous open): A's, then B's. */
    static final int PORT_A = 40000;
    static final int PORT_B = 50000;

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
