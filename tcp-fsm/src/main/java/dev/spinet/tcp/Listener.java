package dev.spinet.tcp;

/** One listening port (a TCB in LISTEN, RFC 9293 3.10.1 passive OPEN) and its backlog limit. */
final class Listener {

    /** Set in every listener handle, so listener and connection handles never collide. */
    static final int LISTENER_BIT = 1 << 30;

    final int slot;
    int generation;
    int handle;
    boolean inUse;
    int port;
    /** The most half-open (SYN-RECEIVED) connections this listener keeps. */
    int backlog;
    int halfOpen;
    TcpHandler handler;

    Listener(int slot) {
        this.slot = slot;
    }

    void open(int port, int backlog, TcpHandler handler) {
        generation = (generation % 0x3FFF) + 1;
        handle = LISTENER_BIT | (generation << 16) | slot;
        inUse = true;
        this.port = port;
        this.backlog = backlog;
        this.halfOpen = 0;
        this.handler = handler;
    }

    void close() {
        inUse = false;
        handler = null;
        halfOpen = 0;
    }
}
