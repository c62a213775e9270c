package dev.spinet.hal.eth.enc28j60;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.*;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.BoundedWait;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.SelfTestReport;
import dev.spinet.hal.gpio.InputPin;
import dev.spinet.hal.gpio.OutputPin;
import dev.spinet.hal.spi.SpiBus;

/**
 * A {@link FrameDevice} over a Microchip ENC28J60 (10BASE-T), with every rev B7 errata
 * workaround of DS80349 that concerns this use: 2 ms after reset instead of trusting CLKRDY,
 * receive buffer at 0, ERXRDPT always written odd, EPKTCNT instead of PKTIF, TXRST pulsed after
 * TXERIF before the next send, late-collision retry from the TSV. All buffers are allocated here;
 * {@link #receive} and {@link #transmit} allocate nothing.
 *
 * <p>Memory: receive FIFO 0000..19FF (6.5 KiB), transmit 1A00..1FFF (one frame: control byte,
 * up to 1514 bytes, 7-byte TSV). Banks: the receive poll lives in bank 1, where EPKTCNT (19h) is;
 * ERDPT, ERXRDPT, EWRPT and ETXND are in bank 0; ECON1, ECON2, EIR, EIE and ESTAT are in every
 * bank, and RBM/WBM do not depend on the bank (DS39662E 3.1, table 3-1). A bank switch is one
 * BFS or BFC on ECON1.BSEL (one transaction); the driver tracks the bank and switches only when
 * the next register access needs another one.
 *
 * <h2>SPI sequence per operation</h2>
 * Notation: RCR a = {@code [000aaaaa, 00]}, WCR a v = {@code [010aaaaa, v]}, BFS/BFC a m =
 * {@code [100aaaaa|101aaaaa, m]}, RBM = {@code [3A, ...]}, WBM = {@code [7A, ...]}.
 *
 * <p><b>Receive</b> ({@code ERDPT} always rests at the next packet). The driver keeps a count of
 * packets known to be complete in the FIFO:
 * <ol>
 * <li>Only when that count is 0: RCR EPKTCNT ({@code 19 00}, bank 1; preceded by BFS ECON1 01
 *   ({@code 9F 01}) when a transmit or a FIFO release left bank 0 selected). EPKTCNT counts the
 *   packets completely written (DS39662E 7.2.1); errata DS80349: PKTIF is unreliable, EPKTCNT is
 *   the way to know. 0 means NO_FRAME: an empty poll is one transaction.</li>
 * <li>RBM 6+64 bytes ({@code 3A +70}): the status vector and the first 64 bytes of the packet;
 *   every packet is at least 64 bytes with its FCS, so this never reads past its end.</li>
 * <li>RBM of the rest including FCS and padding (frames above 60 bytes only), so ERDPT runs on
 *   to the next packet by itself: no ERDPT write ever.</li>
 * <li>BFS ECON2 PKTDEC ({@code 9E 40}); the local count drops by one, so the next packet of the
 *   batch needs no register read at all.</li>
 * </ol>
 * 2 or 3 transactions per frame while the count lasts, + 1 EPKTCNT read per batch: a lone frame
 * costs 1 + 2 or 3 + 1 (the read that finds 0) = at most 5. ERXRDPT only returns space to the
 * chip, so it is written when that space matters: WCR ERXRDPTL, WCR ERXRDPTH (always odd:
 * next-1, or ERXND; low byte first, it is latched until the high byte) at the start of a
 * transmit once 512 bytes or more have been consumed (transmit is in bank 0 anyway, so 2
 * transactions: the segment it sends may open the peer's window, and the peer must find the
 * space it is allowed to fill free, see {@link #largestReceiveWindow}); on the receive path, with
 * a bank switch (BFC ECON1 01) before, when more than half the FIFO has been consumed since the
 * last write (a stack that receives without sending); and before {@link #awaitReceive} sleeps. A status
 * vector whose next pointer is odd, outside the FIFO or not equal to start+6+count (rounded to
 * even), or whose count exceeds 1518, resets the receive logic (RXEN off, RXRST pulse, FIFO
 * re-programmed, EPKTCNT drained, RXEN on) instead of following the pointer. A runt (a packet
 * shorter than the first read) puts ERDPT back (bank 0, WCR ERDPTL, WCR ERDPTH).
 *
 * <p><b>Transmit, one frame</b>:
 * <ol>
 * <li>RCR ECON1 ({@code 1F 00}), only while a frame is in flight: TXRTS clear means it left.
 *   Errors arrive as INT (TXERIE), which is checked (a GPIO read, no SPI) after this read.</li>
 * <li>BFC ECON1 01 ({@code BF 01}) when bank 1 is selected: EWRPT and ETXND are in bank 0.</li>
 * <li>WCR ERXRDPTL, WCR ERXRDPTH when 512 bytes or more of the FIFO were read since the last
 *   release (see Receive).</li>
 * <li>WCR EWRPTL 00 (and WCR EWRPTH 1A when the previous frame was 255 bytes or longer): back to
 *   ETXST. Bytes that already hold the right value are not written.</li>
 * <li>WBM with the per-packet control byte 00 in the header and the frame as payload, one
 *   chip-select period ({@code 7A 00 frame}); the MAC pads to 60 and appends the CRC.</li>
 * <li>WCR ETXNDL / ETXNDH = 1A00+length, only the bytes that changed since the last frame.</li>
 * <li>BFS ECON1 TXRTS ({@code 9F 08}); when receive has read EPKTCNT since the previous transmit
 *   (the stack polls between sends), BFS ECON1 TXRTS|BSEL0 ({@code 9F 09}) instead: bank 0 to
 *   bank 1 in the same transaction, so the next poll needs no switch. Back-to-back sends stay in
 *   bank 0 and pay no switch.</li>
 * </ol>
 * 3 to 7 transactions (+1 for the bank switch after a receive poll, +2 for a FIFO release): 5
 * for a stream of full-size frames, 4 for small ones, 7 only when both pointer bytes and both end
 * bytes change (a large frame after a small one of another size).
 *
 * <p><b>Transmit timeout</b> (errata DS80349 item 12: after an abort TXRTS may stay set for ever,
 * without TXERIF): when step 1 still finds TXRTS set after {@link Enc28j60Config#txPollLimit()}
 * reads and the frame was handed over more than {@link Enc28j60Config#transmitTimeoutNanos()}
 * ago (default 1 s), that frame is given up ({@link Enc28j60Counter#TX_TIMEOUTS}): BFC ECON1
 * TXRTS, BFS/BFC ECON1 TXRST, BFC EIR TXERIF|TXIF, and the new frame is sent. So transmission
 * resumes at the first transmit after the timeout; before it, transmit reports busy.
 *
 * <p><b>Interrupts</b>: EIE = INTIE | LINKIE | TXERIE | RXERIE. PKTIE is set only for
 * {@link #awaitReceive} sleeps, so on the packet path INT low means an error or a link change:
 * then EIR is read and handled (RXERIF counted and cleared; TXERIF: TXRST pulse, TSV read, retry
 * on late collision; LINKIF: PHIR read to clear it, PHSTAT2 read for the new state). Without an
 * INT pin EIR is read on every call instead (one more transaction).
 *
 * <p><b>When INT or the chip cannot be trusted</b> (docs/drivers.md, "Chip faults"): every
 * {@link Enc28j60Config#pollIntervalNanos()} (100 ms) EIE is read back and EIR read whatever INT
 * shows: EIE not as written means the chip was reset under the driver (a brown-out), which then
 * resets and configures it again ({@link Enc28j60Counter#REINITS}); flags INT did not show are
 * serviced ({@link Enc28j60Counter#INT_MISSED}). Before an idle wait EIR and EPKTCNT are read
 * when INT is high, and no wait lasts longer than the poll interval (1 ms after a miss, until INT
 * is seen asserted again), so a lost INT edge costs at most that.
 */
