package dev.spinet.harness.emu;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.*;

import dev.spinet.hal.clock.NanoClock;
import java.util.zip.CRC32;

/**
 * A register-level Microchip ENC28J60 rev B7 (datasheet DS39662E, errata DS80349) for tests and
 * desktop runs: the seven SPI instructions with their argument rules (RCR returns a dummy byte
 * first for MAC and MII registers, BFS/BFC only on ETH registers, SRC alone), four register banks
 * with the common 1B..1F, reset values, read-only registers, the 8 KiB buffer memory with
 * AUTOINC and the receive-FIFO wrap of ERDPT from ERXND to ERXST, ERXRDPT latched low byte, the
 * receive status vector (next pointer, byte count including the FCS, status bits) and packets
 * padded to even addresses, hardware that never writes over ERXRDPT (overflow sets RXERIF),
 * EPKTCNT and PKTDEC, receive filters (ERXFCON unicast/multicast/broadcast, AND/OR, 0 =
 * everything), transmit with the per-packet control byte, padding and the 7-byte TSV, EIR/EIE and
 * the INT pin, MII access with MISTAT.BUSY, PHY registers (link, PHIR clearing LINKIF, PHY
 * loopback, duplex).
 *
 * <p>Errata behaviours a driver must survive: the receive write pointer does not follow ERXST
 * (start at 0), an even ERXRDPT is recorded (it corrupts the FIFO on silicon), CLKRDY reads 1 at
 * once after SRC but the chip ignores access for 1 ms, PKTIF can be made unreliable
 * ({@link #setPktifBroken}), after a transmit abort the TX logic stalls until a TXRST pulse, and
 * late collisions can be injected ({@link #injectLateCollisions}), as can a corrupt next-packet
 * pointer ({@link #corruptNextPacketPointer}), a MISO glitch in a status vector
 * ({@link #corruptNextStatusVector}), a saturated EPKTCNT ({@link #saturatePacketCount}), and those
 * of every {@link ChipEmulator} (cable pulled, INT held, brown-out).
 */
public final class Enc28j60Emulator extends ChipEmulator {

    /** The MAC {@link #Enc28j60Emulator()} suggests to its driver: 02:00:00:00:28:60. */
    public static final long DEFAULT_MAC = 0x0200_0000_2860L;

    private static final long RESET_DELAY_NANOS = 1_000_000L;

    private final long mac;
    private final NanoClock clock;
    private final byte[][] banks = new byte[4][32];
    private final byte[] common = new byte[5];
    private final byte[] memory = new byte[BUFFER_SIZE];
    /** Addresses where a received packet's status vector starts (cleared where a later packet overwrote it). */
    private final boolean[] packetStart = new boolean[BUFFER_SIZE];
    private final int[] phy = new int[32];
    private final byte[] frame = new byte[MAX_FRAME_WITH_FCS + 64];
    private final CRC32 crc = new CRC32();

    private int writePointerInternal;
    private int readPointerLowLatch;
    private boolean linkInterrupt;
    private int miiBusyReads;
    private int miiBusyReadsLeft;
    private boolean txStalled;
    private int transmitLatency;
    private int transmitCountdown = -1;
    private int lateCollisionsToInject;
    private int stuckTransmitsToInject;
    private boolean loopbackBroken;
    private boolean corruptNext;
    private boolean pktifBroken;
    private boolean badFcs;
    private int corruptVectorByte = -1;
    private int corruptVectorMask;
    /** Transaction index whose MISO byte is corrupted in the current RBM, or -1. */
    private int corruptingIndex = -1;
    private long resetAt;
    private boolean resetPending;
    private long overflows;

    // current transaction
    private int opcode;
    private int argument;
    private int transactionBank;
    private boolean ignoring;

    public Enc28j60Emulator() {
        this(DEFAULT_MAC, NanoClock.SYSTEM);
    }

    /**
     * @param clock measures the 1 ms after SRC during which the chip ignores SPI access (errata);
     *     give it the clock the driver waits on
     */
    public Enc28j60Emulator(long mac, NanoClock clock) {
        this.mac = mac;
        this.clock = clock;
        this.miiBusyReads = 1;
        powerOnReset();
    }

