package dev.spinet.harness.emu;

import static dev.spinet.hal.eth.w5500.W5500Registers.*;

import dev.spinet.hal.eth.MacAddress;

/**
 * A register-level WIZnet W5500 (datasheet v1.0.9) for tests and desktop runs: the SPI frame
 * format (16-bit offset, control byte with BSB / RWB / OM, fixed-length modes 1/2/4 checked),
 * MISO 01 02 03 during the header, common and socket registers with their reset values and
 * read-only rules, the socket buffer memory with the chip's wrap inside each socket's block (so
 * raw free-running pointers and masked-and-split bursts both work), socket 0 MACRAW with MAC
 * filtering (Sn_MR.MFEN, BCASTB, MMB), 2-byte length records that count themselves, RSR/FSR
 * derived from the free-running pointers, RX_RD/TX_WR taking effect only at RECV/SEND, Sn_IR
 * with write-1-to-clear, SIR/SIMR and the INT pin, PHYCFGR link bits.
 *
 * <p>Other socket modes (TCP, UDP, IPRAW) only change Sn_SR: the emulator does not carry their
 * data. Behaviours a driver must survive, switchable for tests: VERSIONR reading 0 right after
 * reset ({@link #setVersionZeroReadsAfterReset}, default 1), a frame arriving between the two
 * bytes of an RSR read ({@link #deliverBetweenRsrBytes}), SEND completing only some transactions
 * later ({@link #setSendLatency}), socket commands taking effect late ({@link #setCommandLatency}),
 * Sn_CR staying non-zero for some reads after a command ({@link #setCommandBusyReads}), SEND
 * never completing after a link flap ({@link #setSendStuckAfterLinkFlap}), one receive status read
 * corrupted ({@link #corruptNextRxStatusRead}), one record length corrupted on MISO
 * ({@link #corruptNextRecordLength}), one PHYCFGR read showing the link down
 * ({@link #corruptNextLinkStatusRead}), and those of every {@link ChipEmulator} (cable pulled, INT
 * held, brown-out).
 *
 * <p>Invalid use recorded: reserved block select, a fixed-length mode with another data length,
 * a transaction shorter than the header, writes to read-only or reserved registers or to an RX
 * buffer, an invalid buffer size or more than 16 KiB in total at OPEN, MACRAW on a socket other
 * than 0, SEND with a length outside 14..1514 or while the previous SEND is still running, RECV
 * moving RX_RD past RX_WR or off a record boundary, an unknown command, a command written while
 * the previous one is still pending.
 */
public final class W5500Emulator extends ChipEmulator {

    /** The MAC {@link #W5500Emulator()} suggests to its driver: 02:00:00:00:55:00. */
    public static final long DEFAULT_MAC = 0x0200_0000_5500L;

    private static final int COMMON_SIZE = 0x40;
    private static final int MAX_RECORDS = BUFFER_MEMORY / 16;

    private final long mac;
    private final byte[] common = new byte[COMMON_SIZE];
    private final byte[][] socket = new byte[SOCKETS][SOCKET_END];
    private final byte[][] txMemory = new byte[SOCKETS][BUFFER_MEMORY];
    private final byte[][] rxMemory = new byte[SOCKETS][BUFFER_MEMORY];
    private final int[] txRead = new int[SOCKETS];
    private final int[] txWriteInternal = new int[SOCKETS];
    private final int[] rxWrite = new int[SOCKETS];
    private final int[] rxReadInternal = new int[SOCKETS];
    private final int[] recordStarts = new int[MAX_RECORDS];
    private int recordHead;
    private int recordCount;
    private final byte[] sendBuffer = new byte[MAX_FRAME];
    private final byte[] staged = new byte[MAX_FRAME];
    private int stagedLength;

