package dev.spinet.hal.eth.w5500;

/**
 * The W5500 register map and SPI frame format (W5500 datasheet v1.0.9, sections 2.2 and 4), as
 * constants shared by {@link W5500Driver} and the test-harness emulator.
 *
 * <pre>
 * SPI frame (one chip-select period):
 *  0        8        16                24
 * +--------+--------+--------+--------+----------------
 * | offset high     | control         | data ... (offset auto-increments)
 * +--------+--------+--------+--------+----------------
 * control byte:  7      3   2    1  0
 *               +--------+----+-----+
 *               |  BSB   |RWB | OM  |   BSB block select, RWB 1 = write,
 *               +--------+----+-----+   OM 00 variable length, 01/10/11 fixed 1/2/4 bytes
 * </pre>
 *
 * <p>16-bit registers are big-endian. Socket pointers are free-running 16-bit values.
 */
public final class W5500Registers {

    private W5500Registers() {
    }

    // ---- control byte ----
    public static final int HEADER_LENGTH = 3;
    public static final int BSB_SHIFT = 3;
    public static final int RWB_WRITE = 0x04;
    public static final int OM_VARIABLE = 0x00;
    public static final int OM_FIXED_1 = 0x01;
    public static final int OM_FIXED_2 = 0x02;
    public static final int OM_FIXED_4 = 0x03;
    public static final int OM_MASK = 0x03;

    /** Block select of the common registers. */
    public static final int BSB_COMMON = 0x00;

    /** Block select of socket {@code n}'s registers: 4n+1. */
    public static int bsbSocketRegisters(int n) {
        return 4 * n + 1;
    }

    /** Block select of socket {@code n}'s TX buffer: 4n+2. */
    public static int bsbSocketTxBuffer(int n) {
        return 4 * n + 2;
    }

    /** Block select of socket {@code n}'s RX buffer: 4n+3. */
    public static int bsbSocketRxBuffer(int n) {
        return 4 * n + 3;
    }

    /** A control byte for a variable-length read of block {@code bsb}. */
    public static int controlRead(int bsb) {
        return (bsb << BSB_SHIFT) | OM_VARIABLE;
    }

    /** A control byte for a variable-length write of block {@code bsb}. */
    public static int controlWrite(int bsb) {
        return (bsb << BSB_SHIFT) | RWB_WRITE | OM_VARIABLE;
    }

    // ---- common registers (datasheet 4.1) ----
    public static final int MR = 0x0000;
    public static final int GAR = 0x0001;
    public static final int SUBR = 0x0005;
    public static final int SHAR = 0x0009;
    public static final int SIPR = 0x000F;
    public static final int INTLEVEL = 0x0013;
    public static final int IR = 0x0015;
    public static final int IMR = 0x0016;
    public static final int SIR = 0x0017;
    public static final int SIMR = 0x0018;
    public static final int RTR = 0x0019;
    public static final int RCR = 0x001B;
    public static final int PTIMER = 0x001C;
    public static final int PMAGIC = 0x001D;
    public static final int PHAR = 0x001E;
    public static final int PSID = 0x0024;
    public static final int PMRU = 0x0026;
    public static final int UIPR = 0x0028;
    public static final int UPORTR = 0x002C;
    public static final int PHYCFGR = 0x002E;
    public static final int VERSIONR = 0x0039;
    /** One past the last common register. */
    public static final int COMMON_END = 0x003A;

    public static final int MR_RST = 0x80;
    public static final int MR_WOL = 0x20;
    public static final int MR_PB = 0x10;
    public static final int MR_PPPOE = 0x08;
    public static final int MR_FARP = 0x02;

    public static final int PHYCFGR_RST = 0x80;
    public static final int PHYCFGR_OPMD = 0x40;
    public static final int PHYCFGR_OPMDC_MASK = 0x38;
    public static final int PHYCFGR_DPX = 0x04;
    public static final int PHYCFGR_SPD = 0x02;
    public static final int PHYCFGR_LNK = 0x01;
    /** PHYCFGR after reset without a link: RST high, OPMD 0, OPMDC 111 (all capable, auto-negotiation). */
    public static final int PHYCFGR_RESET_VALUE = 0xB8;