    public long mac() {
        return mac;
    }

    // ---- knobs ----

    /** MISTAT reads that still show BUSY after an MII operation (default 1). */
    public void setMiiBusyReads(int reads) {
        miiBusyReads = reads;
    }

    /** TXRTS stays set (the frame "leaves") for this many transactions after it is set. */
    public void setTransmitLatency(int transactions) {
        transmitLatency = transactions;
    }

    /** The next {@code count} transmissions abort with a late collision (TXERIF, TSV bit 29). */
    public void injectLateCollisions(int count) {
        lateCollisionsToInject = count;
    }

    /**
     * Errata DS80349 item 12: after a transmit abort the transmit logic may stall and "ECON1.TXRTS
     * will remain set indefinitely". The next {@code count} transmissions never leave: TXRTS stays
     * set, neither TXIF nor TXERIF is raised, and the logic stays stalled (setting TXRTS again is
     * recorded as invalid) until ECON1.TXRST is pulsed.
     */
    public void injectStuckTransmits(int count) {
        stuckTransmitsToInject = count;
    }

    /**
     * Errata DS80349 item 10: PHY internal loopback in full duplex is unreliable on every
     * revision. When broken, a frame sent with PHCON1.PLOOPBK set is lost (TXIF is still set: the
     * MAC finished sending it).
     */
    public void setLoopbackBroken(boolean broken) {
        loopbackBroken = broken;
    }

    /** The next received packet's status vector carries an odd, out-of-range next pointer. */
    public void corruptNextPacketPointer() {
        corruptNext = true;
    }

    /**
     * The next frame from the wire arrives with a bad FCS: dropped when ERXFCON.CRCEN is set,
     * otherwise stored with status bit 20 (CRC error) set and bit 23 (received OK) clear.
     */
    public void corruptNextFcs() {
        badFcs = true;
    }

    /**
     * A MISO glitch on the next RBM that starts at a received packet: byte {@code index} (0..5)
     * of its receive status vector reads XORed with {@code mask}; the buffer memory is intact.
     * Bytes 0-1 are the next-packet pointer, 2-3 the byte count, 4-5 the status bits 16-31
     * (bit 23, received OK, is bit 7 of byte 4).
     */
    public void corruptNextStatusVector(int index, int mask) {
        if (index < 0 || index >= RSV_LENGTH || (mask & 0xFF) == 0) {
            throw new IllegalArgumentException("status vector byte " + index + " mask " + mask + ": byte 0..5, mask 1..255");
        }
        corruptVectorByte = index;
        corruptVectorMask = mask & 0xFF;
    }

    /**
     * EPKTCNT jumps to 255 (the packet counter saturates with the FIFO holding only what it
     * holds): the chip then drops every arriving frame with RXERIF, as at a real count of 255,
     * until PKTDEC or RXRST bring the count down.
     */
    public void saturatePacketCount() {
        banks[1][EPKTCNT] = (byte) 255;
    }

    /** PKTIF never sets (errata: it does not reliably report pending packets). */
    public void setPktifBroken(boolean broken) {
        pktifBroken = broken;
    }

    // ---- reset ----

    @Override
    protected void powerOnReset() {
        for (int i = 0; i < 32; i++) {
            phy[i] = 0;
        }
        phy[PHSTAT1] = 0x1800;
        phy[PHID1] = PHID1_VALUE;
        phy[PHID2] = PHID2_VALUE;
        phy[PHLCON] = 0x3422;
        softReset();
        phy[PHSTAT2] = link() ? PHSTAT2_LSTAT : 0;
        if (link()) {
            phy[PHSTAT1] |= PHSTAT1_LLSTAT;
        }
    }

