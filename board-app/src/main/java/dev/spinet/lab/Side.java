package dev.spinet.lab;

/**
 * The two boards of a lab. A is drawn solid in the state diagram and B dashed, as the usual
 * figure draws the client's path solid and the server's dashed; in most labs A is the client.
 */
public enum Side {
    A,
    B;

    /** The other board. */
    public Side other() {
        return this == A ? B : A;
    }
}