public final class Enc28j60Driver implements FrameDevice, DeviceCounters {

    private static final int RX_SIZE = RX_END - RX_START + 1;
    private static final int MIN_PACKET = 64;
    private static final int FIRST_READ = RSV_LENGTH + MIN_PACKET;
    private static final int MAX_FRAME = 1514;
    private static final int MII_POLLS = 50;
    private static final int RESET_POLLS = 50;
    private static final int MAX_SKIPPED_PER_CALL = 8;
    /**
     * The receive path advances ERXRDPT (bank 0: a bank switch and two writes) once more than this
     * much of the FIFO has been consumed; never per frame. It matters for a stack that receives
     * without sending (a transmit releases first, {@link #RELEASE_AT_TRANSMIT_BYTES}): the chip
     * then still has at least half the FIFO (two maximum-size packets) beyond what is unread.
     */
    private static final int RELEASE_AFTER_BYTES = RX_SIZE / 2;
    /**
     * A transmit hands the FIFO back (two WCRs: it is in bank 0 already for EWRPT and ETXND) once
     * this much has been consumed since the last release. A peer can send more only after a
     * segment from us opens its window, and every such segment leaves through {@link #transmit}:
     * releasing there leaves at most this many consumed bytes behind when the peer learns of new
     * window, so the FIFO then holds at most this much plus one window of its flight (see
     * {@link #largestReceiveWindow}). Below it (a few received ACKs while sending) the release
     * waits, so a download pays it once per several ACKs, not per frame.
     */
    private static final int RELEASE_AT_TRANSMIT_BYTES = 512;
    /** FIFO bytes of one maximum-size packet: status vector, 1518 bytes with FCS, even padding (DS39662E 7.2.1). */
    private static final int MAX_PACKET_IN_FIFO = (RSV_LENGTH + MAX_FRAME_WITH_FCS + 1) & ~1;
    /**
     * FIFO bytes a TCP segment adds to its payload: status vector 6, Ethernet 14, IPv4 20, TCP 20
     * (Spinet negotiates no timestamps or SACK, so data segments carry no options), FCS 4, and at
     * most 1 byte of padding to the next even address.
     */
    private static final int SEGMENT_OVERHEAD_IN_FIFO = RSV_LENGTH + 14 + 20 + 20 + FCS_LENGTH + 1;
    /** ECON1.BSEL0: set from bank 0, it selects bank 1. */
    private static final int BANK_1_FROM_0 = 0x01;
    /**
     * MACLCON2 (collision window) in half duplex. Errata DS80339/DS80349 item 13: a link pulse
     * can be taken for a collision; within the first MACLCON2 bytes that is retried by the MAC,
     * past it the frame aborts as a late collision. Microchip's reference stack sets 63.
     */
    private static final int HALF_DUPLEX_COLLISION_WINDOW = 63;
    /**
     * PHLCON as Linux's enc28j60 writes it: LEDA shows link status, LEDB transmit and receive
     * activity, events stretched to 73 ms (bits 13:12 are written 1 as the datasheet requires).
     * No LED combines duplex and collision, the setting errata item 11 says shows only duplex.
     */
    private static final int LEDS_LINK_AND_ACTIVITY = 0x3476;
    /** EIE as configured (PKTIE only joins it for idle waits): read back to notice a chip reset under the driver. */
    private static final int CONFIGURED_EIE = EIE_INTIE | EI_LINK | EI_TXER | EI_RXER;
    /** EIR flags that assert INT: the packet path's three, and PKTIF while an idle wait enables it. */
    private static final int SERVICED_FLAGS = EI_RXER | EI_TXER | EI_LINK;
    /**
     * The longest idle wait once the INT line has been caught not showing waiting packets or
     * flags, until it is seen asserted again: about a thousand EPKTCNT polls a second rather than
     * one window of data per poll interval.
     */
    private static final long SUSPECT_WAIT_NANOS = 1_000_000L;
    private static final Enc28j60Counter[] COUNTERS = Enc28j60Counter.values();