    private int versionZeroReadsAfterReset = 1;
    private int versionZeroReadsLeft;
    private int sendLatency;
    private int sendCountdown = -1;
    private int commandLatency;
    private int commandCountdown = -1;
    private int pendingCommandSocket;
    private int pendingCommand;
    private int commandBusyReads;
    private int commandBusyReadsLeft;
    private boolean executeAfterTransaction;
    private boolean sendStuckAfterLinkFlap;
    private boolean transmitterWedged;
    private boolean sendHanging;
    private boolean corruptRxStatus;
    private boolean corruptingRxStatus;
    private boolean corruptRecordLength;
    private boolean corruptLinkStatus;

    // current transaction
    private int address;
    private int control;
    private int bsb;
    private boolean write;
    private int mode;
    private boolean badBlock;

    /** A W5500 with the default MAC suggestion; link up. */
    public W5500Emulator() {
        this(DEFAULT_MAC);
    }

    public W5500Emulator(long mac) {
        this.mac = mac;
        resetRegisters();
    }

    /** The MAC this emulated board is meant to use (the chip itself has none until SHAR is written). */
    public long mac() {
        return mac;
    }

    // ---- knobs ----

    /** How many VERSIONR reads after a reset return 0 (the datasheet-undocumented start-up glitch). */
    public void setVersionZeroReadsAfterReset(int reads) {
        versionZeroReadsAfterReset = reads;
        versionZeroReadsLeft = reads;
    }

    /** SEND completes (frame on the wire, TX_RD advanced, SEND_OK) this many transactions later. */
    public void setSendLatency(int transactions) {
        sendLatency = transactions;
    }

    /**
     * Socket commands take effect (and Sn_CR clears) this many transactions after they are
     * written, instead of at once: the chip's "poll Sn_CR until 0" window.
     */
    public void setCommandLatency(int transactions) {
        commandLatency = transactions;
    }

    /**
     * After a socket command is written, Sn_CR reads back the command for this many reads of
     * Sn_CR; the command takes effect after the last of them, and Sn_CR reads 0 from then on.
     * The datasheet's rule is to poll Sn_CR until 0 (ioLibrary and Linux's w5100_command both do);
     * a driver that writes the next command without having seen 0 is recorded as invalid use.
     */
    public void setCommandBusyReads(int reads) {
        commandBusyReads = reads;
    }

    /**
     * When on, a link going down wedges socket 0's transmitter: the SEND in progress and every
     * SEND after it never complete (Sn_TX_RD stays, SEND_OK never comes) until socket 0 is closed
     * and opened again or the chip is reset. Seen on W5500 boards after a cable was unplugged and
     * plugged back (ESP-IDF's driver closes socket 0 on link down and opens it on link up).
     */
    public void setSendStuckAfterLinkFlap(boolean on) {
        sendStuckAfterLinkFlap = on;
    }

    /**
     * A MISO glitch on the next read of Sn_RX_RSR: in that transaction the high bytes of Sn_RX_RSR
     * and Sn_RX_WR read with bit 7 set, values the 16 KiB buffer makes impossible.
     */
    public void corruptNextRxStatusRead() {
        corruptRxStatus = true;
    }

    /**
     * A MISO glitch on the next read of socket 0's RX buffer that starts at the oldest unread
     * MACRAW record: the high byte of that record's 2-byte length reads with bit 7 set (a length
     * above 32 KiB, which no record has). The buffer itself is intact.
     */
    public void corruptNextRecordLength() {
        corruptRecordLength = true;
    }

    /** A MISO glitch on the next read of PHYCFGR: LNK reads 0 although the link is up. */
    public void corruptNextLinkStatusRead() {
        corruptLinkStatus = true;
    }

    /** The next RSR read receives this frame between its high and its low byte. */
    public void deliverBetweenRsrBytes(byte[] frame, int offset, int length) {
        System.arraycopy(frame, offset, staged, 0, length);
        stagedLength = length;
    }

    // ---- reset ----

    @Override
    protected void hardwareReset() {
        resetRegisters();
    }

