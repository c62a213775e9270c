package dev.spinet.tcp;

/**
 * Chooses the offset a connection adds to the millisecond clock for its TSvals (RFC 7323
 * section 5.4: TSval comes from "a virtual clock", any starting value). Called once per
 * connection and again, for the same 4-tuple, by each new incarnation, so a connection reopened
 * from TIME-WAIT continues the old one's timestamps (RFC 6191 needs them to grow).
 */
@FunctionalInterface
public interface TimestampOffsets {

    int offset(int localAddress, int localPort, int remoteAddress, int remotePort);
}