    private final SpiBus spi;
    private final InputPin interrupt;
    private final OutputPin reset;
    private final NanoClock clock;
    private final Enc28j60Config config;

    private final byte[] command = new byte[4];
    private final byte[] response = new byte[4];
    private final byte[] readHeader = {(byte) OP_RBM};
    private final byte[] writeHeader = {(byte) OP_WBM, (byte) TX_CONTROL_DEFAULT};
    private final byte[] first = new byte[FIRST_READ];
    private final byte[] rest = new byte[MAX_FRAME_WITH_FCS + 2];
    private final byte[] tsv = new byte[TSV_LENGTH];
    private final long[] counters = new long[COUNTERS.length];

    private boolean initialised;
    private int bank;
    private int revision;
    private int nextPacket;
    /** Packets EPKTCNT announced that have not been read yet: no register read until 0. */
    private int pendingPackets;
    /** Receive read EPKTCNT (bank 1) since the last transmit, which then ends in bank 1. */
    private boolean receivePolledSinceTransmit;
    /** The next-packet value ERXRDPT was last written for. */
    private int readPointerFor;
    private int consumedSinceReadPointer;
    /** What EWRPT holds now, or -1 when unknown. */
    private int writePointer = -1;
    /** What ETXND holds now, or -1 when unknown. */
    private int transmitEnd = -1;
    private boolean txInFlight;
    /** When the frame in flight was handed to the chip (TXRTS set), for the transmit timeout. */
    private long txStartedAt;
    private int txRetries;
    private boolean retryStarted;
    private boolean link;
    /** EIE.PKTIE was set for a sleep in {@link #awaitReceive} and is still set. */
    private boolean packetInterruptEnabled;
    /** EIR has flags the INT line did not show: read it at the next call whatever INT shows. */
    private boolean eirPending;
    /** When EIE and EIR were last read regardless of INT ({@link Enc28j60Config#pollIntervalNanos}). */
    private long lastPoll;
    /** INT was caught not showing what waits and has not been seen asserted since. */
    private boolean interruptSuspect;

    /**
     * @param spi the bus with the ENC28J60 behind its chip select (mode 0, at most 20 MHz)
     * @param interrupt the INT line (active low), or {@code null} to read EIR on every call
     * @param reset the RESET line (active low), or {@code null} when not wired (SRC only)
     */
    public Enc28j60Driver(SpiBus spi, InputPin interrupt, OutputPin reset, NanoClock clock, Enc28j60Config config) {
        if (spi == null || clock == null || config == null) {
            throw new IllegalArgumentException("Enc28j60Driver needs an SpiBus, a NanoClock and an Enc28j60Config");
        }
        this.spi = spi;
        this.interrupt = interrupt;
        this.reset = reset;
        this.clock = clock;
        this.config = config;
    }

    // ---- start-up ----

    /**
     * Resets and configures the chip in the reference order (hardware-notes "Linux init order"):
     * SRC, 2 ms, ECON1, ECON2, FIFO pointers, EREVID check, ERXFCON, MAC registers per duplex,
     * MAMXFL, PHY per duplex, MAADR, PHIE, EIR, EIE, RXEN; then the link state.
     *
     * @throws IllegalStateException with what to check when no ENC28J60 answers
     */
    public void init() {
        resetChip();
        wcr(ECON1, 0x00);
        bank = 0;
        wcr(ECON2, ECON2_AUTOINC | ECON2_VRPS);
        programReceiveFifo();
        wcr(ETXSTL, TX_START & 0xFF);
        wcr(ETXSTH, TX_START >>> 8);
        wcr(ETXNDL, TX_END & 0xFF);
        wcr(ETXNDH, TX_END >>> 8);
        transmitEnd = TX_END;
        writePointer = -1;
        revision = readRevision();
        if (revision == 0x00 || revision == 0xFF) {
            throw new IllegalStateException(String.format(
                    "no ENC28J60: EREVID reads 0x%02X; check power, wiring, chip select, SPI mode 0 and a clock of at most 20 MHz",
                    revision));
        }
        configureMacAndPhy();
        bfc(EIR, EI_DMA | EI_TX | EI_TXER | EI_RXER);
        wcr(EIE, CONFIGURED_EIE);
        bfs(ECON1, ECON1_RXEN);
        phyRead(PHIR);
        link = (phyRead(PHSTAT2) & PHSTAT2_LSTAT) != 0;
        selectBank(1);
        receivePolledSinceTransmit = false;
        txInFlight = false;
        packetInterruptEnabled = false;
        eirPending = false;
        lastPoll = clock.nanoTime();
        initialised = true;
    }

    private void resetChip() {
        counters[Enc28j60Counter.CHIP_RESETS.ordinal()]++;
        if (reset != null) {
            reset.set(false);
            BoundedWait.pause(clock, 1_000_000L);
            reset.set(true);
            // Like after SRC: the oscillator start-up timer runs; do not trust CLKRDY (errata).
            BoundedWait.pause(clock, 2_000_000L);
        }
        command[0] = (byte) OP_SRC;
        spi.transfer(command, 0, null, 0, 1);
        // Errata DS80339/DS80349: CLKRDY may read 1 before the clock is stable: wait 2 ms instead.
        BoundedWait.pause(clock, 2_000_000L);
        bank = 0;
    }