    @Override
    protected void powerOnReset() {
        resetRegisters();
    }

    private void resetRegisters() {
        java.util.Arrays.fill(common, (byte) 0);
        put16(common, RTR, RTR_RESET_VALUE);
        common[RCR] = 0x08;
        common[PTIMER] = 0x28;
        put16(common, PMRU, 0xFFFF);
        common[PHYCFGR] = (byte) PHYCFGR_RESET_VALUE;
        common[VERSIONR] = VERSION;
        for (int n = 0; n < SOCKETS; n++) {
            byte[] s = socket[n];
            java.util.Arrays.fill(s, (byte) 0);
            for (int i = 0; i < 6; i++) {
                s[SN_DHAR + i] = (byte) 0xFF;
            }
            s[SN_TTL] = (byte) 0x80;
            s[SN_RXBUF_SIZE] = DEFAULT_BUFFER_KIB;
            s[SN_TXBUF_SIZE] = DEFAULT_BUFFER_KIB;
            s[SN_IMR] = (byte) 0xFF;
            put16(s, SN_FRAG, 0x4000);
            txRead[n] = 0;
            txWriteInternal[n] = 0;
            rxWrite[n] = 0;
            rxReadInternal[n] = 0;
        }
        recordHead = 0;
        recordCount = 0;
        versionZeroReadsLeft = versionZeroReadsAfterReset;
        sendCountdown = -1;
        commandCountdown = -1;
        commandBusyReadsLeft = 0;
        executeAfterTransaction = false;
        transmitterWedged = false;
        sendHanging = false;
    }

    // ---- SPI ----

    @Override
    protected void startTransaction() {
        address = 0;
        control = 0;
        badBlock = false;
    }

    @Override
    protected int exchange(int index, int mosi) {
        switch (index) {
            case 0 -> {
                address = mosi << 8;
                return 0x01;
            }
            case 1 -> {
                address |= mosi;
                return 0x02;
            }
            case 2 -> {
                control = mosi;
                bsb = mosi >>> BSB_SHIFT;
                write = (mosi & RWB_WRITE) != 0;
                mode = mosi & OM_MASK;
                if (bsb != BSB_COMMON && (bsb & 3) == 0) {
                    badBlock = true;
                    invalid(String.format("control byte 0x%02X selects reserved block %d", mosi, bsb));
                }
                return 0x03;
            }
            default -> {
                if (badBlock) {
                    return 0;
                }
                int offset = (address + index - HEADER_LENGTH) & 0xFFFF;
                if (write) {
                    writeByte(offset, mosi);
                    return 0;
                }
                int value = readByte(offset);
                if (corruptRecordLength && index == HEADER_LENGTH && bsb == bsbSocketRxBuffer(0)
                        && recordCount > 0 && ((offset - recordStarts[recordHead]) & (rxSize(0) - 1)) == 0) {
                    corruptRecordLength = false;
                    value |= 0x80;
                }
                return value;
            }
        }
    }

    @Override
    protected void finishTransaction(int length) {
        if (length < HEADER_LENGTH) {
            invalid("transaction of " + length + " bytes: shorter than the 3-byte address/control header");
            return;
        }
        int data = length - HEADER_LENGTH;
        if (mode != OM_VARIABLE) {
            int expected = mode == OM_FIXED_1 ? 1 : mode == OM_FIXED_2 ? 2 : 4;
            if (data != expected) {
                invalid(String.format("control byte 0x%02X is fixed-length mode (%d bytes) but the transaction carried %d",
                        control, expected, data));
            }
        }
    }

    @Override
    protected void afterTransaction() {
        corruptingRxStatus = false;
        if (executeAfterTransaction) {
            executeAfterTransaction = false;
            execute(pendingCommandSocket, pendingCommand);
        }
        if (commandCountdown > 0) {
            commandCountdown--;
        }
        if (commandCountdown == 0) {
            commandCountdown = -1;
            execute(pendingCommandSocket, pendingCommand);
        }
        if (sendCountdown > 0) {
            sendCountdown--;
        }
        if (sendCountdown == 0) {
            sendCountdown = -1;
            completeSend(0);
        }
    }