    private void softReset() {
        for (byte[] bank : banks) {
            java.util.Arrays.fill(bank, (byte) 0);
        }
        java.util.Arrays.fill(common, (byte) 0);
        put16(0, ERDPTL, 0x05FA);
        put16(0, ERXSTL, 0x05FA);
        put16(0, ERXNDL, 0x1FFF);
        put16(0, ERXRDPTL, 0x05FA);
        banks[1][ERXFCON] = (byte) (ERXFCON_UCEN | ERXFCON_CRCEN | ERXFCON_BCEN);
        put16(2, MAMXFLL, 0x0600);
        banks[2][MACLCON1] = 0x0F;
        banks[2][MACLCON2] = 0x37;
        banks[3][EREVID] = REVISION_B7;
        common[ECON2 - COMMON_START] = (byte) ECON2_AUTOINC;
        common[ESTAT - COMMON_START] = (byte) ESTAT_CLKRDY;
        writePointerInternal = 0;
        linkInterrupt = false;
        txStalled = false;
        transmitCountdown = -1;
        miiBusyReadsLeft = 0;
    }

    /**
     * The RESET pin was pulsed. The pin is sampled at the next transaction, so the time of the
     * rising edge is unknown here: the 1 ms start-up rule is enforced after SRC only.
     */
    @Override
    protected void hardwareReset() {
        powerOnReset();
    }

    // ---- SPI ----

    @Override
    protected void startTransaction() {
        corruptingIndex = -1;
        opcode = -1;
        argument = 0;
        transactionBank = econ1() & ECON1_BSEL_MASK;
        ignoring = false;
        if (resetPending) {
            if (clock.nanoTime() - resetAt < RESET_DELAY_NANOS) {
                ignoring = true;
            } else {
                resetPending = false;
            }
        }
    }

