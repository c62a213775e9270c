package dev.spinet.tcp;

/** Chooses the initial send sequence number of a connection. */
@FunctionalInterface
public interface InitialSequenceNumbers {

    int next(int localAddress, int localPort, int remoteAddress, int remotePort, long nowNanos);
}