    private int readByte(int offset) {
        if (bsb == BSB_COMMON) {
            return readCommon(offset);
        }
        int n = bsb >>> 2;
        switch (bsb & 3) {
            case 1 -> {
                return readSocket(n, offset);
            }
            case 2 -> {
                int size = txSize(n);
                return size == 0 ? 0 : txMemory[n][offset & (size - 1)] & 0xFF;
            }
            default -> {
                int size = rxSize(n);
                if (size == 0) {
                    invalid("read of socket " + n + " RX buffer, which has 0 KiB");
                    return 0;
                }
                return rxMemory[n][offset & (size - 1)] & 0xFF;
            }
        }
    }

    private void writeByte(int offset, int value) {
        if (bsb == BSB_COMMON) {
            writeCommon(offset, value);
            return;
        }
        int n = bsb >>> 2;
        switch (bsb & 3) {
            case 1 -> writeSocket(n, offset, value);
            case 2 -> {
                int size = txSize(n);
                if (size == 0) {
                    invalid("write to socket " + n + " TX buffer, which has 0 KiB");
                    return;
                }
                txMemory[n][offset & (size - 1)] = (byte) value;
            }
            default -> invalid(String.format("write to socket %d RX buffer at 0x%04X (the RX buffer is read-only)", n, offset));
        }
    }

    private int readCommon(int offset) {
        if (offset >= COMMON_END) {
            return 0;
        }
        switch (offset) {
            case VERSIONR -> {
                if (versionZeroReadsLeft > 0) {
                    versionZeroReadsLeft--;
                    return 0;
                }
                return VERSION;
            }
            case PHYCFGR -> {
                int value = common[PHYCFGR] & 0xF8;
                if (link()) {
                    value |= PHYCFGR_LNK | PHYCFGR_SPD | PHYCFGR_DPX;
                }
                if (corruptLinkStatus) {
                    corruptLinkStatus = false;
                    value &= ~PHYCFGR_LNK;
                }
                return value;
            }
            case SIR -> {
                return socketInterrupts();
            }
            default -> {
                return common[offset] & 0xFF;
            }
        }
    }

    private void writeCommon(int offset, int value) {
        if (offset == MR) {
            if ((value & MR_RST) != 0) {
                resetRegisters();
            } else {
                common[MR] = (byte) value;
            }
            return;
        }
        if (offset == IR) {
            common[IR] &= (byte) ~value;
            return;
        }
        if (offset == SIR || offset == VERSIONR || (offset >= UIPR && offset < UPORTR + 2)) {
            invalid(String.format("write 0x%02X to read-only common register 0x%04X", value, offset));
            return;
        }
        if (offset == PHYCFGR) {
            common[PHYCFGR] = (byte) ((value & 0xF8) | PHYCFGR_RST);
            return;
        }
        if (offset > PHYCFGR) {
            invalid(String.format("write 0x%02X to reserved common address 0x%04X", value, offset));
            return;
        }
        common[offset] = (byte) value;
    }

