package dev.spinet.tcp.scenario;

import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A full-duplex bulk transfer over a {@link TcpLink}: a connects to b, each side writes
 * {@code bytesEachWay} bytes of a position-derived pattern, half-closes, reads until end of
 * stream, then closes. Both directions are hashed (SHA-256) at the sender and at the receiver.
 * {@link #pumpApplications} allocates nothing, so the loop can run under an allocation check.
 */
public final class BulkTransfer {

    /** One end's application. */
    public static final class Side implements TcpHandler {
        final TcpLayer layer;
        final long total;
        final long patternSeed;
        final MessageDigest sentDigest;
        final MessageDigest receivedDigest;
        final byte[] chunk;
        final byte[] readBuffer;
        /** Pattern per stream position and SHA-256 of both directions; off, only the copies remain. */
        final boolean verify;
        public int handle = -1;
        public long written;
        public long read;
        boolean shutdown;
        boolean eof;
        boolean closeCalled;
        public CloseReason closedWith;

        /**
         * An application that writes {@code total} pattern bytes, reads and hashes all it gets,
         * shuts down its output when done and closes at end of stream. Usable on any TcpLayer
         * (a {@link TcpLink} or a whole stack on a virtual wire): call {@link #pump()} between cycles.
         */
        public Side(TcpLayer layer, long total, long patternSeed, int chunkBytes) {
            this(layer, total, patternSeed, chunkBytes, true);
        }

        /**
         * As {@link #Side(TcpLayer, long, long, int)}; without {@code verify} the application
         * writes one chunk prepared once (the pattern from position 0) over and over and reads
         * without hashing: what remains is the copy into the send ring and the copy out of the
         * receive ring, as a real application's, without the per-byte pattern and SHA-256 work
         * that would otherwise dominate a benchmark of the stack. The hashes are then meaningless.
         */
        public Side(TcpLayer layer, long total, long patternSeed, int chunkBytes, boolean verify) {
            this.layer = layer;
            this.verify = verify;
            this.total = total;
            this.patternSeed = patternSeed;
            this.chunk = new byte[chunkBytes];
            this.readBuffer = new byte[chunkBytes];
            if (!verify) {
                fillPattern(chunk, chunkBytes, 0, patternSeed);
            }
            try {
                this.sentDigest = MessageDigest.getInstance("SHA-256");
                this.receivedDigest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onAccepted(int listener, int connection) {
            handle = connection;
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            if (connection == handle) {
                closedWith = reason;
            }
        }

        public boolean done() {
            return closedWith != null;
        }

        /**
         * This side as a handler that also pumps on every event (connected, readable, writable,
         * peer closed), as the board's services do: data is then read inside the stack's duty
         * cycle, so the ACK that cycle sends already carries the window the read opened. Use it
         * instead of the side itself for {@code listen} or {@code connect}.
         */
        public TcpHandler eventDriven() {
            Side side = this;
            return new TcpHandler() {
                @Override
                public void onAccepted(int listener, int connection) {
                    side.onAccepted(listener, connection);
                    side.pump();
                }

                @Override
                public void onConnected(int connection) {
                    side.pump();
                }

                @Override
                public void onReadable(int connection) {
                    side.pump();
                }

                @Override
                public void onWritable(int connection) {
                    side.pump();
                }

                @Override
                public void onPeerClosed(int connection) {
                    side.pump();
                }

                @Override
                public void onClosed(int connection, CloseReason reason) {
                    side.onClosed(connection, reason);
                }
            };
        }

        /** SHA-256 of what this side wrote (finishes the digest: call once, at the end). */
        public byte[] sentHash() {
            return sentDigest.digest();
        }

        /** SHA-256 of what this side read (finishes the digest: call once, at the end). */
        public byte[] receivedHash() {
            return receivedDigest.digest();
        }

        /** Writes what the send ring takes, reads what has arrived, shuts down and closes when due. */
        public void pump() {
            if (handle < 0 || closedWith != null) {
                return;
            }
            while (written < total && !shutdown) {
                int n = (int) Math.min(chunk.length, total - written);
                if (verify) {
                    fillPattern(chunk, n, written, patternSeed);
                }
                int accepted = layer.write(handle, chunk, 0, n);
                if (accepted > 0 && verify) {
                    sentDigest.update(chunk, 0, accepted);
                }
                if (accepted > 0) {
                    written += accepted;
                }
                if (accepted < n) {
                    break;
                }
            }
            if (written == total && !shutdown) {
                shutdown = true;
                layer.shutdownOutput(handle);
                if (closedWith != null) {
                    return;
                }
            }
            while (!eof && closedWith == null) {
                int n = layer.read(handle, readBuffer, 0, readBuffer.length);
                if (n > 0) {
                    if (verify) {
                        receivedDigest.update(readBuffer, 0, n);
                    }
                    read += n;
                } else {
                    if (n < 0) {
                        eof = true;
                    }
                    break;
                }
            }
            if (eof && shutdown && !closeCalled && closedWith == null) {
                closeCalled = true;
                layer.close(handle);
            }
        }
    }

    public final TcpLink link;
    public final Side client;
    public final Side server;

    public BulkTransfer(TcpLink link, long bytesEachWay, int chunkBytes) {
        this(link, bytesEachWay, bytesEachWay, chunkBytes);
    }

    /** Client (a) sends {@code clientBytes}, server (b) sends {@code serverBytes}. */
    public BulkTransfer(TcpLink link, long clientBytes, long serverBytes, int chunkBytes) {
        this(link, clientBytes, serverBytes, chunkBytes, true);
    }

    /**
     * As {@link #BulkTransfer(TcpLink, long, long, int)}; {@code verify} false leaves only the
     * applications' copies ({@link Side#Side(TcpLayer, long, long, int, boolean)}): for benchmarks.
     */
    public BulkTransfer(TcpLink link, long clientBytes, long serverBytes, int chunkBytes, boolean verify) {
        this.link = link;
        this.client = new Side(link.a, clientBytes, 0x1111, chunkBytes, verify);
        this.server = new Side(link.b, serverBytes, 0x2222, chunkBytes, verify);
    }

    /** Listens on b and connects from a. */
    public void start(int port) {
        link.b.listen(port, 4, server);
        client.handle = link.a.connect(TcpLink.ADDRESS_B, port, client);
    }

    public void pumpApplications() {
        client.pump();
        server.pump();
    }

    public boolean done() {
        return client.done() && server.done();
    }

    /**
     * Runs until both sides are closed, or {@code maxVirtualNanos} of virtual time passed, or the
     * link has nothing scheduled. Returns whether both sides finished.
     */
    public boolean run(long maxVirtualNanos) {
        long end = link.now() + maxVirtualNanos;
        while (!done()) {
            pumpApplications();
            if (done()) {
                break;
            }
            if (link.now() - end > 0 || !link.step(end - link.now())) {
                return false;
            }
        }
        return true;
    }

    /** The pattern byte at stream position {@code position}. */
    public static byte patternByte(long position, long seed) {
        long x = (position + seed) * 0x9E37_79B9_7F4A_7C15L;
        return (byte) (x >>> 56);
    }

    static void fillPattern(byte[] target, int length, long position, long seed) {
        for (int i = 0; i < length; i++) {
            target[i] = patternByte(position + i, seed);
        }
    }

    /** Finishes the digests (allocates; call once at the end). */
    public static byte[] digest(MessageDigest digest) {
        return digest.digest();
    }

    public byte[] clientSentHash() {
        return client.sentDigest.digest();
    }

    public byte[] clientReceivedHash() {
        return client.receivedDigest.digest();
    }

    public byte[] serverSentHash() {
        return server.sentDigest.digest();
    }

    public byte[] serverReceivedHash() {
        return server.receivedDigest.digest();
    }
}
