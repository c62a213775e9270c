package dev.spinet.bench;

import dev.spinet.harness.timing.ModeledChip;

/**
 * The SPI cost of the Linux kernel's drivers for the same chips, counted by reading them (Linux
 * mainline, {@code drivers/net/ethernet/wiznet/w5100.c} with {@code w5100-spi.c}, and
 * {@code drivers/net/ethernet/microchip/enc28j60.c}): transactions (one {@code spi_sync} message,
 * one chip-select period, each) and bytes clocked, per received and per transmitted frame. The
 * counting, function by function, is in docs/spi-cost.md, "Linux drivers, counted".
 *
 * <p>Receive depends on how many frames one interrupt finds: the fixed part is paid once per
 * interrupt. At the line rates here a frame is handled before the next has arrived whenever the
 * driver keeps up, so the figures quoted are for one frame per interrupt (12 for the W5500, 18 for
 * the ENC28J60); {@link #rxTransactions} gives the rest.
 *
 * @param chip the controller
 * @param rxPerInterrupt receive transactions paid once per interrupt
 * @param rxPerFrame receive transactions per frame
 * @param rxBytesPerInterrupt bytes of the once-per-interrupt transactions
 * @param rxBytesPerFrame bytes per frame besides the frame itself
 * @param rxReadsFcs whether the frame read includes the 4-byte FCS (the ENC28J60 stores it)
 * @param txTransactions transactions per transmitted frame, the transmit-done interrupt included
 * @param txBytes bytes per transmitted frame besides the frame itself
 */
public record LinuxDriverCost(ModeledChip chip, int rxPerInterrupt, int rxPerFrame, int rxBytesPerInterrupt,
                              int rxBytesPerFrame, boolean rxReadsFcs, int txTransactions, int txBytes) {

    /**
     * w5100-spi.c with the W5500 ops: every register read, write, 16-bit read or write and bulk
     * transfer is one message (w5500_spi_read/write/read16/write16: spi_write_then_read;
     * readbulk/writebulk: spi_sync_transfer with a 3-byte header).
     * <ul>
     * <li>Per interrupt (w5100_interrupt, then w5100_rx_work): read S0_IR, write S0_IR,
     *   w5100_disable_intr (write SIMR); after the frames, the w5100_rx_skb whose read16 of
     *   RX_RSR finds 0, and w5100_enable_intr (write SIMR): 5 transactions, 21 bytes.</li>
     * <li>Per frame (w5100_rx_skb): read16 RX_RSR, read16 RX_RD, readbuf of the 2-byte header,
     *   readbuf of the frame, write16 RX_RD, w5100_command(RECV) = write S0_CR and read S0_CR
     *   until 0 (once): 7 transactions, 31 bytes + the frame (a record crossing the end of the
     *   16 KiB buffer costs one more readbuf).</li>
     * <li>Per transmitted frame (w5100_tx_skb from w5100_tx_work): read16 TX_WR, writebuf,
     *   write16 TX_WR, w5100_command(SEND) = write and read S0_CR; the SEND_OK interrupt (read
     *   and write S0_IR) wakes the queue, stopped in w5100_start_tx until then: 7
     *   transactions, 29 bytes + the frame.</li>
     * </ul>
     */
    public static final LinuxDriverCost W5500 = new LinuxDriverCost(ModeledChip.W5500, 5, 7, 21, 31, false, 7, 29);

    /**
     * enc28j60.c: every spi_read_op, spi_write_op, spi_read_buf and spi_write_buf is one message
     * (2 bytes for a register, 1 + n for buffer memory); enc28j60_set_bank adds a BFS or BFC on
     * ECON1 whenever the register's bank differs from the last one used.
     * <ul>
     * <li>Per interrupt (enc28j60_irq_work_handler): BFC EIE.INTIE; read EIR; enc28j60_rx_interrupt
     *   reads EPKTCNT (bank 1); after the frames the loop runs once more: read EIR, bank switch,
     *   read EPKTCNT (0); BFS EIE.INTIE: 8 transactions, 16 bytes with the switch to bank 1 for the
     *   first EPKTCNT read, which the previous work (a receive or a transmit) left in bank 0.</li>
     * <li>Per frame (enc28j60_hw_rx): bank switch to 0, enc28j60_mem_read of the status vector
     *   (WCR ERDPTL, WCR ERDPTH, RBM 6), enc28j60_mem_read of the frame with its FCS (WCR ERDPTL,
     *   WCR ERDPTH, RBM), WCR ERXRDPTL, WCR ERXRDPTH, BFS ECON2.PKTDEC: 10 transactions (9 for
     *   the second and later frames of one interrupt, already in bank 0), 24 bytes + frame + FCS.</li>
     * <li>Per transmitted frame (enc28j60_hw_tx from the tx work): bank switch to 0,
     *   enc28j60_packet_write (WCR EWRPTL, WCR EWRPTH, WCR ETXNDL, WCR ETXNDH, WBM control byte,
     *   WBM frame), BFS ECON1.TXRTS; then the TXIF interrupt (enc28j60_irq_work_handler): BFC
     *   EIE.INTIE, read EIR, read ESTAT, BFC ECON1.TXRTS (enc28j60_tx_clear), BFC EIR.TXIF, bank
     *   switch and read EPKTCNT, read EIR, read EPKTCNT, BFS EIE.INTIE: 18 transactions, 35 bytes
     *   + the frame. The queue is stopped in enc28j60_send_packet until then.</li>
     * </ul>
     * One frame per interrupt: 8 + 10 = 18.
     */
    public static final LinuxDriverCost ENC28J60 = new LinuxDriverCost(ModeledChip.ENC28J60, 8, 10, 16, 24, true, 18, 35);

    public static LinuxDriverCost of(ModeledChip chip) {
        return chip == ModeledChip.W5500 ? W5500 : ENC28J60;
    }

    /** Receive transactions per frame when one interrupt finds {@code frames} frames. */
    public double rxTransactions(int frames) {
        return (double) rxPerInterrupt / frames + rxPerFrame - (chip == ModeledChip.ENC28J60 ? (frames - 1.0) / frames : 0);
    }

    /** Receive bytes per frame of {@code frameLength} bytes (without FCS) when one interrupt finds {@code frames}. */
    public double rxBytes(int frameLength, int frames) {
        double perFrame = rxBytesPerFrame + frameLength + (rxReadsFcs ? 4 : 0);
        if (chip == ModeledChip.ENC28J60) {
            perFrame -= 2.0 * (frames - 1) / frames;
        }
        return (double) rxBytesPerInterrupt / frames + perFrame;
    }

    /** Transmit bytes for a frame of {@code frameLength} bytes. */
    public double txBytes(int frameLength) {
        return txBytes + frameLength;
    }
}