    /** FIFO 0000..19FF, ERXRDPT = ERXND (odd), ERDPT and our next pointer at the start. */
    private void programReceiveFifo() {
        selectBank(0);
        wcr(ERXSTL, RX_START & 0xFF);
        wcr(ERXSTH, RX_START >>> 8);
        wcr(ERXRDPTL, RX_END & 0xFF);
        wcr(ERXRDPTH, RX_END >>> 8);
        wcr(ERXNDL, RX_END & 0xFF);
        wcr(ERXNDH, RX_END >>> 8);
        wcr(ERDPTL, RX_START & 0xFF);
        wcr(ERDPTH, RX_START >>> 8);
        nextPacket = RX_START;
        pendingPackets = 0;
        readPointerFor = RX_START;
        consumedSinceReadPointer = 0;
    }

    private int readRevision() {
        selectBank(3);
        int value = rcr(EREVID);
        selectBank(0);
        return value;
    }

    private void configureMacAndPhy() {
        boolean full = config.fullDuplex();
        selectBank(1);
        wcr(ERXFCON, config.promiscuous() ? 0 : ERXFCON_UCEN | ERXFCON_CRCEN | ERXFCON_BCEN);
        selectBank(2);
        wcr(MACON1, MACON1_MARXEN | MACON1_TXPAUS | MACON1_RXPAUS);
        wcr(MACON3, MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN | (full ? MACON3_FULDPX : 0));
        if (full) {
            wcr(MABBIPG, 0x15);
            wcr(MAIPGL, 0x12);
        } else {
            // Datasheet 6.5: half duplex defers (MACON4.DEFER), back-to-back gap 12h, MAIPG 0C12h.
            wcr(MACON4, MACON4_DEFER);
            wcr(MACLCON2, HALF_DUPLEX_COLLISION_WINDOW);
            wcr(MABBIPG, 0x12);
            wcr(MAIPGL, 0x12);
            wcr(MAIPGH, 0x0C);
        }
        wcr(MAMXFLL, MAX_FRAME_WITH_FCS & 0xFF);
        wcr(MAMXFLH, MAX_FRAME_WITH_FCS >>> 8);
        selectBank(3);
        long mac = config.macAddress();
        wcr(MAADR1, (int) (mac >>> 40) & 0xFF);
        wcr(MAADR2, (int) (mac >>> 32) & 0xFF);
        wcr(MAADR3, (int) (mac >>> 24) & 0xFF);
        wcr(MAADR4, (int) (mac >>> 16) & 0xFF);
        wcr(MAADR5, (int) (mac >>> 8) & 0xFF);
        wcr(MAADR6, (int) mac & 0xFF);
        phyWrite(PHCON1, full ? PHCON1_PDPXMD : 0);
        phyWrite(PHCON2, full ? 0 : PHCON2_HDLDIS);
        phyWrite(PHIE, PHIE_PGEIE | PHIE_PLNKIE);
        phyWrite(PHLCON, LEDS_LINK_AND_ACTIVITY);
        selectBank(0);
    }