    @Override
    protected int exchange(int index, int mosi) {
        if (index == 0) {
            opcode = mosi;
            argument = mosi & ADDRESS_MASK;
            if (ignoring) {
                invalid(String.format("command 0x%02X within 1 ms of reset: the chip ignores it (errata: wait at least 1 ms, CLKRDY is not reliable)", mosi));
            }
            return 0;
        }
        if (ignoring) {
            return (opcode == (OP_RCR | ESTAT) && index == 1) ? ESTAT_CLKRDY : 0;
        }
        if (opcode == OP_RBM) {
            if (index == 1 && corruptVectorByte >= 0 && packetStart[get16(0, ERDPTL)]) {
                corruptingIndex = 1 + corruptVectorByte;
                corruptVectorByte = -1;
            }
            int value = readBufferByte();
            return index == corruptingIndex ? value ^ corruptVectorMask : value;
        }
        if (opcode == OP_WBM) {
            writeBufferByte(mosi);
            return 0;
        }
        int kind = opcode & 0xE0;
        boolean macOrMii = isMacOrMii(transactionBank, argument);
        switch (kind) {
            case OP_RCR -> {
                int valueIndex = macOrMii ? 2 : 1;
                return index == valueIndex ? readRegister(transactionBank, argument) : 0;
            }
            case OP_WCR -> {
                if (index == 1) {
                    writeRegister(transactionBank, argument, mosi);
                }
                return 0;
            }
            case OP_BFS, OP_BFC -> {
                if (index == 1) {
                    if (macOrMii) {
                        invalid(String.format("%s on MAC/MII register bank %d address 0x%02X (bit field operations only work on ETH registers)",
                                kind == OP_BFS ? "BFS" : "BFC", transactionBank, argument));
                    } else {
                        bitField(transactionBank, argument, mosi, kind == OP_BFS);
                    }
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    @Override
    protected void finishTransaction(int length) {
        if (length == 0) {
            return;
        }
        if (ignoring) {
            return;
        }
        if (opcode == OP_SRC) {
            if (length != 1) {
                invalid("SRC followed by " + (length - 1) + " more bytes in the same chip-select period");
            }
            softReset();
            resetAt = clock.nanoTime();
            resetPending = true;
            return;
        }
        if (opcode == OP_RBM || opcode == OP_WBM) {
            return;
        }
        int kind = opcode & 0xE0;
        if (kind != OP_RCR && kind != OP_WCR && kind != OP_BFS && kind != OP_BFC) {
            invalid(String.format("unknown SPI instruction byte 0x%02X", opcode));
            return;
        }
        int expected = kind == OP_RCR && isMacOrMii(transactionBank, argument) ? 3 : 2;
        if (length != expected) {
            invalid(String.format("instruction 0x%02X (bank %d) in a %d-byte transaction; expected %d",
                    opcode, transactionBank, length, expected));
        }
    }

    @Override
    protected void afterTransaction() {
        if (transmitCountdown > 0) {
            transmitCountdown--;
        }
        if (transmitCountdown == 0) {
            transmitCountdown = -1;
            completeTransmit();
        }
    }

    private int readBufferByte() {
        int pointer = get16(0, ERDPTL);
        int value = memory[pointer] & 0xFF;
        if ((common[ECON2 - COMMON_START] & ECON2_AUTOINC) != 0) {
            int next;
            if (pointer == get16(0, ERXNDL)) {
                next = get16(0, ERXSTL);
            } else {
                next = pointer == BUFFER_END ? 0 : pointer + 1;
            }
            put16(0, ERDPTL, next);
        }
        return value;
    }

    private void writeBufferByte(int value) {
        int pointer = get16(0, EWRPTL);
        memory[pointer] = (byte) value;
        if ((common[ECON2 - COMMON_START] & ECON2_AUTOINC) != 0) {
            put16(0, EWRPTL, pointer == BUFFER_END ? 0 : pointer + 1);
        }
    }

    // ---- registers ----

    private int econ1() {
        return common[ECON1 - COMMON_START] & 0xFF;
    }

    private int eir() {
        int value = common[EIR - COMMON_START] & (EI_DMA | EI_TX | EI_TXER | EI_RXER);
        if (!pktifBroken && (banks[1][EPKTCNT] & 0xFF) > 0) {
            value |= EI_PKT;
        }
        if (linkInterrupt) {
            value |= EI_LINK;
        }
        return value;
    }

    private int readRegister(int bank, int address) {
        if (address >= COMMON_START) {
            return switch (address) {
                case EIR -> eir();
                case ESTAT -> (common[ESTAT - COMMON_START] & 0x7F) | (interruptAsserted() ? ESTAT_INT : 0);
                default -> common[address - COMMON_START] & 0xFF;
            };
        }
        if (bank == 3 && address == MISTAT) {
            if (miiBusyReadsLeft > 0) {
                miiBusyReadsLeft--;
                return MISTAT_BUSY;
            }
            return 0;
        }
        if (bank == 2 && (address == MIRDL || address == MIRDH) && miiBusyReadsLeft > 0) {
            invalid("MIRD read while MISTAT.BUSY is set");
        }
        return banks[bank][address] & 0xFF;
    }

    private void bitField(int bank, int address, int mask, boolean set) {
        int current = address >= COMMON_START ? common[address - COMMON_START] & 0xFF : banks[bank][address] & 0xFF;
        if (address == EIR) {
            current = common[EIR - COMMON_START] & 0xFF;
        }
        int value = set ? current | mask : current & ~mask;
        if (address == ESTAT) {
            common[ESTAT - COMMON_START] = (byte) value;
            return;
        }
        writeRegister(bank, address, value);
    }

    private void writeRegister(int bank, int address, int value) {
        if (address >= COMMON_START) {
            writeCommon(address, value);
            return;
        }
        byte[] regs = banks[bank];
        switch (bank) {
            case 0 -> {
                switch (address) {
                    case ERXRDPTL -> readPointerLowLatch = value;
                    case ERXRDPTH -> {
                        int pointer = ((value & 0x1F) << 8) | readPointerLowLatch;
                        if ((pointer & 1) == 0) {
                            invalid(String.format("ERXRDPT written even (0x%04X): errata B7 item: the FIFO can be corrupted; write it odd", pointer));
                        }
                        int start = get16(0, ERXSTL);
                        int end = get16(0, ERXNDL);
                        if (pointer < start || pointer > end) {
                            invalid(String.format("ERXRDPT 0x%04X outside the receive FIFO 0x%04X..0x%04X", pointer, start, end));
                        }
                        put16(0, ERXRDPTL, pointer);
                    }
                    case ERXWRPTL, ERXWRPTH -> invalid("write to read-only ERXWRPT");
                    case ERXSTL, ERXSTH, ERXNDL, ERXNDH -> {
                        if ((econ1() & ECON1_RXEN) != 0) {
                            invalid("ERXST/ERXND changed while RXEN is set");
                        }
                        regs[address] = (byte) (address % 2 == 1 ? value & 0x1F : value);
                    }
                    default -> {
                        if (address > 0x17) {
                            invalid(String.format("write to reserved bank 0 address 0x%02X", address));
                            return;
                        }
                        regs[address] = (byte) (address % 2 == 1 && address < 0x18 ? value & 0x1F : value);
                    }
                }
            }
            case 1 -> {
                if (address == EPKTCNT) {
                    invalid("write to EPKTCNT (decrement it with ECON2.PKTDEC)");
                    return;
                }
                regs[address] = (byte) value;
            }
            case 2 -> writeMii(address, value);
            default -> {
                if (address == MISTAT || address == EREVID) {
                    invalid(String.format("write to read-only bank 3 register 0x%02X", address));
                    return;
                }
                regs[address] = (byte) value;
            }
        }
    }

    private void writeMii(int address, int value) {
        byte[] regs = banks[2];
        if (address == MIRDL || address == MIRDH) {
            invalid("write to read-only MIRD");
            return;
        }
        if (miiBusyReadsLeft > 0 && (address == MIREGADR || address == MIWRL || address == MIWRH || address == MICMD)) {
            invalid(String.format("MII register 0x%02X written while MISTAT.BUSY is set", address));
        }
        int previous = regs[address] & 0xFF;
        regs[address] = (byte) value;
        if (address == MICMD && (value & MICMD_MIIRD) != 0 && (previous & MICMD_MIIRD) == 0) {
            int register = regs[MIREGADR] & 0x1F;
            int data = readPhy(register);
            regs[MIRDL] = (byte) data;
            regs[MIRDH] = (byte) (data >>> 8);
            miiBusyReadsLeft = miiBusyReads;
        } else if (address == MIWRH) {
            int register = regs[MIREGADR] & 0x1F;
            writePhy(register, ((value & 0xFF) << 8) | (regs[MIWRL] & 0xFF));
            miiBusyReadsLeft = miiBusyReads;
        }
    }

    private void writeCommon(int address, int value) {
        int index = address - COMMON_START;
        switch (address) {
            case EIE -> common[index] = (byte) value;
            case EIR -> {
                int writable = EI_DMA | EI_TX | EI_TXER | EI_RXER;
                common[index] = (byte) (value & writable);
            }
            case ESTAT -> invalid("WCR to ESTAT (read-only; clear TXABRT/LATECOL/BUFER with BFC)");
            case ECON2 -> {
                if ((value & ECON2_PKTDEC) != 0) {
                    int count = banks[1][EPKTCNT] & 0xFF;
                    if (count == 0) {
                        invalid("PKTDEC with EPKTCNT already 0");
                    } else {
                        banks[1][EPKTCNT] = (byte) (count - 1);
                    }
                }
                common[index] = (byte) (value & ~ECON2_PKTDEC);
            }
            default -> writeEcon1(value);
        }
    }

    private void writeEcon1(int value) {
        int previous = econ1();
        common[ECON1 - COMMON_START] = (byte) value;
        if ((value & ECON1_TXRST) != 0) {
            txStalled = false;
            transmitCountdown = -1;
            common[ECON1 - COMMON_START] &= (byte) ~ECON1_TXRTS;
            return;
        }
        if ((value & ECON1_RXRST) != 0) {
            banks[1][EPKTCNT] = 0;
            writePointerInternal = get16(0, ERXSTL);
            put16(0, ERXWRPTL, writePointerInternal);
        }
        if ((value & ECON1_DMAST) != 0) {
            invalid("DMA (ECON1.DMAST) is not emulated");
            common[ECON1 - COMMON_START] &= (byte) ~ECON1_DMAST;
        }
        if ((value & ECON1_RXEN) != 0 && (previous & ECON1_RXEN) == 0) {
            if (get16(0, ERXSTL) != 0) {
                invalid(String.format("receive enabled with ERXST 0x%04X: errata B7: the receive buffer must start at 0", get16(0, ERXSTL)));
            }
        }
        if ((previous & ECON1_TXRTS) != 0 && (value & ECON1_TXRTS) == 0 && transmitCountdown >= 0) {
            // Clearing TXRTS aborts a transmission in progress (datasheet 7.1).
            transmitCountdown = -1;
        }
        if ((value & ECON1_TXRTS) != 0 && (previous & ECON1_TXRTS) == 0) {
            startTransmit();
        }
    }

    // ---- PHY ----

    private int readPhy(int register) {
        int value = phy[register];
        if (register == PHIR) {
            phy[PHIR] = 0;
            linkInterrupt = false;
        } else if (register == PHSTAT1) {
            phy[PHSTAT1] = (phy[PHSTAT1] & ~PHSTAT1_LLSTAT) | (link() ? PHSTAT1_LLSTAT : 0);
        }
        return value;
    }

    private void writePhy(int register, int value) {
        switch (register) {
            case PHCON1 -> {
                if ((value & PHCON1_PRST) != 0) {
                    phy[PHCON1] = 0;
                    phy[PHCON2] = 0;
                    phy[PHIE] = 0;
                    phy[PHIR] = 0;
                    return;
                }
                phy[PHCON1] = value;
            }
            case PHSTAT1, PHSTAT2, PHID1, PHID2, PHIR -> invalid(String.format("write 0x%04X to read-only PHY register 0x%02X", value, register));
            default -> phy[register] = value;
        }
    }

    @Override
    protected void linkChanged(boolean up) {
        phy[PHSTAT2] = up ? phy[PHSTAT2] | PHSTAT2_LSTAT : phy[PHSTAT2] & ~PHSTAT2_LSTAT;
        if (!up) {
            phy[PHSTAT1] &= ~PHSTAT1_LLSTAT;
        }
        phy[PHIR] |= PHIR_PLNKIF | PHIR_PGIF;
        if ((phy[PHIE] & (PHIE_PGEIE | PHIE_PLNKIE)) == (PHIE_PGEIE | PHIE_PLNKIE)) {
            linkInterrupt = true;
        }
    }

    // ---- transmit ----

    private void startTransmit() {
        if (txStalled) {
            invalid("TXRTS set after a transmit abort without a TXRST pulse (errata B7: the transmit logic stalls; TXRTS stays set)");
            return;
        }
        int start = get16(0, ETXSTL);
        int end = get16(0, ETXNDL);
        int length = end - start;
        if (length < 14 || length > MAX_FRAME) {
            invalid(String.format("TXRTS with ETXST 0x%04X / ETXND 0x%04X: frame of %d bytes", start, end, length));
            common[ECON1 - COMMON_START] &= (byte) ~ECON1_TXRTS;
            return;
        }
        boolean macFull = (banks[2][MACON3] & MACON3_FULDPX) != 0;
        boolean phyFull = (phy[PHCON1] & PHCON1_PDPXMD) != 0;
        if (macFull != phyFull) {
            invalid("MACON3.FULDPX and PHCON1.PDPXMD disagree (datasheet 6.6: they must match)");
        }
        if (stuckTransmitsToInject > 0) {
            stuckTransmitsToInject--;
            txStalled = true;
            return;
        }
        if (transmitLatency > 0) {
            transmitCountdown = transmitLatency;
        } else {
            completeTransmit();
        }
    }

    private void completeTransmit() {
        int start = get16(0, ETXSTL);
        int end = get16(0, ETXNDL);
        int length = end - start;
        int control = memory[start] & 0xFF;
        boolean pad = (control & 1) != 0 ? (control & 0x04) != 0 : (banks[2][MACON3] & MACON3_PADCFG_MASK) != 0;
        System.arraycopy(memory, start + 1, frame, 0, length);
        int wireLength = length;
        if (pad && length < 60) {
            java.util.Arrays.fill(frame, length, 60, (byte) 0);
            wireLength = 60;
        }
        int tsvAt = end + 1;
        for (int i = 0; i < TSV_LENGTH; i++) {
            memory[(tsvAt + i) & BUFFER_END] = 0;
        }
        memory[tsvAt & BUFFER_END] = (byte) (wireLength + 4);
        memory[(tsvAt + 1) & BUFFER_END] = (byte) ((wireLength + 4) >>> 8);
        common[ECON1 - COMMON_START] &= (byte) ~ECON1_TXRTS;
        if (lateCollisionsToInject > 0) {
            lateCollisionsToInject--;
            memory[(tsvAt + TSV_LATE_COLLISION_BIT / 8) & BUFFER_END] |= (byte) (1 << (TSV_LATE_COLLISION_BIT % 8));
            common[EIR - COMMON_START] |= EI_TXER;
            common[ESTAT - COMMON_START] |= ESTAT_TXABRT | ESTAT_LATECOL;
            txStalled = true;
            return;
        }
        memory[(tsvAt + TSV_DONE_BIT / 8) & BUFFER_END] |= (byte) (1 << (TSV_DONE_BIT % 8));
        common[EIR - COMMON_START] |= EI_TX;
        if ((phy[PHCON1] & PHCON1_PLOOPBK) != 0) {
            if (!loopbackBroken) {
                store(frame, wireLength);
            }
        } else {
            emit(frame, 0, wireLength);
        }
    }

    // ---- receive ----

    @Override
    protected boolean receiveFromWire(byte[] incoming, int length) {
        if ((phy[PHCON1] & PHCON1_PLOOPBK) != 0) {
            return false;
        }
        System.arraycopy(incoming, 0, frame, 0, length);
        return store(frame, length);
    }

    private boolean store(byte[] data, int length) {
        if ((econ1() & ECON1_RXEN) == 0 || (econ1() & ECON1_RXRST) != 0) {
            return false;
        }
        boolean broadcast = isBroadcast(data);
        boolean multicast = isMulticast(data);
        if (!passesFilter(data, broadcast, multicast)) {
            return false;
        }
        boolean crcError = badFcs;
        badFcs = false;
        if (crcError && (banks[1][ERXFCON] & ERXFCON_CRCEN) != 0) {
            return false;
        }
        int count = length + FCS_LENGTH;
        if (count > get16(2, MAMXFLL) && (banks[2][MACON3] & MACON3_HFRMEN) == 0) {
            return false;
        }
        int start = get16(0, ERXSTL);
        int end = get16(0, ERXNDL);
        int size = end - start + 1;
        int packet = (RSV_LENGTH + count + 1) & ~1;
        int readPointer = get16(0, ERXRDPTL);
        int free = readPointer - writePointerInternal;
        if (free < 0) {
            free += size;
        }
        if (packet > free || (banks[1][EPKTCNT] & 0xFF) == 255) {
            common[EIR - COMMON_START] |= EI_RXER;
            common[ESTAT - COMMON_START] |= ESTAT_BUFER;
            overflows++;
            return false;
        }
        int at = writePointerInternal;
        int next = at + packet;
        if (next > end) {
            next -= size;
        }
        crc.reset();
        crc.update(data, 0, length);
        long fcs = crcError ? ~crc.getValue() : crc.getValue();
        int status = count | (crcError ? RSV_CRC_ERROR : RSV_RECEIVED_OK) | (multicast && !broadcast ? RSV_MULTICAST : 0) | (broadcast ? RSV_BROADCAST : 0);
        int vectorNext = next;
        if (corruptNext) {
            corruptNext = false;
            vectorNext = 0x1FFF;
        }
        markPacket(at, packet, start, end);
        at = putFifo(at, vectorNext, start, end);
        at = putFifo(at, vectorNext >>> 8, start, end);
        at = putFifo(at, status, start, end);
        at = putFifo(at, status >>> 8, start, end);
        at = putFifo(at, status >>> 16, start, end);
        at = putFifo(at, status >>> 24, start, end);
        for (int i = 0; i < length; i++) {
            at = putFifo(at, data[i], start, end);
        }
        for (int i = 0; i < 4; i++) {
            at = putFifo(at, (int) (fcs >>> (8 * i)), start, end);
        }
        writePointerInternal = next;
        put16(0, ERXWRPTL, next);
        banks[1][EPKTCNT] = (byte) ((banks[1][EPKTCNT] & 0xFF) + 1);
        return true;
    }

    /** Remembers where this packet's status vector starts, forgetting starts it overwrites. */
    private void markPacket(int at, int packet, int start, int end) {
        int position = at;
        for (int i = 0; i < packet; i++) {
            packetStart[position] = false;
            position = position == end ? start : position + 1;
        }
        packetStart[at] = true;
    }

    private int putFifo(int at, int value, int start, int end) {
        memory[at] = (byte) value;
        return at == end ? start : at + 1;
    }

    private boolean passesFilter(byte[] data, boolean broadcast, boolean multicast) {
        int filter = banks[1][ERXFCON] & 0xFF;
        int enabled = filter & (ERXFCON_UCEN | ERXFCON_MCEN | ERXFCON_BCEN | ERXFCON_PMEN | ERXFCON_MPEN | ERXFCON_HTEN);
        if (enabled == 0) {
            return true;
        }
        boolean unicast = (filter & ERXFCON_UCEN) != 0 && matchesStation(data);
        boolean multi = (filter & ERXFCON_MCEN) != 0 && multicast;
        boolean broad = (filter & ERXFCON_BCEN) != 0 && broadcast;
        if ((filter & ERXFCON_ANDOR) == 0) {
            return unicast || multi || broad;
        }
        return ((filter & ERXFCON_UCEN) == 0 || unicast) && ((filter & ERXFCON_MCEN) == 0 || multi)
                && ((filter & ERXFCON_BCEN) == 0 || broad);
    }

    private boolean matchesStation(byte[] data) {
        byte[] b3 = banks[3];
        return data[0] == b3[MAADR1] && data[1] == b3[MAADR2] && data[2] == b3[MAADR3]
                && data[3] == b3[MAADR4] && data[4] == b3[MAADR5] && data[5] == b3[MAADR6];
    }

    @Override
    protected boolean interruptAsserted() {
        int eie = common[EIE - COMMON_START] & 0xFF;
        return (eie & EIE_INTIE) != 0 && (eir() & eie & 0x7F) != 0;
    }

    // ---- state for tests ----

    /** Whether a frame of {@code length} bytes (no FCS) would fit in the receive FIFO now. */
    public boolean hasRoomFor(int length) {
        int start = get16(0, ERXSTL);
        int size = get16(0, ERXNDL) - start + 1;
        int free = get16(0, ERXRDPTL) - writePointerInternal;
        if (free < 0) {
            free += size;
        }
        return ((RSV_LENGTH + length + FCS_LENGTH + 1) & ~1) <= free && (banks[1][EPKTCNT] & 0xFF) < 255;
    }

    /**
     * Whether the chip is still in the start-up time after SRC (errata: 1 ms, during which it
     * ignores SPI access), as far as it has noticed: the first transaction after that time ends it.
     * A simulation whose polls take no time lets a driver's start-up wait pass while this holds.
     */
    public boolean startingUp() {
        return resetPending;
    }

    /** EPKTCNT. */
    public int packetCount() {
        return banks[1][EPKTCNT] & 0xFF;
    }

    /** Frames dropped because the FIFO (or EPKTCNT) was full. */
    public long overflows() {
        return overflows;
    }

    /** A PHY register as the chip holds it (no read side effects). */
    public int phyRegister(int register) {
        return phy[register];
    }

    /** A control register as the chip holds it (no read side effects). */
    public int register(int bank, int address) {
        return address >= COMMON_START ? common[address - COMMON_START] & 0xFF : banks[bank][address] & 0xFF;
    }

    /** A byte of buffer memory. */
    public int memory(int address) {
        return memory[address] & 0xFF;
    }

    private int get16(int bank, int lowAddress) {
        return (banks[bank][lowAddress] & 0xFF) | ((banks[bank][lowAddress + 1] & 0xFF) << 8);
    }

    private void put16(int bank, int lowAddress, int value) {
        banks[bank][lowAddress] = (byte) value;
        banks[bank][lowAddress + 1] = (byte) (value >>> 8);
    }
}
