package dev.spinet.tcp.scenario;

import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import java.util.ArrayList;
import java.util.List;

/** A {@link TcpHandler} that writes every event down as text, for assertions. Allocates. */
public final class RecordingHandler implements TcpHandler {

    private final List<String> events = new ArrayList<>();
    private int lastAccepted = -1;
    private CloseReason lastCloseReason;

    @Override
    public void onAccepted(int listener, int connection) {
        lastAccepted = connection;
        events.add("accepted");
    }

    @Override
    public void onConnected(int connection) {
        events.add("connected");
    }

    @Override
    public void onReadable(int connection) {
        events.add("readable");
    }

    @Override
    public void onWritable(int connection) {
        events.add("writable");
    }

    @Override
    public void onPeerClosed(int connection) {
        events.add("peer-closed");
    }

    @Override
    public void onClosed(int connection, CloseReason reason) {
        lastCloseReason = reason;
        events.add("closed " + reason);
    }

    public List<String> events() {
        return events;
    }

    public int lastAccepted() {
        return lastAccepted;
    }

    public CloseReason lastCloseReason() {
        return lastCloseReason;
    }

    public void clear() {
        events.clear();
    }
}
