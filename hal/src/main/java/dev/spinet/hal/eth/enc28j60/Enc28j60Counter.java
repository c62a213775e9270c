package dev.spinet.hal.eth.enc28j60;

/** Events an {@link Enc28j60Driver} counts instead of throwing (read with {@link Enc28j60Driver#counter}). */
public enum Enc28j60Counter {
    /** Frames handed to the caller. */
    RX_FRAMES,
    /** Frames longer than the caller's capacity, consumed and dropped. */
    RX_TOO_LONG,
    /** Frames whose status vector says not received OK (CRC, length errors): skipped. */
    RX_BAD_STATUS,
    /** A next-packet pointer or byte count that cannot be right: the receive logic was reset. */
    RX_CORRUPT_RESET,
    /** EIR.RXERIF: the buffer (or EPKTCNT) overflowed and the chip dropped frames. */
    RX_OVERFLOW,
    /** A packet shorter than 64 bytes: the speculative read went past it and ERDPT was rewound. */
    RX_SHORT_REWIND,
    /** ERXRDPT updates written (batched: once per drain or per half buffer). */
    RX_READ_POINTER_UPDATES,
    /** Frames handed to the chip with TXRTS. */
    TX_FRAMES,
    /** Transmit refused: the previous frame was still leaving after the poll limit. */
    TX_BUSY,
    /** Transmit refused because the link was down. */
    TX_LINK_DOWN,
    /** EIR.TXERIF seen (transmit logic reset with TXRST per errata). */
    TX_ERRORS,
    /** Frames re-sent after a late collision in the TSV (errata: may be false). */
    TX_LATE_COLLISION_RETRIES,
    /** Frames given up after the retries ran out. */
    TX_ABANDONED,
    /**
     * Frames given up because ECON1.TXRTS stayed set past {@link Enc28j60Config#transmitTimeoutNanos}
     * with no TXERIF (errata DS80349 item 12): TXRTS cleared, TXRST pulsed, the next frame sent.
     */
    TX_TIMEOUTS,
    /** Link changes (EIR.LINKIF, PHIR read, PHSTAT2.LSTAT). */
    LINK_CHANGES,
    /** MII operations whose MISTAT.BUSY did not clear within the poll limit. */
    PHY_TIMEOUT,
    /** Times INT was asserted on the packet path and EIR was read. */
    INTERRUPTS_SERVICED,
    /**
     * Chip resets (RESET pin pulse if wired, then SRC): one by {@link Enc28j60Driver#init}, one per
     * self-test, one per {@link #REINITS}.
     */
    CHIP_RESETS,
    /**
     * EIR flags (link, transmit or receive error) or packets (EPKTCNT) found waiting while INT
     * was not asserted: a lost INT edge or a line that does not follow the chip (or PKTIF's
     * errata). Found by the check before each idle wait, by the EPKTCNT read after one and by
     * the periodic EIR read; serviced at once. Counted once per episode (until INT is seen
     * asserted again), during which idle waits last at most 1 ms.
     */
    INT_MISSED,
    /**
     * The chip was found with its configuration lost (EIE not what was written: a brown-out or a
     * reset nobody asked for) and was reset and configured again, as {@link Enc28j60Driver#init}
     * does.
     */
    REINITS
}
