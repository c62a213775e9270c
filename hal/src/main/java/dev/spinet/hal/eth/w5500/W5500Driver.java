package dev.spinet.hal.eth.w5500;

import static dev.spinet.hal.eth.w5500.W5500Registers.*;

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
 * A {@link FrameDevice} over a WIZnet W5500 with socket 0 in MACRAW mode (16 KiB each way, the
 * other sockets get no memory). All buffers are allocated here; {@link #receive} and
 * {@link #transmit} allocate nothing.
 *
 * <h2>SPI sequence per operation</h2>
 * Register transfers are {@code [offset hi, offset lo, control, data...]}, control =
 * BSB&lt;&lt;3 | RWB&lt;&lt;2 | OM (variable length). Socket 0 registers are BSB 1 (control 08 read,
 * 0C write), its TX buffer BSB 2 (14 write), its RX buffer BSB 3 (18 read).
 *
 * <p><b>Receive, one batch</b> (on the first {@link #receive} call that finds the batch buffer
 * empty):
 * <ol>
 * <li>{@code 00 26 08 +6}: Sn_RX_RSR, Sn_RX_RD and Sn_RX_WR in one burst. The amount used is
 *   {@code min(RSR, RX_WR - rxRd)} where {@code rxRd} is the value this driver last wrote: both
 *   terms only grow while we are not consuming, a torn two-byte read (MSB first) can only come
 *   out smaller than the truth, and RX_WR-rxRd stays right even if the chip has not yet taken the
 *   previous RECV (RSR would still be stale then). So no "read until two reads agree" loop, but
 *   a sanity check: an RSR or RX_WR - rxRd above 16384 (more than the buffer holds: a corrupt
 *   read) is read again, up to 3 reads, instead of being used or clamped
 *   ({@link W5500Counter#RX_STATUS_IMPOSSIBLE}). While a socket command is unconfirmed (below)
 *   the burst starts at Sn_CR instead ({@code 00 01 08 +43}): same transaction, and Sn_CR = 0
 *   confirms the command.</li>
 * <li>{@code hi lo 18 +n}: everything announced (at most {@code maxBurstBytes}) in one burst from
 *   the raw pointer, which the chip wraps inside the 16 KiB block; with
 *   {@link W5500Config#splitAtWrap()} the pointer is masked and the burst split once at the end.</li>
 * <li>records (2-byte big-endian length that counts itself, then the frame) are parsed from the
 *   batch buffer; only complete records are consumed, so a short RSR is harmless.</li>
 * <li>{@code 00 28 0C hi lo}: Sn_RX_RD += consumed.</li>
 * <li>{@code 00 01 0C 40}: Sn_CR = RECV. The datasheet (and ioLibrary, and Linux's
 *   w5100_command) polls Sn_CR until 0 after every command. Here no command is written before
 *   Sn_CR was seen at 0 for the previous one, but the poll is deferred: the next status read
 *   (receive step 1 or transmit step 2) starts at Sn_CR and answers it in the same transaction;
 *   only when the next command comes before any status read, or Sn_CR still reads non-zero, is
 *   Sn_CR read on its own ({@code 00 01 08 00}) until 0 (at most 100 reads, then
 *   {@link W5500Counter#COMMAND_TIMEOUT}). The next batch's step 1 stays right whether or not the
 *   chip has finished the RECV (see above).</li>
 * </ol>
 * Later {@link #receive} calls return the remaining frames of the batch with no SPI traffic. A
 * record cut off by the burst cap stays in the batch buffer and the next burst reads only what
 * follows it. So a
 * batch of any number of frames costs 4 transactions (5 in split mode at the wrap), plus the one
 * status read that finds nothing when the caller drains the device.
 *
 * <p><b>Transmit, one frame</b> (at most one SEND outstanding; 16 KiB always holds that frame
 * plus the next, so free space never needs Sn_TX_FSR):
 * <ol>
 * <li>{@code hi lo 14 frame}: the frame (padded to 60 bytes) at the cached Sn_TX_WR, header +
 *   payload in one chip-select period.</li>
 * <li>{@code 00 20 08 +4} (only if a SEND is outstanding): Sn_TX_FSR and Sn_TX_RD; the previous
 *   SEND is complete when TX_RD has reached its end and FSR shows the whole buffer free. Done
 *   after writing the data so the wire time of the previous frame overlaps the SPI write. While
 *   a command (SEND or RECV) is unconfirmed it starts at Sn_CR ({@code 00 01 08 +35}) and also
 *   waits for Sn_CR = 0.</li>
 * <li>{@code 00 24 0C hi lo}: Sn_TX_WR += length.</li>
 * <li>{@code 00 01 0C 20}: Sn_CR = SEND.</li>
 * </ol>
 * 3 or 4 transactions per frame.
 *
 * <p><b>Transmit timeout</b>: a SEND whose Sn_TX_RD has not reached its end
 * {@link W5500Config#transmitTimeoutNanos()} (default 1 s) after it was written is given up at
 * the next transmit ({@link W5500Counter#TX_TIMEOUTS}): CLOSE, OPEN (each after Sn_CR = 0), the
 * pointers re-read, and the new frame written into the fresh buffer and sent. Before the timeout
 * a transmit reports busy. So after a SEND that never completes (SEND_OK lost after a cable was
 * re-plugged) transmission resumes at the first transmit at least the timeout later.
 *
 * <p><b>Interrupts</b>: SIMR = socket 0, Sn_IMR = RECV. {@link #awaitReceive} clears Sn_IR.RECV
 * when INT is asserted and otherwise waits for an edge; the packet path never reads INT.
 *
 * <p><b>Link</b>: PHYCFGR.LNK, re-read at most every {@link W5500Config#linkPollIntervalNanos()}
 * by {@link #linkUp}, {@link #transmit} and (while socket 0 is closed) {@link #receive}. As in
 * ESP-IDF's W5500 driver, socket 0 is closed when the link goes down and opened again when it
 * comes back ({@link W5500Counter#SOCKET_REOPENED}); a flap shorter than the poll interval is not
 * seen and is covered by the transmit timeout.
 *
 * <p><b>When INT or the chip cannot be trusted</b> (docs/drivers.md, "Chip faults"): with the link,
 * Sn_MR is read back every poll interval; a chip reset under the driver (a brown-out) reads 00
 * there and is reset and configured again ({@link W5500Counter#REINITS}), as is one on which
 * socket 0 does not reopen in MACRAW. {@link #awaitReceive} reads Sn_IR before it waits on INT,
 * and waits at most the poll interval (1 ms after INT was caught not showing data, until it is
 * seen asserted again), so a lost INT edge costs at most that ({@link W5500Counter#INT_MISSED}).
 */
public final class W5500Driver implements FrameDevice, DeviceCounters {

    private static final int SOCKET = 0;
    private static final int BSB_S0 = bsbSocketRegisters(SOCKET);
    private static final int BSB_S0_TX = bsbSocketTxBuffer(SOCKET);
    private static final int BSB_S0_RX = bsbSocketRxBuffer(SOCKET);
    private static final int BUFFER_KIB = 16;
    private static final int BUFFER_SIZE = BUFFER_KIB * 1024;
    private static final int MAX_FRAME = 1514;
    private static final int MIN_FRAME = 60;
    private static final int MIN_RECORD = MACRAW_RECORD_HEADER + ETHERNET_HEADER_LENGTH;
    private static final int MAX_RECORD = MACRAW_RECORD_HEADER + MAX_FRAME;
    private static final int VERSION_RETRIES = 10;
    private static final int RESET_POLLS = 50;
    private static final int COMMAND_POLLS = 100;
    /** Status reads per batch when one shows an impossible size (datasheet: read RSR until two reads agree). */
    private static final int STATUS_READS = 3;
    /**
     * The longest idle wait once the INT line has been caught not showing received data, until
     * it is seen asserted again: the board then polls Sn_IR about a thousand times a second rather
     * than losing up to a link poll interval per window of data.
     */
    private static final long SUSPECT_WAIT_NANOS = 1_000_000L;
    private static final W5500Counter[] COUNTERS = W5500Counter.values();

    private final SpiBus spi;
    private final InputPin interrupt;
    private final OutputPin reset;
    private final NanoClock clock;
    private final W5500Config config;

    private final byte[] command = new byte[HEADER_LENGTH + SN_RX_WR + 2];
    private final byte[] response = new byte[HEADER_LENGTH + SN_RX_WR + 2];
    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] padded = new byte[MIN_FRAME];
    private final byte[] batch;
    private final long[] counters = new long[COUNTERS.length];

    private boolean initialised;
    private int batchPosition;
    private int batchEnd;
    private boolean partialFirstRecord;
    /** End of valid bytes read into {@link #batch} (beyond {@link #batchEnd} when a record was cut off). */
    private int carriedEnd;
    private int rxRead;
    private int txWrite;
    private boolean sendOutstanding;
    private int sendEnd;
    /** When the outstanding SEND was written, for {@link W5500Config#transmitTimeoutNanos()}. */
    private long sendIssuedAt;
    /** A socket command was written and Sn_CR has not been seen at 0 since. */
    private boolean commandUnconfirmed;
    /** Socket 0 is open in MACRAW (closed while the link is down). */
    private boolean socketOpen;
    private boolean link;
    private long lastLinkPoll;
    /** Sn_MR as configured: MACRAW, with MFEN unless promiscuous. Read back to notice a chip that was reset under us. */
    private final int socketMode;
    /** INT was caught not showing received data and has not been seen asserted since. */
    private boolean interruptSuspect;

    /**
     * @param spi the bus with the W5500 behind its chip select (mode 0 or 3)
     * @param interrupt the INT line (active low), or {@code null} to poll
     * @param reset the RESET line (active low), or {@code null} when not wired (soft reset only)
     */
    public W5500Driver(SpiBus spi, InputPin interrupt, OutputPin reset, NanoClock clock, W5500Config config) {
        if (spi == null || clock == null || config == null) {
            throw new IllegalArgumentException("W5500Driver needs an SpiBus, a NanoClock and a W5500Config");
        }
        this.spi = spi;
        this.interrupt = interrupt;
        this.reset = reset;
        this.clock = clock;
        this.config = config;
        this.batch = new byte[Math.min(config.maxBurstBytes(), BUFFER_SIZE)];
        this.socketMode = SN_MR_MACRAW | (config.promiscuous() ? 0 : SN_MR_MFEN);
    }

    // ---- start-up ----

    /**
     * Resets, identifies and configures the chip: hardware reset (if wired), MR.RST, VERSIONR
     * (retried while it reads 0), RTR = 2000, SHAR, buffer sizes, socket 0 MACRAW open, interrupt
     * masks, pointers, link.
     *
     * @throws IllegalStateException with what to check when no W5500 answers or it misbehaves
     */
    public void init() {
        start();
        initialised = true;
    }

    /** Reset, identify, configure; throws with what to check. */
    private void start() {
        resetChip();
        int version = identify();
        if (version != VERSION) {
            throw new IllegalStateException(String.format(
                    "no W5500: VERSIONR reads 0x%02X (expected 0x04) after %d tries; 0xFF or 0x00 means MISO is "
                            + "stuck or the chip is unpowered: check wiring, chip select, SPI mode 0/3 and RESET",
                    version, VERSION_RETRIES));
        }
        int rtr = readRegister16(BSB_COMMON, RTR);
        if (rtr != RTR_RESET_VALUE) {
            throw new IllegalStateException(String.format(
                    "W5500 RTR reads %d after reset (expected 2000): the bus corrupts data; lower the SPI clock "
                            + "or check signal integrity", rtr));
        }
        configure();
    }

    /**
     * The chip was found with its configuration lost (a brown-out or a reset nobody asked for):
     * reset and configure it again, as {@link #init()} does (Linux's w5100 restarts the chip the
     * same way after a transmit timeout). Whatever the chip held is gone; TCP retransmits it.
     * Returns whether the chip is configured again; a chip that does not answer is counted and
     * tried again at the next link poll. Allocates nothing unless the chip fails to answer.
     */
    private boolean reinitialise() {
        counters[W5500Counter.REINITS.ordinal()]++;
        batchPosition = 0;
        batchEnd = 0;
        carriedEnd = 0;
        sendOutstanding = false;
        try {
            start();
            return socketOpen;
        } catch (IllegalStateException e) {
            socketOpen = false;
            return false;
        }
    }

    private void resetChip() {
        counters[W5500Counter.CHIP_RESETS.ordinal()]++;
        if (reset != null) {
            // Datasheet 5.5.1: RSTn low for at least 500 us, then the PLL needs up to 1 ms.
            reset.set(false);
            BoundedWait.pause(clock, 1_000_000L);
            reset.set(true);
            BoundedWait.pause(clock, 2_000_000L);
        }
        writeRegister8(BSB_COMMON, MR, MR_RST);
        commandUnconfirmed = false;
        socketOpen = false;
        for (int i = 0; i < RESET_POLLS; i++) {
            if ((readRegister8(BSB_COMMON, MR) & MR_RST) == 0) {
                return;
            }
            BoundedWait.pause(clock, 100_000L);
        }
        throw new IllegalStateException("W5500 MR.RST did not clear after " + RESET_POLLS
                + " reads: the chip is not answering; check power, RESET and the SPI wiring");
    }

    /** VERSIONR can read 0 right after reset: retry with 1 ms pauses. Returns the last value read. */
    private int identify() {
        int version = 0;
        for (int i = 0; i < VERSION_RETRIES; i++) {
            version = readRegister8(BSB_COMMON, VERSIONR);
            if (version != 0) {
                return version;
            }
            BoundedWait.pause(clock, 1_000_000L);
        }
        return version;
    }

    private void configure() {
        long mac = config.macAddress();
        command[0] = (byte) (SHAR >>> 8);
        command[1] = (byte) SHAR;
        command[2] = (byte) controlWrite(BSB_COMMON);
        MacAddress.write(mac, command, 3);
        spi.transfer(command, 0, null, 0, 9);
        // Sockets 7..1 give their memory up first, so the 16 KiB sum is never exceeded.
        for (int socket = SOCKETS - 1; socket >= 0; socket--) {
            int kib = socket == SOCKET ? BUFFER_KIB : 0;
            command[0] = 0;
            command[1] = (byte) SN_RXBUF_SIZE;
            command[2] = (byte) controlWrite(bsbSocketRegisters(socket));
            command[3] = (byte) kib;
            command[4] = (byte) kib;
            spi.transfer(command, 0, null, 0, 5);
        }
        writeRegister8(BSB_S0, SN_MR, socketMode);
        openSocket();
        writeRegister8(BSB_S0, SN_IMR, SN_IR_RECV);
        writeRegister8(BSB_COMMON, SIMR, 1 << SOCKET);
        refreshLink(clock.nanoTime());
    }

    private void openSocket() {
        int status = tryOpenSocket();
        if (status < 0) {
            throw new IllegalStateException("W5500 did not accept OPEN on socket 0 (Sn_CR stayed non-zero)");
        }
        if (status != SN_SR_MACRAW) {
            throw new IllegalStateException(String.format(
                    "W5500 socket 0 status 0x%02X after OPEN (expected 0x42 SOCK_MACRAW)", status));
        }
    }

    /**
     * OPEN on socket 0 (Sn_MR already MACRAW), then its pointers as the chip set them. Returns
     * Sn_SR after OPEN, or -1 when Sn_CR did not clear. Any state of the previous socket (a
     * batch, an outstanding SEND) is dropped: OPEN starts both buffers empty.
     */
    private int tryOpenSocket() {
        socketOpen = false;
        sendOutstanding = false;
        batchPosition = 0;
        batchEnd = 0;
        carriedEnd = 0;
        writeCommand(SN_CR_OPEN);
        if (!awaitCommandAccepted()) {
            return -1;
        }
        int status = readRegister8(BSB_S0, SN_SR);
        if (status != SN_SR_MACRAW) {
            return status;
        }
        // Sn_TX_WR and Sn_RX_RD as the chip set them at OPEN: one 12-byte burst from Sn_TX_FSR.
        readBlock(BSB_S0, SN_TX_FSR, 12);
        txWrite = u16(response, 3 + 4);
        rxRead = u16(response, 3 + 8);
        socketOpen = true;
        return status;
    }

    /**
     * CLOSE then OPEN, counted. ESP-IDF's W5500 driver closes socket 0 on link down and opens it on
     * link up; Linux's w5100 resets the chip when a transmit times out. CLOSE discards whatever
     * both buffers held. Returns whether socket 0 is open in MACRAW again.
     */
    private boolean reopenSocket() {
        counters[W5500Counter.SOCKET_REOPENED.ordinal()]++;
        writeCommand(SN_CR_CLOSE);
        return tryOpenSocket() == SN_SR_MACRAW;
    }

    private void closeSocket() {
        writeCommand(SN_CR_CLOSE);
        socketOpen = false;
        sendOutstanding = false;
        batchPosition = 0;
        batchEnd = 0;
        carriedEnd = 0;
    }

    /**
     * Writes a socket command, after Sn_CR has been seen at 0 for the previous one. Datasheet
     * (Sn_CR): the chip clears Sn_CR once it accepted the command; ioLibrary and Linux's
     * w5100_command poll for that before going on. Here the poll is deferred to the next command
     * and usually answered for free by the status reads, which then start at Sn_CR (see the class
     * comment), so a chip that is quick costs no extra transaction. If Sn_CR never clears (counted
     * as COMMAND_TIMEOUT) the command is written anyway: a SEND that then never finishes is
     * recovered by the transmit timeout.
     */
    private void writeCommand(int value) {
        if (commandUnconfirmed) {
            awaitCommandAccepted();
        }
        writeRegister8(BSB_S0, SN_CR, value);
        commandUnconfirmed = true;
    }

    private boolean awaitCommandAccepted() {
        for (int i = 0; i < COMMAND_POLLS; i++) {
            if (readRegister8(BSB_S0, SN_CR) == 0) {
                commandUnconfirmed = false;
                return true;
            }
        }
        commandUnconfirmed = false;
        counters[W5500Counter.COMMAND_TIMEOUT.ordinal()]++;
        return false;
    }

    /**
     * One status read of socket 0 registers from {@code from} through {@code last} (inclusive),
     * starting at Sn_CR instead when a command is unconfirmed: the few extra bytes in the same
     * transaction tell whether the chip accepted it. Returns the offset in {@link #response} of
     * register {@code from}.
     */
    private int readSocketStatus(int from, int last) {
        int start = commandUnconfirmed ? SN_CR : from;
        readBlock(BSB_S0, start, last + 1 - start);
        if (start == SN_CR && response[HEADER_LENGTH] == 0) {
            commandUnconfirmed = false;
        }
        return HEADER_LENGTH + from - start;
    }

    // ---- FrameDevice ----

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        requireInitialised();
        if (batchPosition >= batchEnd) {
            // The link poll (and the configuration check with it) runs from here too, at most
            // every poll interval, so a receive-only caller sees a pulled cable, gets the socket
            // back when the link returns, and notices a chip that was reset under it.
            pollLink(clock.nanoTime());
            if (!socketOpen) {
                // Closed while the link is down: nothing can arrive.
                return NO_FRAME;
            }
            if (!fetchBatch()) {
                return NO_FRAME;
            }
        }
        int recordLength = u16(batch, batchPosition);
        int frameLength = recordLength - MACRAW_RECORD_HEADER;
        int frameStart = batchPosition + MACRAW_RECORD_HEADER;
        batchPosition += recordLength;
        if (frameLength > capacity) {
            counters[W5500Counter.RX_TOO_LONG.ordinal()]++;
            return FRAME_TOO_LONG;
        }
        System.arraycopy(batch, frameStart, buffer, offset, frameLength);
        counters[W5500Counter.RX_FRAMES.ordinal()]++;
        return frameLength;
    }

    /**
     * One status read, one (or two) bursts, RX_RD, RECV. Returns whether a complete record came.
     * When RSR announced less than the first record (a torn read: it can only err low), the
     * status is read once more: two extra transactions, only in that rare case.
     */
    private boolean fetchBatch() {
        return fetchBatchOnce() || (partialFirstRecord && fetchBatchOnce());
    }

    private boolean fetchBatchOnce() {
        partialFirstRecord = false;
        // Bytes of a record cut off by the burst cap last time are still valid (they lie before
        // RX_WR and we have not released them): keep them at the front and read only what follows.
        int carried = batchEnd < carriedEnd ? carriedEnd - batchEnd : 0;
        if (carried > 0) {
            System.arraycopy(batch, batchEnd, batch, 0, carried);
        }
        batchPosition = 0;
        batchEnd = 0;
        carriedEnd = 0;
        int rsr = 0;
        int chipRead = 0;
        int written = 0;
        for (int read = 0; read < STATUS_READS; read++) {
            int at = readSocketStatus(SN_RX_RSR, SN_RX_WR + 1);
            rsr = u16(response, at);
            chipRead = u16(response, at + 2);
            written = (u16(response, at + 4) - rxRead) & 0xFFFF;
            if (rsr <= BUFFER_SIZE && written <= BUFFER_SIZE) {
                break;
            }
            // Datasheet (Sn_RX_RSR): read it until two reads agree. One read is enough for a
            // value that can only be torn low (see above), but one above the 16 KiB the chip can
            // hold is corrupt: read again rather than trust it (or clamp it to the buffer size).
            counters[W5500Counter.RX_STATUS_IMPOSSIBLE.ordinal()]++;
        }
        if (rsr > BUFFER_SIZE || written > BUFFER_SIZE) {
            return false;
        }
        if (chipRead != rxRead || written != rsr) {
            counters[W5500Counter.RX_POINTER_DISAGREEMENT.ordinal()]++;
        }
        if (Math.max(rsr, written) > BUFFER_SIZE - MAX_RECORD) {
            // MACRAW reports no overflow (Sn_IR has no such bit): a buffer that cannot take one
            // more maximum-size record is the only sign that the chip may have dropped frames.
            counters[W5500Counter.RX_BUFFER_FULL.ordinal()]++;
        }
        int available = Math.min(rsr, written);
        if (available < carried) {
            carried = 0;
        }
        if (available < MIN_RECORD) {
            return false;
        }
        int length = Math.min(available, batch.length);
        if (length > carried) {
            readRxBuffer((rxRead + carried) & 0xFFFF, carried, length - carried);
        }
        int position = 0;
        while (position + MACRAW_RECORD_HEADER <= length) {
            int recordLength = u16(batch, position);
            if (recordLength < MIN_RECORD || recordLength > MAX_RECORD) {
                // Framing is lost: nothing after this point can be trusted. Discard all RSR announced.
                counters[W5500Counter.RX_RECORD_CORRUPT.ordinal()]++;
                consume(available);
                batchEnd = position;
                return batchEnd > 0;
            }
            if (position + recordLength > length) {
                if (length == available) {
                    counters[W5500Counter.RX_PARTIAL_RECORD.ordinal()]++;
                    partialFirstRecord = position == 0;
                }
                break;
            }
            position += recordLength;
        }
        if (position == 0) {
            carriedEnd = 0;
            return false;
        }
        batchEnd = position;
        carriedEnd = length;
        consume(position);
        counters[W5500Counter.RX_BATCHES.ordinal()]++;
        return true;
    }

    /** Reads {@code length} bytes of the RX buffer at free-running {@code pointer} into {@code batch[offset..]}. */
    private void readRxBuffer(int pointer, int offset, int length) {
        if (!config.splitAtWrap()) {
            header[0] = (byte) (pointer >>> 8);
            header[1] = (byte) pointer;
            header[2] = (byte) controlRead(BSB_S0_RX);
            spi.transfer(header, 0, HEADER_LENGTH, null, 0, batch, offset, length);
            return;
        }
        int start = pointer & (BUFFER_SIZE - 1);
        int first = Math.min(length, BUFFER_SIZE - start);
        header[0] = (byte) (start >>> 8);
        header[1] = (byte) start;
        header[2] = (byte) controlRead(BSB_S0_RX);
        spi.transfer(header, 0, HEADER_LENGTH, null, 0, batch, offset, first);
        if (first < length) {
            header[0] = 0;
            header[1] = 0;
            spi.transfer(header, 0, HEADER_LENGTH, null, 0, batch, offset + first, length - first);
        }
    }

    private void consume(int bytes) {
        rxRead = (rxRead + bytes) & 0xFFFF;
        writeRegister16(BSB_S0, SN_RX_RD, rxRead);
        writeCommand(SN_CR_RECV);
    }

    @Override
    public boolean transmit(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length " + length + " outside 14..1514");
        }
        requireInitialised();
        long now = clock.nanoTime();
        pollLink(now);
        if (!link) {
            counters[W5500Counter.TX_LINK_DOWN.ordinal()]++;
            return false;
        }
        if (!socketOpen) {
            counters[W5500Counter.TX_BUSY.ordinal()]++;
            return false;
        }
        byte[] source = frame;
        int sourceOffset = offset;
        int wireLength = length;
        if (length < MIN_FRAME) {
            // The W5500 MAC does not pad MACRAW frames (the datasheet is silent): pad to 60 here.
            System.arraycopy(frame, offset, padded, 0, length);
            java.util.Arrays.fill(padded, length, MIN_FRAME, (byte) 0);
            source = padded;
            sourceOffset = 0;
            wireLength = MIN_FRAME;
        }
        writeTxBuffer(source, sourceOffset, wireLength);
        if ((sendOutstanding || commandUnconfirmed) && !awaitTransmitter()) {
            if (!sendOutstanding || now - sendIssuedAt < config.transmitTimeoutNanos()) {
                counters[W5500Counter.TX_BUSY.ordinal()]++;
                return false;
            }
            // The SEND never finished (SEND_OK never came after a cable was re-plugged: a field
            // report against ESP-IDF's W5500 driver, espressif/esp-idf#6233): give its frame up
            // and reopen socket 0 (Linux w5100_tx_timeout resets the chip), then this frame goes
            // into the fresh buffer.
            counters[W5500Counter.TX_TIMEOUTS.ordinal()]++;
            if (!reopenSocket() && !reinitialise()) {
                return false;
            }
            writeTxBuffer(source, sourceOffset, wireLength);
        }
        txWrite = (txWrite + wireLength) & 0xFFFF;
        writeRegister16(BSB_S0, SN_TX_WR, txWrite);
        writeCommand(SN_CR_SEND);
        sendOutstanding = true;
        sendEnd = txWrite;
        sendIssuedAt = now;
        counters[W5500Counter.TX_FRAMES.ordinal()]++;
        return true;
    }

    /** The frame into the TX buffer at the cached Sn_TX_WR: header + payload in one chip-select period. */
    private void writeTxBuffer(byte[] source, int sourceOffset, int wireLength) {
        header[0] = (byte) (txWrite >>> 8);
        header[1] = (byte) txWrite;
        header[2] = (byte) controlWrite(BSB_S0_TX);
        if (config.splitAtWrap()) {
            int start = txWrite & (BUFFER_SIZE - 1);
            int first = Math.min(wireLength, BUFFER_SIZE - start);
            header[0] = (byte) (start >>> 8);
            header[1] = (byte) start;
            spi.transfer(header, 0, HEADER_LENGTH, source, sourceOffset, null, 0, first);
            if (first < wireLength) {
                header[0] = 0;
                header[1] = 0;
                spi.transfer(header, 0, HEADER_LENGTH, source, sourceOffset + first, null, 0, wireLength - first);
            }
        } else {
            spi.transfer(header, 0, HEADER_LENGTH, source, sourceOffset, null, 0, wireLength);
        }
    }

    /**
     * Sn_TX_FSR + Sn_TX_RD (from Sn_CR while a command is unconfirmed) until TX_RD reached the last
     * SEND's end with the buffer all free and Sn_CR is 0. A command Sn_CR never clears for is
     * counted and no longer waited for (the SEND that follows is covered by the timeout).
     */
    private boolean awaitTransmitter() {
        for (int i = 0; i < config.sendPollLimit(); i++) {
            int at = readSocketStatus(SN_TX_FSR, SN_TX_RD + 1);
            if (sendOutstanding && u16(response, at + 2) == sendEnd && u16(response, at) == BUFFER_SIZE) {
                sendOutstanding = false;
            }
            if (!sendOutstanding && !commandUnconfirmed) {
                return true;
            }
        }
        if (!sendOutstanding) {
            commandUnconfirmed = false;
            counters[W5500Counter.COMMAND_TIMEOUT.ordinal()]++;
            return true;
        }
        return false;
    }

    @Override
    public long macAddress() {
        return config.macAddress();
    }

    @Override
    public boolean linkUp() {
        requireInitialised();
        pollLink(clock.nanoTime());
        return link;
    }

    /**
     * PHYCFGR.LNK at most every {@link W5500Config#linkPollIntervalNanos()}. As ESP-IDF's W5500
     * driver does, socket 0 is closed when the link goes down (a SEND then cannot hang on it) and
     * opened again once the link is up (also retried here if that OPEN failed). With the link, Sn_MR
     * is read back while socket 0 is open: after a reset the driver did not ask for (a brown-out)
     * it reads 00, never the mode written, and the chip is reset and configured again
     * ({@link W5500Counter#REINITS}); so is a chip on which socket 0 does not reopen in MACRAW.
     * Two transactions per interval.
     */
    private void pollLink(long now) {
        if (now - lastLinkPoll < config.linkPollIntervalNanos()) {
            return;
        }
        refreshLink(now);
        if (!initialised) {
            return;
        }
        if (socketOpen && readRegister8(BSB_S0, SN_MR) != socketMode) {
            reinitialise();
        } else if (!link && socketOpen) {
            closeSocket();
        } else if (link && !socketOpen && !reopenSocket()) {
            reinitialise();
        }
    }

    private void refreshLink(long now) {
        lastLinkPoll = now;
        boolean up = (readRegister8(BSB_COMMON, PHYCFGR) & PHYCFGR_LNK) != 0;
        if (up != link) {
            counters[W5500Counter.LINK_CHANGES.ordinal()]++;
            link = up;
        }
    }

    /**
     * Returns at once while a batch holds frames. With INT asserted (Sn_IR.RECV, the only source
     * unmasked) it clears RECV and returns so the caller reads RSR. Otherwise it reads Sn_IR first:
     * RECV set while INT is high means the line is not following the chip (a lost edge, a stuck
     * line), counted as {@link W5500Counter#INT_MISSED}, and it returns at once as if INT had
     * been seen (ESP-IDF checks the INT level after a 1 s wait without notification; this checks
     * the chip itself, before every wait). Then it waits for an edge, never longer than the link
     * poll interval, so frames are found within that time even if the line never moves; after a
     * miss, and until INT is seen asserted again, never longer than 1 ms.
     */
    @Override
    public void awaitReceive(long timeoutNanos) throws InterruptedException {
        requireInitialised();
        if (batchPosition < batchEnd) {
            return;
        }
        if (interrupt == null) {
            FrameDevice.super.awaitReceive(timeoutNanos);
            return;
        }
        if (!interrupt.isHigh()) {
            // INT is held by Sn_IR.RECV (write 1 to clear). Return so the caller re-reads RSR:
            // data arriving after this clear raises RECV (and INT) again.
            interruptSuspect = false;
            writeRegister8(BSB_S0, SN_IR, SN_IR_RECV);
            return;
        }
        if (socketOpen && (readRegister8(BSB_S0, SN_IR) & SN_IR_RECV) != 0) {
            // A frame that arrived just now has pulled INT low meanwhile: that is no miss.
            if (interrupt.isHigh() && !interruptSuspect) {
                counters[W5500Counter.INT_MISSED.ordinal()]++;
                interruptSuspect = true;
            }
            writeRegister8(BSB_S0, SN_IR, SN_IR_RECV);
            return;
        }
        interrupt.awaitEdge(Math.min(timeoutNanos, interruptSuspect ? SUSPECT_WAIT_NANOS : config.linkPollIntervalNanos()));
    }

    /** Closes socket 0 (CR = CLOSE) so the chip stops receiving; {@link #init()} starts it again. */
    @Override
    public void close() {
        if (initialised) {
            initialised = false;
            closeSocket();
        }
    }

    // ---- diagnostics ----

    /** A counter's value. */
    public long counter(W5500Counter counter) {
        return counters[counter.ordinal()];
    }

    /** {@link DeviceCounters}: the {@link W5500Counter} values in declaration order, named as the constants. */
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

    public W5500Config config() {
        return config;
    }

    /**
     * Board bring-up checks: reset, identity, RTR reset value, register write/read-back, link.
     * Leaves the chip re-initialised (as after {@link #init()}) when it passes. Allocates.
     */
    public SelfTestReport selfTest() {
        SelfTestReport report = new SelfTestReport("W5500");
        try {
            resetChip();
            report.pass("reset", reset != null ? "RESET pin pulsed, MR.RST self-cleared" : "MR.RST self-cleared (RESET pin not wired)");
        } catch (RuntimeException e) {
            report.fail("reset", e.getMessage());
            return report;
        }
        int version = identify();
        report.check("identity", version == VERSION, String.format("VERSIONR=0x%02X (expected 0x04)", version));
        if (version != VERSION) {
            return report;
        }
        int rtr = readRegister16(BSB_COMMON, RTR);
        report.check("reset values", rtr == RTR_RESET_VALUE, "RTR=" + rtr + " (expected 2000 after reset)");
        boolean readBack = true;
        int[] patterns = {0xA5, 0x5A, 0x00, 0xFF};
        for (int pattern : patterns) {
            command[0] = 0;
            command[1] = (byte) GAR;
            command[2] = (byte) controlWrite(BSB_COMMON);
            for (int i = 0; i < 4; i++) {
                command[3 + i] = (byte) (pattern ^ (i * 0x11));
            }
            spi.transfer(command, 0, null, 0, 7);
            readBlock(BSB_COMMON, GAR, 4);
            for (int i = 0; i < 4; i++) {
                readBack &= (response[3 + i] & 0xFF) == ((pattern ^ (i * 0x11)) & 0xFF);
            }
        }
        writeRegister16(BSB_COMMON, GAR, 0);
        writeRegister16(BSB_COMMON, GAR + 2, 0);
        report.check("register read-back", readBack, "GAR written and read back with 4 patterns");
        try {
            configure();
            initialised = true;
            readBlock(BSB_COMMON, SHAR, 6);
            long shar = MacAddress.read(response, 3);
            report.check("configuration", shar == config.macAddress(),
                    "socket 0 MACRAW open, SHAR=" + MacAddress.format(shar));
        } catch (RuntimeException e) {
            report.fail("configuration", e.getMessage());
            return report;
        }
        int phy = readRegister8(BSB_COMMON, PHYCFGR);
        String linkText = (phy & PHYCFGR_LNK) == 0 ? "down"
                : ((phy & PHYCFGR_SPD) != 0 ? "100" : "10") + " Mbit/s " + ((phy & PHYCFGR_DPX) != 0 ? "full" : "half") + " duplex";
        if ((phy & PHYCFGR_LNK) != 0) {
            report.pass("link", "up, " + linkText + String.format(" (PHYCFGR=0x%02X)", phy));
        } else {
            report.fail("link", String.format("down (PHYCFGR=0x%02X): check the cable and the other end", phy));
        }
        report.skip("loopback", "the W5500 PHY has no loopback mode reachable from MACRAW");
        return report;
    }

    // ---- register access ----

    private void requireInitialised() {
        if (!initialised) {
            throw new IllegalStateException("W5500Driver used before init(): call init() once at start-up");
        }
    }

    private int readRegister8(int bsb, int address) {
        command[0] = (byte) (address >>> 8);
        command[1] = (byte) address;
        command[2] = (byte) controlRead(bsb);
        command[3] = 0;
        spi.transfer(command, 0, response, 0, 4);
        return response[3] & 0xFF;
    }

    private int readRegister16(int bsb, int address) {
        readBlock(bsb, address, 2);
        return u16(response, 3);
    }

    /** Reads {@code length} bytes into {@code response[3..]}. */
    private void readBlock(int bsb, int address, int length) {
        command[0] = (byte) (address >>> 8);
        command[1] = (byte) address;
        command[2] = (byte) controlRead(bsb);
        for (int i = 0; i < length; i++) {
            command[3 + i] = 0;
        }
        spi.transfer(command, 0, response, 0, HEADER_LENGTH + length);
    }

    private void writeRegister8(int bsb, int address, int value) {
        command[0] = (byte) (address >>> 8);
        command[1] = (byte) address;
        command[2] = (byte) controlWrite(bsb);
        command[3] = (byte) value;
        spi.transfer(command, 0, null, 0, 4);
    }

    private void writeRegister16(int bsb, int address, int value) {
        command[0] = (byte) (address >>> 8);
        command[1] = (byte) address;
        command[2] = (byte) controlWrite(bsb);
        command[3] = (byte) (value >>> 8);
        command[4] = (byte) value;
        spi.transfer(command, 0, null, 0, 5);
    }

    private static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
