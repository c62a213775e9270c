package dev.spinet.hal.eth.w5500;

/** Events a {@link W5500Driver} counts instead of throwing (read with {@link W5500Driver#counter}). */
public enum W5500Counter {
    /** Frames handed to the caller. */
    RX_FRAMES,
    /** Receive batches fetched (one RSR read, one burst, one RX_RD write, one RECV each). */
    RX_BATCHES,
    /** Frames longer than the caller's capacity, consumed and dropped. */
    RX_TOO_LONG,
    /** A record length outside 2+14..2+1514: the buffer contents were discarded. */
    RX_RECORD_CORRUPT,
    /** RSR announced a partial record (torn read or burst cap): left for the next batch. */
    RX_PARTIAL_RECORD,
    /** RSR and RX_WR-RX_RD disagreed (RECV not yet taken, or a torn read): the smaller was used. */
    RX_POINTER_DISAGREEMENT,
    /**
     * A status read whose Sn_RX_RSR or Sn_RX_WR - RX_RD exceeded the 16 KiB buffer (a corrupt
     * read: the chip cannot hold more): read again instead of using the value.
     */
    RX_STATUS_IMPOSSIBLE,
    /** Frames queued with SEND. */
    TX_FRAMES,
    /** Transmit refused because the previous SEND had not completed within the poll limit. */
    TX_BUSY,
    /**
     * A SEND that did not finish within {@link W5500Config#transmitTimeoutNanos}: its frame was
     * given up and socket 0 reopened (counted in {@link #SOCKET_REOPENED} too).
     */
    TX_TIMEOUTS,
    /** Transmit refused because the link was down. */
    TX_LINK_DOWN,
    /** Socket commands the chip did not accept (CR not cleared) within the poll limit. */
    COMMAND_TIMEOUT,
    /** Link state changes seen in PHYCFGR. */
    LINK_CHANGES,
    /** Socket 0 closed and opened again: on link up after a link down, after a transmit timeout, or found not in MACRAW state. */
    SOCKET_REOPENED,
    /**
     * Chip resets (RESET pin pulse if wired, then MR.RST): one by {@link W5500Driver#init}, one per
     * self-test, one per {@link #REINITS}.
     */
    CHIP_RESETS,
    /**
     * An idle wait found Sn_IR.RECV set while INT was not asserted: a lost INT edge or a line that
     * does not follow the chip. Counted once per episode (until INT is seen asserted again), during
     * which idle waits last at most 1 ms; outside one they last at most the link poll interval, so
     * frames are found even when the line never moves.
     */
    INT_MISSED,
    /**
     * A status read found less than one maximum-size record (1516 bytes) free in socket 0's
     * 16 KiB: frames arriving then may have been dropped (MACRAW has no overflow flag).
     */
    RX_BUFFER_FULL,
    /**
     * The chip was found with its configuration lost (Sn_MR not what was written, or socket 0
     * not reopening in MACRAW: a brown-out or a reset nobody asked for) and was reset and
     * configured again, as {@link W5500Driver#init} does.
     */
    REINITS
}