    private int readSocket(int n, int offset) {
        if (offset >= SOCKET_END) {
            return 0;
        }
        switch (offset) {
            case SN_TX_FSR, SN_TX_FSR + 1 -> {
                int free = txSize(n) - ((txWriteInternal[n] - txRead[n]) & 0xFFFF);
                return byteOf(free, offset - SN_TX_FSR);
            }
            case SN_TX_RD, SN_TX_RD + 1 -> {
                return byteOf(txRead[n], offset - SN_TX_RD);
            }
            case SN_CR -> {
                int value = socket[n][SN_CR] & 0xFF;
                if (commandBusyReadsLeft > 0 && n == pendingCommandSocket && --commandBusyReadsLeft == 0) {
                    executeAfterTransaction = true;
                }
                return value;
            }
            case SN_RX_RSR -> {
                int high = byteOf(received(n), 0);
                if (corruptRxStatus && n == 0) {
                    corruptRxStatus = false;
                    corruptingRxStatus = true;
                    high |= 0x80;
                }
                if (stagedLength > 0 && n == 0) {
                    // The chip finishes receiving a frame between the two bytes of this read.
                    int length = stagedLength;
                    stagedLength = 0;
                    System.arraycopy(staged, 0, sendBuffer, 0, length);
                    receiveFromWire(sendBuffer, length);
                }
                return high;
            }
            case SN_RX_RSR + 1 -> {
                return byteOf(received(n), 1);
            }
            case SN_RX_WR, SN_RX_WR + 1 -> {
                int value = byteOf(rxWrite[n], offset - SN_RX_WR);
                return corruptingRxStatus && offset == SN_RX_WR ? value | 0x80 : value;
            }
            default -> {
                return socket[n][offset] & 0xFF;
            }
        }
    }

    private void writeSocket(int n, int offset, int value) {
        byte[] s = socket[n];
        switch (offset) {
            case SN_CR -> command(n, value);
            case SN_IR -> s[SN_IR] &= (byte) ~value;
            case SN_SR, SN_TX_FSR, SN_TX_FSR + 1, SN_TX_RD, SN_TX_RD + 1, SN_RX_RSR, SN_RX_RSR + 1, SN_RX_WR, SN_RX_WR + 1 ->
                    invalid(String.format("write 0x%02X to read-only socket %d register 0x%02X", value, n, offset));
            case SN_RXBUF_SIZE, SN_TXBUF_SIZE -> {
                if (!validBufferSizeKiB(value)) {
                    invalid("socket " + n + " buffer size " + value + " KiB (valid: 0, 1, 2, 4, 8, 16)");
                }
                s[offset] = (byte) value;
            }
            default -> {
                if (offset >= SOCKET_END || (offset > SN_TTL && offset < SN_RXBUF_SIZE)) {
                    invalid(String.format("write 0x%02X to reserved socket %d address 0x%02X", value, n, offset));
                    return;
                }
                s[offset] = (byte) value;
            }
        }
    }

    // ---- socket commands ----

    private void command(int n, int command) {
        if (commandCountdown >= 0 || commandBusyReadsLeft > 0 || executeAfterTransaction) {
            invalid(String.format("Sn_CR 0x%02X written on socket %d while command 0x%02X is still pending (poll Sn_CR until 0)",
                    command, n, pendingCommand));
            return;
        }
        if (commandBusyReads > 0) {
            socket[n][SN_CR] = (byte) command;
            pendingCommandSocket = n;
            pendingCommand = command;
            commandBusyReadsLeft = commandBusyReads;
            return;
        }
        if (commandLatency > 0) {
            socket[n][SN_CR] = (byte) command;
            pendingCommandSocket = n;
            pendingCommand = command;
            commandCountdown = commandLatency + 1; // counted down after this transaction too
            return;
        }
        execute(n, command);
    }

    private void execute(int n, int command) {
        byte[] s = socket[n];
        switch (command) {
            case SN_CR_OPEN -> open(n);
            case SN_CR_CLOSE -> {
                s[SN_SR] = SN_SR_CLOSED;
                if (n == 0) {
                    recordCount = 0;
                    sendCountdown = -1;
                    sendHanging = false;
                    transmitterWedged = false;
                }
            }
            case SN_CR_SEND, SN_CR_SEND_MAC, SN_CR_SEND_KEEP -> send(n);
            case SN_CR_RECV -> recv(n);
            case SN_CR_LISTEN, SN_CR_CONNECT, SN_CR_DISCON -> {
                // TCP: state only; the emulator carries MACRAW data alone.
            }
            default -> invalid(String.format("unknown socket command 0x%02X on socket %d", command, n));
        }
        s[SN_CR] = 0;
    }

