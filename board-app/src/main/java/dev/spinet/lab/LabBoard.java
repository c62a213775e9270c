package dev.spinet.lab;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.wire.Ipv4Packet;
import java.nio.charset.StandardCharsets;

/**
 * One simulated board of a lab: a whole {@link Stack} behind a {@link FilteredLink} on the lab's
 * wire, plus a small application that does what the scenario tells it (listen, connect, send,
 * close, abort, stop reading) and reports what happens to the timeline. The board can be rebooted:
 * a fresh stack on the same link, with every connection forgotten.
 */
public final class LabBoard implements DutyCycle {

    private final LabRun run;
    private final Side side;
    private final StackConfig config;
    private final FilteredLink link;
    private final App app = new App();
    private Stack stack;
    private int connection = -1;
    private int listener = -1;
    private boolean reading = true;
    private boolean closeWhenPeerCloses;
    private final StringBuilder received = new StringBuilder();
    private CloseReason lastCloseReason;

    LabBoard(LabRun run, Side side, StackConfig config, FilteredLink link) {
        this.run = run;
        this.side = side;
        this.config = config;
        this.link = link;
        this.stack = newStack();
    }

    private Stack newStack() {
        return new Stack(config, link, (id, from, to, cause) -> run.recordTransition(side, id, from, to, cause));
    }

    public Side side() {
        return side;
    }

    public int address() {
        return config.ipAddress;
    }

    public String addressText() {
        return Ipv4Packet.formatAddress(config.ipAddress);
    }

    public Stack stack() {
        return stack;
    }

    public TcpLayer tcp() {
        return stack.tcp();
    }

    public FilteredLink link() {
        return link;
    }

    /** The board's latest connection (accepted or opened), or -1. */
    public int connection() {
        return connection;
    }

    /** Whether the board has a listener open. */
    public boolean listening() {
        return listener >= 0;
    }

    public String received() {
        return received.toString();
    }

    public CloseReason lastCloseReason() {
        return lastCloseReason;
    }

    // ---- what the scenario makes the app do ----

    /** Passive OPEN on {@code port}. */
    public LabBoard listen(int port) {
        run.app(side, "listen(" + port + ")");
        listener = tcp().listen(port, config.tcpBacklogMax, app);
        return this;
    }

    /** CLOSE of the listener. */
    public LabBoard closeListener() {
        run.app(side, "close the listener");
        tcp().close(listener);
        listener = -1;
        return this;
    }

    /** Active OPEN to the other board's {@code port} from an ephemeral port. */
    public LabBoard connect(int port) {
        LabBoard peer = run.board(side.other());
        run.app(side, "connect(" + peer.addressText() + ":" + port + ")");
        connection = tcp().connect(peer.address(), port, app);
        return this;
    }

    /**
     * Active OPEN from a chosen local port: listen on it, then SEND on the listener to the other
     * board's {@code remotePort} (RFC 9293 3.10.2, the LISTEN -> SYN-SENT edge). This is how a lab
     * reuses a 4-tuple or opens from both sides at once.
     */
    public LabBoard connectFrom(int localPort, int remotePort) {
        LabBoard peer = run.board(side.other());
        run.app(side, "listen(" + localPort + "), then connect it to " + peer.addressText() + ":" + remotePort);
        int fromListener = tcp().listen(localPort, config.tcpBacklogMax, app);
        connection = tcp().connectFromListener(fromListener, peer.address(), remotePort);
        return this;
    }

    /** Writes text on the current connection. */
    public LabBoard send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int accepted = tcp().write(connection, bytes, 0, bytes.length);
        run.app(side, "write " + bytes.length + " bytes" + (accepted < bytes.length ? " (" + accepted + " accepted)" : ""));
        return this;
    }

    /** Writes {@code length} bytes of filler on the current connection; returns how many were accepted. */
    public int sendBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        int accepted = tcp().write(connection, bytes, 0, length);
        run.app(side, "write " + length + " bytes (" + accepted + " accepted)");
        return accepted;
    }

    /** CLOSE of the current connection. */
    public LabBoard close() {
        run.app(side, "close()");
        tcp().close(connection);
        return this;
    }

    /**
     * Half-close of the current connection (FIN after the queued data); unlike {@link #close} the
     * application goes on reading, so data the peer still sends is delivered (after a full CLOSE
     * it is answered with RST, RFC 1122 4.2.2.13).
     */
    public LabBoard shutdownOutput() {
        run.app(side, "shutdownOutput()");
        tcp().shutdownOutput(connection);
        return this;
    }

    /** ABORT of the current connection. */
    public LabBoard abort() {
        run.app(side, "abort()");
        tcp().abort(connection);
        return this;
    }

    /** Stops or resumes reading (a full receive buffer advertises a zero window). */
    public LabBoard reading(boolean on) {
        run.app(side, on ? "starts reading again" : "stops reading");
        reading = on;
        if (on && connection >= 0 && tcp().state(connection).isSynchronized()) {
            drain(connection);
        }
        return this;
    }

    /** Answers the peer's FIN with its own CLOSE at once (passive close without a pause). */
    public LabBoard closeWhenPeerCloses(boolean on) {
        closeWhenPeerCloses = on;
        return this;
    }

    /** Power cycle: the stack and everything it knew is gone; a fresh one starts on the same link. */
    public LabBoard reboot() {
        run.lab(side, "reboot: every connection, listener and TIME-WAIT entry is forgotten");
        stack = newStack();
        connection = -1;
        listener = -1;
        return this;
    }

    private void drain(int handle) {
        byte[] buffer = new byte[4096];
        int total = 0;
        int n;
        while ((n = tcp().read(handle, buffer, 0, buffer.length)) > 0) {
            received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            total += n;
        }
        if (total > 0) {
            run.app(side, "reads " + total + " bytes");
        }
    }

    // ---- duty cycle ----

    @Override
    public int poll(long nowNanos) {
        link.pump(nowNanos);
        int work = stack.poll(nowNanos);
        run.sample(this);
        return work;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        long deadline = stack.nextDeadline(nowNanos);
        long release = link.nextRelease(nowNanos);
        return release - deadline < 0 ? release : deadline;
    }

    /** The application: records events and reads when told to. */
    private final class App implements TcpHandler {

        private final byte[] endOfStream = new byte[1];

        @Override
        public void onAccepted(int listenerHandle, int handle) {
            connection = handle;
            run.app(side, "accepted connection #" + Integer.toHexString(handle));
        }

        @Override
        public void onConnected(int handle) {
            run.app(side, "connected");
        }

        @Override
        public void onReadable(int handle) {
            if (reading) {
                drain(handle);
            }
        }

        @Override
        public void onPeerClosed(int handle) {
            run.app(side, "peer closed its side (read returns end of stream)");
            if (reading) {
                drain(handle);
                tcp().read(handle, endOfStream, 0, 1); // -1: the application has seen the end
            }
            if (closeWhenPeerCloses) {
                run.app(side, "close()");
                tcp().close(handle);
            }
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            lastCloseReason = reason;
            run.app(side, "connection #" + Integer.toHexString(handle) + " closed: " + reason);
        }
    }
}