    /** VERSIONR of every W5500. */
    public static final int VERSION = 0x04;
    /** RTR after reset: 2000 (200 ms in 100 us units). */
    public static final int RTR_RESET_VALUE = 0x07D0;

    // ---- socket registers (datasheet 4.2) ----
    public static final int SN_MR = 0x00;
    public static final int SN_CR = 0x01;
    public static final int SN_IR = 0x02;
    public static final int SN_SR = 0x03;
    public static final int SN_PORT = 0x04;
    public static final int SN_DHAR = 0x06;
    public static final int SN_DIPR = 0x0C;
    public static final int SN_DPORT = 0x10;
    public static final int SN_MSSR = 0x12;
    public static final int SN_TOS = 0x15;
    public static final int SN_TTL = 0x16;
    public static final int SN_RXBUF_SIZE = 0x1E;
    public static final int SN_TXBUF_SIZE = 0x1F;
    public static final int SN_TX_FSR = 0x20;
    public static final int SN_TX_RD = 0x22;
    public static final int SN_TX_WR = 0x24;
    public static final int SN_RX_RSR = 0x26;
    public static final int SN_RX_RD = 0x28;
    public static final int SN_RX_WR = 0x2A;
    public static final int SN_IMR = 0x2C;
    public static final int SN_FRAG = 0x2D;
    public static final int SN_KPALVTR = 0x2F;
    /** One past the last socket register. */
    public static final int SOCKET_END = 0x30;

    public static final int SN_MR_MFEN = 0x80;
    public static final int SN_MR_BCASTB = 0x40;
    public static final int SN_MR_MMB = 0x20;
    public static final int SN_MR_MIP6B = 0x10;
    public static final int SN_MR_PROTOCOL_MASK = 0x0F;
    public static final int SN_MR_TCP = 0x01;
    public static final int SN_MR_UDP = 0x02;
    public static final int SN_MR_MACRAW = 0x04;

    public static final int SN_CR_OPEN = 0x01;
    public static final int SN_CR_LISTEN = 0x02;
    public static final int SN_CR_CONNECT = 0x04;
    public static final int SN_CR_DISCON = 0x08;
    public static final int SN_CR_CLOSE = 0x10;
    public static final int SN_CR_SEND = 0x20;
    public static final int SN_CR_SEND_MAC = 0x21;
    public static final int SN_CR_SEND_KEEP = 0x22;
    public static final int SN_CR_RECV = 0x40;

    public static final int SN_IR_SEND_OK = 0x10;
    public static final int SN_IR_TIMEOUT = 0x08;
    public static final int SN_IR_RECV = 0x04;
    public static final int SN_IR_DISCON = 0x02;
    public static final int SN_IR_CON = 0x01;

    public static final int SN_SR_CLOSED = 0x00;
    public static final int SN_SR_INIT = 0x13;
    public static final int SN_SR_UDP = 0x22;
    public static final int SN_SR_MACRAW = 0x42;

    /** Socket buffer sizes in KiB the chip accepts in Sn_RXBUF_SIZE / Sn_TXBUF_SIZE. */
    public static boolean validBufferSizeKiB(int kib) {
        return kib == 0 || kib == 1 || kib == 2 || kib == 4 || kib == 8 || kib == 16;
    }

    public static final int SOCKETS = 8;
    /** Total buffer memory per direction, shared by the sockets. */
    public static final int BUFFER_MEMORY = 16 * 1024;
    /** Sn_RXBUF_SIZE / Sn_TXBUF_SIZE after reset (KiB). */
    public static final int DEFAULT_BUFFER_KIB = 2;

    /** Bytes of the length field heading each MACRAW receive record (it counts itself). */
    public static final int MACRAW_RECORD_HEADER = 2;
}
