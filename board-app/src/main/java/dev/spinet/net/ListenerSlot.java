package dev.spinet.net;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server socket's half of the bridge: the listening request, the queue of accepted
 * connections (socket slot numbers: the stack thread produces, the accepting thread consumes
 * under the server socket's lock) and the thread waiting in {@code accept()}.
 */
final class ListenerSlot {

    // ---- request bits ----
    static final int LISTEN = 1;
    static final int CLOSE = 1 << 1;

    // ---- phases ----
    static final int FREE = 0;
    static final int BINDING = 1;
    static final int LISTENING = 2;
    static final int FAILED = 3;

    final int index;
    final SpscIntQueue accepted;
    final AtomicInteger requests = new AtomicInteger();

    // ---- set by the application before posting LISTEN ----
    int requestedPort;
    /** Accepted connections held for accept() at most (java.net's backlog). */
    int backlog;

    // ---- stack ----
    volatile int phase = FREE;
    volatile SocketFailure failure;
    volatile int port;

    volatile Thread acceptor;

    // ---- stack thread only ----
    int tcpListener = -1;

    ListenerSlot(int index, int acceptQueueCapacity) {
        this.index = index;
        this.accepted = new SpscIntQueue(acceptQueueCapacity);
    }

    void recycle() {
        while (accepted.poll() >= 0) {
            // emptied by the stack thread, which closed what was in it
        }
        requests.set(0);
        requestedPort = 0;
        backlog = 0;
        failure = null;
        port = 0;
        acceptor = null;
        tcpListener = -1;
        phase = FREE;
    }
}