    // ---- receive ----

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        requireInitialised();
        boolean counted = false;
        if (packetInterruptEnabled) {
            if (pendingPackets == 0 && interrupt != null) {
                // After an idle wait, EPKTCNT is read while PKTIE is still on: packets counted
                // while INT is high are packets the line did not show (a lost edge, a stuck line,
                // or PKTIF's errata). The read is the one the loop below would make anyway.
                selectBank(1);
                receivePolledSinceTransmit = true;
                pendingPackets = rcr(EPKTCNT);
                counted = true;
                if (pendingPackets > 0 && interrupt.isHigh()) {
                    missedInterrupt();
                }
            }
            disablePacketInterrupt();
        }
        if (pendingPackets == 0 && !periodicCheck()) {
            return NO_FRAME;
        }
        serviceInterrupts();
        if (counted && pendingPackets == 0) {
            return NO_FRAME;
        }
        for (int skipped = 0; skipped < MAX_SKIPPED_PER_CALL; skipped++) {
            if (pendingPackets == 0) {
                // Errata DS80349: PKTIF is unreliable; EPKTCNT (bank 1) counts the packets that
                // were completely written (DS39662E 7.2.1). Those are read without asking again.
                selectBank(1);
                receivePolledSinceTransmit = true;
                pendingPackets = rcr(EPKTCNT);
                if (pendingPackets == 0) {
                    return NO_FRAME;
                }
            }
            spi.transfer(readHeader, 0, 1, null, 0, first, 0, FIRST_READ);
            int next = u16le(first, 0);
            int count = u16le(first, 2);
            int status = (u16le(first, 4) << 16) | count;
            int expectedNext = (nextPacket + RSV_LENGTH + count + 1) & ~1;
            if (expectedNext > RX_END) {
                expectedNext -= RX_SIZE;
            }
            if ((next & 1) != 0 || next > RX_END || next != expectedNext || count > MAX_FRAME_WITH_FCS
                    || count < FCS_LENGTH + ETHERNET_HEADER_LENGTH) {
                // Datasheet 7.2 / Linux enc28j60_hw_rx: do not follow a corrupt pointer.
                recoverReceive();
                return NO_FRAME;
            }
            int packetBytes = distance(nextPacket, next);
            int restLength = packetBytes - FIRST_READ;
            if (restLength > 0) {
                spi.transfer(readHeader, 0, 1, null, 0, rest, 0, restLength);
            } else if (restLength < 0) {
                // A runt: the first read ran past it. Put ERDPT (bank 0) back at the next packet.
                selectBank(0);
                wcr(ERDPTL, next & 0xFF);
                wcr(ERDPTH, next >>> 8);
                counters[Enc28j60Counter.RX_SHORT_REWIND.ordinal()]++;
            }
            bfs(ECON2, ECON2_PKTDEC);
            pendingPackets--;
            nextPacket = next;
            consumedSinceReadPointer += packetBytes;
            if (consumedSinceReadPointer > RELEASE_AFTER_BYTES) {
                flushReadPointer();
            }
            if ((status & RSV_RECEIVED_OK) == 0) {
                counters[Enc28j60Counter.RX_BAD_STATUS.ordinal()]++;
                continue;
            }
            int frameLength = count - FCS_LENGTH;
            if (frameLength > capacity) {
                counters[Enc28j60Counter.RX_TOO_LONG.ordinal()]++;
                return FRAME_TOO_LONG;
            }
            int head = Math.min(frameLength, MIN_PACKET);
            System.arraycopy(first, RSV_LENGTH, buffer, offset, head);
            if (frameLength > head) {
                System.arraycopy(rest, 0, buffer, offset + head, frameLength - head);
            }
            counters[Enc28j60Counter.RX_FRAMES.ordinal()]++;
            return frameLength;
        }
        return NO_FRAME;
    }

    /** Bytes from {@code from} to {@code to} going forward round the FIFO. */
    private static int distance(int from, int to) {
        int d = to - from;
        return d < 0 ? d + RX_SIZE : d;
    }

    /** ERXRDPT = next-1 (odd, errata), or ERXND when next is the FIFO start. Low byte first: it is latched until the high byte. */
    private void flushReadPointer() {
        if (readPointerFor == nextPacket) {
            return;
        }
        int value = nextPacket == RX_START ? RX_END : nextPacket - 1;
        selectBank(0);
        wcr(ERXRDPTL, value & 0xFF);
        wcr(ERXRDPTH, value >>> 8);
        readPointerFor = nextPacket;
        consumedSinceReadPointer = 0;
        counters[Enc28j60Counter.RX_READ_POINTER_UPDATES.ordinal()]++;
    }

    /** Linux's recovery: RXEN off, RXRST pulse, FIFO again, EPKTCNT to 0, RXERIF clear, RXEN on. */
    private void recoverReceive() {
        counters[Enc28j60Counter.RX_CORRUPT_RESET.ordinal()]++;
        pendingPackets = 0;
        bfc(ECON1, ECON1_RXEN);
        bfs(ECON1, ECON1_RXRST);
        bfc(ECON1, ECON1_RXRST);
        programReceiveFifo();
        selectBank(1);
        int pending = rcr(EPKTCNT);
        for (int i = 0; i < pending && i < 255; i++) {
            bfs(ECON2, ECON2_PKTDEC);
        }
        bfc(EIR, EI_RXER);
        bfs(ECON1, ECON1_RXEN);
    }

    // ---- transmit ----

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length " + length + " outside 14..1514");
        }
        requireInitialised();
        disablePacketInterrupt();
        if (!periodicCheck()) {
            return false;
        }
        serviceInterrupts();
        if (!link) {
            counters[Enc28j60Counter.TX_LINK_DOWN.ordinal()]++;
            return false;
        }
        return send(frame, offset, length);
    }

    private boolean send(byte[] frame, int offset, int length) {
        if (txInFlight && !awaitTransmitDone() && !abandonStuckTransmit()) {
            counters[Enc28j60Counter.TX_BUSY.ordinal()]++;
            return false;
        }
        selectBank(0);
        if (consumedSinceReadPointer >= RELEASE_AT_TRANSMIT_BYTES) {
            // This frame may open the peer's window (an ACK, a window update, data carrying
            // one): the FIFO space of what was read must be free before the peer can fill it.
            flushReadPointer();
        }
        if ((writePointer & 0xFF) != (TX_START & 0xFF)) {
            wcr(EWRPTL, TX_START & 0xFF);
        }
        if ((writePointer >>> 8) != (TX_START >>> 8)) {
            wcr(EWRPTH, TX_START >>> 8);
        }
        spi.transfer(writeHeader, 0, 2, frame, offset, null, 0, length);
        writePointer = TX_START + 1 + length;
        int end = TX_START + length;
        if ((transmitEnd & 0xFF) != (end & 0xFF)) {
            wcr(ETXNDL, end & 0xFF);
        }
        if ((transmitEnd >>> 8) != (end >>> 8)) {
            wcr(ETXNDH, end >>> 8);
        }
        transmitEnd = end;
        if (receivePolledSinceTransmit) {
            // The stack polls receive between sends: its EPKTCNT read needs bank 1, so the
            // TXRTS write selects bank 1 as well (BSEL 00 -> 01), in the same transaction.
            bfs(ECON1, ECON1_TXRTS | BANK_1_FROM_0);
            bank = 1;
            receivePolledSinceTransmit = false;
        } else {
            bfs(ECON1, ECON1_TXRTS);
        }
        txInFlight = true;
        txStartedAt = clock.nanoTime();
        txRetries = 0;
        counters[Enc28j60Counter.TX_FRAMES.ordinal()]++;
        return true;
    }

    /** ECON1.TXRTS clear, then INT checked for a TXERIF that may have ended it. */
    private boolean awaitTransmitDone() {
        for (int i = 0; i < config.txPollLimit(); i++) {
            if ((rcr(ECON1) & ECON1_TXRTS) == 0) {
                retryStarted = false;
                serviceInterrupts();
                if (!retryStarted) {
                    txInFlight = false;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Errata DS80349 item 12: after a transmit abort "ECON1.TXRTS will remain set indefinitely",
     * and TXERIF need not be raised, so waiting for TXRTS alone can block transmission for good.
     * Once the frame in flight has kept TXRTS set for {@link Enc28j60Config#transmitTimeoutNanos}
     * it is given up (counted): TXRTS cleared (what Microchip's stack does on its poll timeout),
     * TXRST pulsed (the errata's workaround; it may raise TXERIF, so EIR is cleared after it).
     * Returns whether the transmitter is free again. Off the normal path: only a busy transmit
     * reads the clock here.
     */
    private boolean abandonStuckTransmit() {
        if (clock.nanoTime() - txStartedAt < config.transmitTimeoutNanos()) {
            return false;
        }
        bfc(ECON1, ECON1_TXRTS);
        bfs(ECON1, ECON1_TXRST);
        bfc(ECON1, ECON1_TXRST);
        bfc(EIR, EI_TXER | EI_TX);
        txInFlight = false;
        counters[Enc28j60Counter.TX_TIMEOUTS.ordinal()]++;
        return true;
    }

    /**
     * At most every {@link Enc28j60Config#pollIntervalNanos()}, whatever INT shows: EIE read back
     * (after a reset the driver did not ask for, a brown-out, it reads 00: the chip is reset and
     * configured again, {@link Enc28j60Counter#REINITS}), then EIR read and serviced (flags the
     * line did not show are {@link Enc28j60Counter#INT_MISSED}). Two transactions per interval
     * (EIE and EIR are in every bank). Linux's enc28j60 does neither (it restarts the chip only on
     * a 4 s transmit watchdog); a board polling on its own has no watchdog but this. Returns false
     * when the chip had to be configured again (what it held is gone; the caller reports nothing).
     */
    private boolean periodicCheck() {
        long now = clock.nanoTime();
        if (now - lastPoll < config.pollIntervalNanos()) {
            return true;
        }
        lastPoll = now;
        if ((rcr(EIE) & ~EI_PKT) != CONFIGURED_EIE) {
            reinitialise();
            return false;
        }
        eirPending = true;
        return true;
    }

    /**
     * The chip was found with its configuration lost: reset and configure it again, as
     * {@link #init()} does (and as Linux's enc28j60 restarts it after a transmit timeout). A chip
     * that does not answer is tried again at the next periodic check.
     */
    private void reinitialise() {
        counters[Enc28j60Counter.REINITS.ordinal()]++;
        try {
            init();
        } catch (IllegalStateException e) {
            // No ENC28J60 answers (EREVID 00 or FF): EIE will not read back either, so the next
            // periodic check tries again.
            lastPoll = clock.nanoTime();
        }
    }

    /**
     * On INT (or always, without a pin, or when EIR was found to hold flags INT did not show):
     * read EIR and handle errors and link changes.
     */
    private void serviceInterrupts() {
        if (interrupt != null && interrupt.isHigh() && !eirPending) {
            return;
        }
        boolean polled = eirPending;
        eirPending = false;
        int flags = rcr(EIR);
        if ((flags & SERVICED_FLAGS) == 0) {
            return;
        }
        if (polled && interrupt != null && interrupt.isHigh()) {
            // Enabled flags are set and INT is still high: the line is not following the chip.
            missedInterrupt();
        }
        counters[Enc28j60Counter.INTERRUPTS_SERVICED.ordinal()]++;
        if ((flags & EI_RXER) != 0) {
            counters[Enc28j60Counter.RX_OVERFLOW.ordinal()]++;
            bfc(EIR, EI_RXER);
        }
        if ((flags & EI_TXER) != 0) {
            handleTransmitError();
        }
        if ((flags & EI_LINK) != 0) {
            phyRead(PHIR);
            boolean up = (phyRead(PHSTAT2) & PHSTAT2_LSTAT) != 0;
            if (up != link) {
                counters[Enc28j60Counter.LINK_CHANGES.ordinal()]++;
                link = up;
            }
        }
    }

    /**
     * Errata DS80349: after an abort the transmit logic may stall, so TXRST is pulsed before the
     * next send; a late collision in the TSV (bit 29) may be false, so the frame (still in the
     * buffer) is sent again, up to {@link Enc28j60Config#lateCollisionRetries()} times.
     */
    private void handleTransmitError() {
        counters[Enc28j60Counter.TX_ERRORS.ordinal()]++;
        bfs(ECON1, ECON1_TXRST);
        bfc(ECON1, ECON1_TXRST);
        bfc(EIR, EI_TXER | EI_TX);
        boolean lateCollision = false;
        if (transmitEnd >= TX_START) {
            int address = transmitEnd + 1;
            selectBank(0);
            wcr(ERDPTL, address & 0xFF);
            wcr(ERDPTH, address >>> 8);
            spi.transfer(readHeader, 0, 1, null, 0, tsv, 0, TSV_LENGTH);
            wcr(ERDPTL, nextPacket & 0xFF);
            wcr(ERDPTH, nextPacket >>> 8);
            lateCollision = (tsv[TSV_LATE_COLLISION_BIT / 8] & (1 << (TSV_LATE_COLLISION_BIT % 8))) != 0;
        }
        if (txInFlight && lateCollision && txRetries < config.lateCollisionRetries()) {
            txRetries++;
            retryStarted = true;
            counters[Enc28j60Counter.TX_LATE_COLLISION_RETRIES.ordinal()]++;
            bfs(ECON1, ECON1_TXRTS);
            return;
        }
        if (txInFlight) {
            counters[Enc28j60Counter.TX_ABANDONED.ordinal()]++;
        }
        txInFlight = false;
    }

    /**
     * The largest TCP receive window (per connection) a stack on this driver may advertise
     * without the chip ever dropping a frame of one connection's flight for lack of FIFO space,
     * whatever the line rate and however late the stack polls: a whole number of {@code mss}-byte
     * segments. The peer has at most one window of segments unacknowledged; each takes its
     * payload plus the per-segment overhead in the FIFO (status vector, headers, FCS, padding,
     * DS39662E 7.2.1); the FIFO also holds what was read but not yet handed back when the window
     * was announced (less than 512 bytes: a transmit releases the rest first) and room is kept
     * for one maximum-size frame of other traffic. ERXRDPT never equals the write pointer, so the
     * 6656-byte FIFO offers 6655 bytes, 4618 of them for the flight. For an MSS of 1460 that is
     * 4380: 3 segments, 4557 bytes (4 would need 6076).
     *
     * <p>Whole segments, because a sender with more data queued sends only full-sized segments
     * (RFC 9293 3.8.6.2.1; Linux does, measured through a TAP): of the power-of-two window 4096
     * it used two segments and left 1176 bytes empty, one segment less in flight, and the upload
     * through an emulated ENC28J60 at 20 MHz ran at 6.9 instead of 9.2 Mbit/s (docs/spi-cost.md).
     * The window is no power of two, so the receive ring is the next one up and the stack is told
     * the window ({@code StackConfig.Builder.tcpReceiveWindow}).
     *
     * @param mss the largest segment the peer sends (the MSS the stack announces)
     */
    public static int largestReceiveWindow(int mss) {
        if (mss <= 0) {
            throw new IllegalArgumentException("mss must be positive, was " + mss);
        }
        int room = RX_SIZE - 1 - (RELEASE_AT_TRANSMIT_BYTES - 1) - MAX_PACKET_IN_FIFO;
        int segments = room / (mss + SEGMENT_OVERHEAD_IN_FIFO);
        if (segments > 0) {
            return segments * mss;
        }
        // An MSS too large for the room (not with Ethernet's 1500-byte MTU): one short segment.
        return room - SEGMENT_OVERHEAD_IN_FIFO;
    }

    // ---- FrameDevice rest ----

    @Override
    public long macAddress() {
        return config.macAddress();
    }

    @Override
    public boolean linkUp() {
        requireInitialised();
        disablePacketInterrupt();
        periodicCheck();
        serviceInterrupts();
        return link;
    }

    /**
     * Returns at once while packets EPKTCNT announced are still unread. Otherwise hands consumed
     * FIFO space back first (bank 0, ERXRDPTL, ERXRDPTH: only when something was consumed since
     * the last release), selects bank 1 for the EPKTCNT read that follows the wake-up, and enables
     * PKTIE while sleeping on INT (EPKTCNT &gt; 0 asserts it). The wait is the last thing done:
     * PKTIE is disabled again by the next {@link #receive}, {@link #transmit} or {@link #linkUp}
     * (the packet path reads INT as "error or link change"), 2 to 6 transactions per sleep, none
     * on the packet path. PKTIF is unreliable (errata), so a wake-up may be late by up to the
     * timeout; the caller polls {@link #receive} after every return.
     */
    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        requireInitialised();
        if (pendingPackets > 0) {
            return;
        }
        flushReadPointer();
        if (interrupt == null) {
            FrameDevice.super.awaitReceive(timeoutNanos);
            return;
        }
        // The wake-up is followed by the EPKTCNT read: be in bank 1 already.
        selectBank(1);
        if (!packetInterruptEnabled) {
            bfs(EIE, EI_PKT);
            packetInterruptEnabled = true;
        }
        if (!interrupt.isHigh()) {
            interruptSuspect = false;
            return;
        }
        // INT high: nothing should be waiting. Ask the chip before trusting the line (a lost edge
        // or a line that does not follow the chip would otherwise hide it until the timeout).
        // EPKTCNT as well as EIR: PKTIF is unreliable (errata DS80349).
        int flags = rcr(EIR) & (SERVICED_FLAGS | EI_PKT);
        if (flags != 0 || rcr(EPKTCNT) > 0) {
            if (interrupt.isHigh()) {
                missedInterrupt();
            }
            eirPending = (flags & SERVICED_FLAGS) != 0;
            return;
        }
        interrupt.awaitEdge(Math.min(timeoutNanos, interruptSuspect ? SUSPECT_WAIT_NANOS : config.pollIntervalNanos()));
    }

    /** INT did not show what waits: counted once until the line is seen asserted again; idle waits shorten meanwhile. */
    private void missedInterrupt() {
        if (!interruptSuspect) {
            interruptSuspect = true;
            counters[Enc28j60Counter.INT_MISSED.ordinal()]++;
        }
    }

    /** EIE.PKTIE off again after a sleep: on the packet path INT low means an error or a link change. */
    private void disablePacketInterrupt() {
        if (packetInterruptEnabled) {
            bfc(EIE, EI_PKT);
            packetInterruptEnabled = false;
        }
    }

    /** Stops reception (ECON1.RXEN off) and interrupts (EIE = 0); {@link #init()} starts again. */
    @Override
    public void close() {
        if (initialised) {
            initialised = false;
            packetInterruptEnabled = false;
            bfc(ECON1, ECON1_RXEN);
            wcr(EIE, 0);
        }
    }

    // ---- diagnostics ----

    public long counter(Enc28j60Counter counter) {
        return counters[counter.ordinal()];
    }

    /** {@link DeviceCounters}: the {@link Enc28j60Counter} values in declaration order, named as the constants. */
    @Override
    public int counterCount() {
        return COUNTERS.length;
    }

    @Override
    public String counterName(int index) {
        return COUNTERS[index].name();
    }

    @Override
    public long counterValue(int index) {
        return counters[index];
    }

    public Enc28j60Config config() {
        return config;
    }

    /** EREVID as read at {@link #init()} (06 = rev B7). */
    public int revision() {
        return revision;
    }

    /**
     * Board bring-up checks: reset, identity (EREVID, PHID1/PHID2), register write/read-back
     * (an ETH register and a MAC register, which has the dummy byte), link, and a frame sent
     * through PHY loopback (PHCON1.PLOOPBK, full duplex, promiscuous) and compared: PASS when it
     * comes back, INFO (never FAIL) when it does not, errata item 10. Leaves the
     * chip re-initialised with the configured settings. Allocates.
     */
    public SelfTestReport selfTest() {
        SelfTestReport report = new SelfTestReport("ENC28J60");
        resetChip();
        wcr(ECON1, 0x00);
        bank = 0;
        wcr(ECON2, ECON2_AUTOINC | ECON2_VRPS);
        report.pass("reset", (reset != null ? "RESET pin pulsed, " : "") + "SRC sent, waited 2 ms (errata: CLKRDY not trusted)");
        int rev = readRevision();
        int phid1 = phyRead(PHID1);
        int phid2 = phyRead(PHID2);
        selectBank(0);
        boolean present = rev != 0x00 && rev != 0xFF;
        report.check("identity", present && phid1 == PHID1_VALUE,
                String.format("EREVID=0x%02X (%s), PHID1=0x%04X PHID2=0x%04X", rev,
                        rev == REVISION_B7 ? "rev B7" : present ? "not B7: B7 errata workarounds applied" : "no chip",
                        phid1, phid2));
        if (!present) {
            return report;
        }
        boolean readBack = true;
        int[] patterns = {0x1A5A, 0x05A5, 0x1FFF, 0x0000};
        for (int pattern : patterns) {
            wcr(ETXSTL, pattern & 0xFF);
            wcr(ETXSTH, pattern >>> 8);
            readBack &= rcr(ETXSTL) == (pattern & 0xFF) && rcr(ETXSTH) == (pattern >>> 8);
        }
        selectBank(2);
        wcr(MAMXFLL, 0x5A);
        wcr(MAMXFLH, 0x0A);
        readBack &= rcrMac(MAMXFLL) == 0x5A && rcrMac(MAMXFLH) == 0x0A;
        selectBank(0);
        report.check("register read-back", readBack, "ETXST (ETH) with 4 patterns and MAMXFL (MAC, dummy byte) read back");
        init();
        report.check("link", link, link ? "PHSTAT2.LSTAT up" : "PHSTAT2.LSTAT down: check the cable and the other end");
        if (loopback()) {
            report.pass("loopback", "one 128-byte frame came back through PHY internal loopback");
        } else {
            // Errata DS80349 item 10: PHY internal loopback (full duplex, the only mode the
            // datasheet gives for it) is unreliable on every silicon revision, so a lost frame
            // says nothing about the board: reported, never a failure.
            report.info("loopback", "the frame did not come back through PHY internal loopback; informational only: "
                    + "errata DS80349 item 10, internal loopback in full duplex is unreliable on every revision");
        }
        init();
        return report;
    }

    private boolean loopback() {
        selectBank(1);
        wcr(ERXFCON, 0);
        selectBank(2);
        wcr(MACON3, MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN | MACON3_FULDPX);
        phyWrite(PHCON1, PHCON1_PDPXMD | PHCON1_PLOOPBK);
        selectBank(0);
        byte[] frame = new byte[128];
        MacAddress.write(config.macAddress(), frame, 0);
        MacAddress.write(config.macAddress(), frame, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5;
        for (int i = 14; i < frame.length; i++) {
            frame[i] = (byte) (i * 7);
        }
        if (!send(frame, 0, frame.length)) {
            return false;
        }
        byte[] received = new byte[MAX_FRAME];
        for (int i = 0; i < 100; i++) {
            int n = receive(received, 0, received.length);
            if (n == frame.length && java.util.Arrays.equals(frame, 0, n, received, 0, n)) {
                return true;
            }
            if (n <= 0) {
                BoundedWait.pause(clock, 100_000L);
            }
        }
        return false;
    }

    // ---- register access ----

    private void requireInitialised() {
        if (!initialised) {
            throw new IllegalStateException("Enc28j60Driver used before init(): call init() once at start-up");
        }
    }

    private void selectBank(int target) {
        int clear = bank & ~target & ECON1_BSEL_MASK;
        int set = target & ~bank & ECON1_BSEL_MASK;
        if (clear != 0) {
            bfc(ECON1, clear);
        }
        if (set != 0) {
            bfs(ECON1, set);
        }
        bank = target;
    }

    private void phyWrite(int register, int value) {
        selectBank(2);
        wcr(MIREGADR, register);
        wcr(MIWRL, value & 0xFF);
        wcr(MIWRH, value >>> 8);
        awaitMiiIdle();
    }

    private int phyRead(int register) {
        selectBank(2);
        wcr(MIREGADR, register);
        wcr(MICMD, MICMD_MIIRD);
        awaitMiiIdle();
        selectBank(2);
        wcr(MICMD, 0);
        int low = rcrMac(MIRDL);
        int high = rcrMac(MIRDH);
        return (high << 8) | low;
    }

    /** MISTAT.BUSY (bank 3, an MII register) until clear; 10.24 us per operation (datasheet 3.3). */
    private void awaitMiiIdle() {
        selectBank(3);
        for (int i = 0; i < MII_POLLS; i++) {
            if ((rcrMac(MISTAT) & MISTAT_BUSY) == 0) {
                return;
            }
        }
        counters[Enc28j60Counter.PHY_TIMEOUT.ordinal()]++;
        if (!initialised) {
            throw new IllegalStateException("ENC28J60 MISTAT.BUSY did not clear after " + MII_POLLS
                    + " reads: the PHY is not answering; check the 25 MHz crystal and power");
        }
    }

    private int rcr(int address) {
        command[0] = (byte) (OP_RCR | address);
        command[1] = 0;
        spi.transfer(command, 0, response, 0, 2);
        return response[1] & 0xFF;
    }

    /** MAC and MII registers shift out a dummy byte first (datasheet 4.2.1). */
    private int rcrMac(int address) {
        command[0] = (byte) (OP_RCR | address);
        command[1] = 0;
        command[2] = 0;
        spi.transfer(command, 0, response, 0, 3);
        return response[2] & 0xFF;
    }

    private void wcr(int address, int value) {
        command[0] = (byte) (OP_WCR | address);
        command[1] = (byte) value;
        spi.transfer(command, 0, null, 0, 2);
    }

    private void bfs(int address, int mask) {
        command[0] = (byte) (OP_BFS | address);
        command[1] = (byte) mask;
        spi.transfer(command, 0, null, 0, 2);
    }

    private void bfc(int address, int mask) {
        command[0] = (byte) (OP_BFC | address);
        command[1] = (byte) mask;
        spi.transfer(command, 0, null, 0, 2);
    }

    private static int u16le(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | ((bytes[offset + 1] & 0xFF) << 8);
    }
}
