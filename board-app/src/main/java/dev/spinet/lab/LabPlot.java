package dev.spinet.lab;

/** Plots a lab's report can draw from its run ({@link LabPlotsSvg}). */
public enum LabPlot {
    /** Sequence number against time (Stevens / tcptrace style): segments, retransmissions, ACKs, the window. */
    SEQUENCE,
    /** cwnd, ssthresh, the peer's window and bytes in flight against time, and the RTO. */
    CONGESTION
}