    private void open(int n) {
        int rxTotal = 0;
        int txTotal = 0;
        for (int i = 0; i < SOCKETS; i++) {
            rxTotal += socket[i][SN_RXBUF_SIZE];
            txTotal += socket[i][SN_TXBUF_SIZE];
        }
        if (rxTotal > 16 || txTotal > 16) {
            invalid("OPEN with " + rxTotal + " KiB RX / " + txTotal + " KiB TX allocated in total (at most 16 each)");
        }
        byte[] s = socket[n];
        int protocol = s[SN_MR] & SN_MR_PROTOCOL_MASK;
        switch (protocol) {
            case SN_MR_MACRAW -> {
                if (n != 0) {
                    invalid("MACRAW opened on socket " + n + " (only socket 0 supports it)");
                }
                s[SN_SR] = (byte) SN_SR_MACRAW;
            }
            case SN_MR_TCP -> s[SN_SR] = SN_SR_INIT;
            case SN_MR_UDP -> s[SN_SR] = SN_SR_UDP;
            case 0x03 -> s[SN_SR] = 0x32;
            default -> invalid("OPEN with Sn_MR protocol " + protocol + " on socket " + n);
        }
        txRead[n] = 0;
        txWriteInternal[n] = 0;
        rxWrite[n] = 0;
        rxReadInternal[n] = 0;
        put16(s, SN_TX_WR, 0);
        put16(s, SN_RX_RD, 0);
        if (n == 0) {
            recordCount = 0;
            sendCountdown = -1;
            sendHanging = false;
            transmitterWedged = false;
        }
    }

    private void send(int n) {
        byte[] s = socket[n];
        if ((s[SN_SR] & 0xFF) != SN_SR_MACRAW) {
            if ((s[SN_SR] & 0xFF) == SN_SR_CLOSED) {
                invalid("SEND on closed socket " + n);
            }
            return;
        }
        if (sendCountdown >= 0 || sendHanging) {
            invalid("SEND while the previous SEND is still in progress (wait for SEND_OK or TX_RD)");
            return;
        }
        txWriteInternal[n] = get16(s, SN_TX_WR);
        int length = (txWriteInternal[n] - txRead[n]) & 0xFFFF;
        if (length < 14 || length > MAX_FRAME) {
            invalid("MACRAW SEND of " + length + " bytes (TX_WR - TX_RD must be 14..1514)");
            txRead[n] = txWriteInternal[n];
            return;
        }
        if (transmitterWedged && n == 0) {
            sendHanging = true;
            return;
        }
        if (sendLatency > 0) {
            sendCountdown = sendLatency;
        } else {
            completeSend(n);
        }
    }

    private void completeSend(int n) {
        int size = txSize(n);
        int length = (txWriteInternal[n] - txRead[n]) & 0xFFFF;
        int start = txRead[n];
        for (int i = 0; i < length; i++) {
            sendBuffer[i] = txMemory[n][(start + i) & (size - 1)];
        }
        emit(sendBuffer, 0, length);
        txRead[n] = txWriteInternal[n];
        socket[n][SN_IR] |= SN_IR_SEND_OK;
    }

    private void recv(int n) {
        byte[] s = socket[n];
        int newRead = get16(s, SN_RX_RD);
        int consumed = (newRead - rxReadInternal[n]) & 0xFFFF;
        int available = received(n);
        if (consumed > available) {
            invalid(String.format("RECV with RX_RD 0x%04X: %d bytes past RX_WR (only %d received)",
                    newRead, consumed, available));
            return;
        }
        if (n == 0 && consumed > 0) {
            // Records must be consumed whole: RX_RD has to land on a record start or on RX_WR.
            while (recordCount > 0 && ((recordStarts[recordHead] - rxReadInternal[n]) & 0xFFFF) < consumed) {
                recordHead = (recordHead + 1) % MAX_RECORDS;
                recordCount--;
            }
            boolean onBoundary = newRead == rxWrite[n] || (recordCount > 0 && recordStarts[recordHead] == newRead);
            if (!onBoundary) {
                invalid(String.format("RECV with RX_RD 0x%04X, not on a MACRAW record boundary", newRead));
            }
        }
        rxReadInternal[n] = newRead;
        if (received(n) > 0) {
            s[SN_IR] |= SN_IR_RECV;
        }
    }

