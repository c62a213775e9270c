package dev.spinet.tcp;

/** What a connection sends when it walks an edge (the "snd" half of the RFC figure's labels). */
public enum Emitted {
    NOTHING,
    SYN,
    SYN_ACK,
    ACK,
    FIN,
    RST
}