    // ---- PHY side ----

    @Override
    protected boolean receiveFromWire(byte[] frame, int length) {
        byte[] s = socket[0];
        if ((s[SN_SR] & 0xFF) != SN_SR_MACRAW) {
            return false;
        }
        int mr = s[SN_MR] & 0xFF;
        boolean broadcast = isBroadcast(frame);
        boolean multicast = !broadcast && isMulticast(frame);
        if ((mr & SN_MR_MFEN) != 0) {
            boolean ours = destinationIs(frame, common, SHAR);
            if (!(ours || broadcast || (multicast && (mr & SN_MR_MMB) == 0))) {
                return false;
            }
        }
        if (broadcast && (mr & SN_MR_BCASTB) != 0) {
            return false;
        }
        int size = rxSize(0);
        int record = length + MACRAW_RECORD_HEADER;
        if (size == 0 || record > size - received(0) || recordCount == MAX_RECORDS) {
            return false;
        }
        int at = rxWrite[0];
        byte[] memory = rxMemory[0];
        int mask = size - 1;
        memory[at & mask] = (byte) (record >>> 8);
        memory[(at + 1) & mask] = (byte) record;
        for (int i = 0; i < length; i++) {
            memory[(at + 2 + i) & mask] = frame[i];
        }
        recordStarts[(recordHead + recordCount) % MAX_RECORDS] = at;
        recordCount++;
        rxWrite[0] = (at + record) & 0xFFFF;
        s[SN_IR] |= SN_IR_RECV;
        return true;
    }

    @Override
    protected void linkChanged(boolean up) {
        // PHYCFGR.LNK is derived from link() on every read.
        if (!up && sendStuckAfterLinkFlap) {
            transmitterWedged = true;
            if (sendCountdown >= 0) {
                sendCountdown = -1;
                sendHanging = true;
            }
        }
    }

    @Override
    protected boolean interruptAsserted() {
        return (socketInterrupts() & (common[SIMR] & 0xFF)) != 0 || (common[IR] & common[IMR]) != 0;
    }

    private int socketInterrupts() {
        int sir = 0;
        for (int n = 0; n < SOCKETS; n++) {
            if ((socket[n][SN_IR] & socket[n][SN_IMR]) != 0) {
                sir |= 1 << n;
            }
        }
        return sir;
    }

    // ---- state for tests ----

    /** Socket 0's received-but-not-consumed byte count, as RSR would read. */
    public int receivedSize() {
        return received(0);
    }

    /** Socket {@code n}'s Sn_SR. */
    public int socketStatus(int n) {
        return socket[n][SN_SR] & 0xFF;
    }

    /** SHAR as the driver set it. */
    public long stationAddress() {
        return MacAddress.read(common, SHAR);
    }

    /** Socket 0's Sn_MR. */
    public int socketMode() {
        return socket[0][SN_MR] & 0xFF;
    }

    private int received(int n) {
        return (rxWrite[n] - rxReadInternal[n]) & 0xFFFF;
    }

    private int rxSize(int n) {
        return (socket[n][SN_RXBUF_SIZE] & 0xFF) * 1024;
    }

    private int txSize(int n) {
        return (socket[n][SN_TXBUF_SIZE] & 0xFF) * 1024;
    }

    private static int byteOf(int value, int index) {
        return index == 0 ? (value >>> 8) & 0xFF : value & 0xFF;
    }

    private static int get16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static void put16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }
}
