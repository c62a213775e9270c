package dev.spinet.hal.eth.enc28j60;

/**
 * The ENC28J60 SPI instruction set, register map, bits and buffer layouts (datasheet DS39662E
 * sections 3-7 and errata DS80349 for rev B7), as constants shared by {@link Enc28j60Driver} and
 * the test-harness emulator.
 *
 * <pre>
 * first byte of every SPI command:   7   5 4       0
 *                                   +-----+---------+
 *                                   | op  | argument|   RCR 000, RBM 001 11010, WCR 010,
 *                                   +-----+---------+   WBM 011 11010, BFS 100, BFC 101, SRC 11111111
 * </pre>
 *
 * <p>Control registers: a 5-bit address inside the bank ECON1.BSEL1:0 selects; 1B..1F (EIE, EIR,
 * ESTAT, ECON2, ECON1) exist in every bank. Register constants here are the 5-bit address; MAC
 * and MII registers (banks 2 and 3) shift out a dummy byte before their value on RCR.
 *
 * <pre>
 * receive status vector (6 bytes, little-endian, before every received frame):
 *  0        2          4                    6
 * +--------+----------+--------------------+---- frame (byte count includes the 4-byte FCS),
 * | next   | byte     | status bits 16..31 |     then padding to an even address
 * | packet | count    | (20 CRC error, 23 OK, 24 multicast, 25 broadcast)
 * +--------+----------+--------------------+
 * </pre>
 */
public final class Enc28j60Registers {

    private Enc28j60Registers() {
    }

    // ---- SPI instructions (datasheet table 4-1) ----
    public static final int OP_RCR = 0x00;
    public static final int OP_RBM = 0x3A;
    public static final int OP_WCR = 0x40;
    public static final int OP_WBM = 0x7A;
    public static final int OP_BFS = 0x80;
    public static final int OP_BFC = 0xA0;
    public static final int OP_SRC = 0xFF;
    public static final int ADDRESS_MASK = 0x1F;

    // ---- every bank ----
    public static final int EIE = 0x1B;
    public static final int EIR = 0x1C;
    public static final int ESTAT = 0x1D;
    public static final int ECON2 = 0x1E;
    public static final int ECON1 = 0x1F;
    public static final int COMMON_START = 0x1B;

    // ---- bank 0 ----
    public static final int ERDPTL = 0x00;
    public static final int ERDPTH = 0x01;
    public static final int EWRPTL = 0x02;
    public static final int EWRPTH = 0x03;
    public static final int ETXSTL = 0x04;
    public static final int ETXSTH = 0x05;
    public static final int ETXNDL = 0x06;
    public static final int ETXNDH = 0x07;
    public static final int ERXSTL = 0x08;
    public static final int ERXSTH = 0x09;
    public static final int ERXNDL = 0x0A;
    public static final int ERXNDH = 0x0B;
    public static final int ERXRDPTL = 0x0C;
    public static final int ERXRDPTH = 0x0D;
    public static final int ERXWRPTL = 0x0E;
    public static final int ERXWRPTH = 0x0F;

    // ---- bank 1 ----
    public static final int ERXFCON = 0x18;
    public static final int EPKTCNT = 0x19;

    // ---- bank 2 (MAC and MII registers) ----
    public static final int MACON1 = 0x00;
    public static final int MACON3 = 0x02;
    public static final int MACON4 = 0x03;
    public static final int MABBIPG = 0x04;
    public static final int MAIPGL = 0x06;
    public static final int MAIPGH = 0x07;
    public static final int MACLCON1 = 0x08;
    public static final int MACLCON2 = 0x09;
    public static final int MAMXFLL = 0x0A;
    public static final int MAMXFLH = 0x0B;
    public static final int MICMD = 0x12;
    public static final int MIREGADR = 0x14;
    public static final int MIWRL = 0x16;
    public static final int MIWRH = 0x17;
    public static final int MIRDL = 0x18;
    public static final int MIRDH = 0x19;

    // ---- bank 3 ----
    public static final int MAADR5 = 0x00;
    public static final int MAADR6 = 0x01;
    public static final int MAADR3 = 0x02;
    public static final int MAADR4 = 0x03;
    public static final int MAADR1 = 0x04;
    public static final int MAADR2 = 0x05;
    public static final int MISTAT = 0x0A;
    public static final int EREVID = 0x12;

    /** Whether (bank, address) is a MAC or MII register: RCR returns a dummy byte first, BFS/BFC do not apply. */
    public static boolean isMacOrMii(int bank, int address) {
        if (address >= COMMON_START) {
            return false;
        }
        return bank == 2 || (bank == 3 && (address <= MAADR2 || address == MISTAT));
    }

    // ---- bits ----
    public static final int ECON1_TXRST = 0x80;
    public static final int ECON1_RXRST = 0x40;
    public static final int ECON1_DMAST = 0x20;
    public static final int ECON1_CSUMEN = 0x10;
    public static final int ECON1_TXRTS = 0x08;
    public static final int ECON1_RXEN = 0x04;
    public static final int ECON1_BSEL_MASK = 0x03;

    public static final int ECON2_AUTOINC = 0x80;
    public static final int ECON2_PKTDEC = 0x40;
    public static final int ECON2_PWRSV = 0x20;
    public static final int ECON2_VRPS = 0x08;

    public static final int EIE_INTIE = 0x80;
    public static final int EI_PKT = 0x40;
    public static final int EI_DMA = 0x20;
    public static final int EI_LINK = 0x10;
    public static final int EI_TX = 0x08;
    public static final int EI_TXER = 0x02;
    public static final int EI_RXER = 0x01;

    public static final int ESTAT_INT = 0x80;
    public static final int ESTAT_BUFER = 0x40;
    public static final int ESTAT_LATECOL = 0x10;
    public static final int ESTAT_RXBUSY = 0x04;
    public static final int ESTAT_TXABRT = 0x02;
    public static final int ESTAT_CLKRDY = 0x01;

    public static final int ERXFCON_UCEN = 0x80;
    public static final int ERXFCON_ANDOR = 0x40;
    public static final int ERXFCON_CRCEN = 0x20;
    public static final int ERXFCON_PMEN = 0x10;
    public static final int ERXFCON_MPEN = 0x08;
    public static final int ERXFCON_HTEN = 0x04;
    public static final int ERXFCON_MCEN = 0x02;
    public static final int ERXFCON_BCEN = 0x01;

    public static final int MACON1_TXPAUS = 0x08;
    public static final int MACON1_RXPAUS = 0x04;
    public static final int MACON1_PASSALL = 0x02;
    public static final int MACON1_MARXEN = 0x01;

    public static final int MACON3_PADCFG_MASK = 0xE0;
    /** PADCFG = 001: pad short frames to 60 bytes and append a CRC. */
    public static final int MACON3_PADCFG0 = 0x20;
    public static final int MACON3_TXCRCEN = 0x10;
    public static final int MACON3_PHDREN = 0x08;
    public static final int MACON3_HFRMEN = 0x04;
    public static final int MACON3_FRMLNEN = 0x02;
    public static final int MACON3_FULDPX = 0x01;

    public static final int MACON4_DEFER = 0x40;
    public static final int MICMD_MIIRD = 0x01;
    public static final int MISTAT_BUSY = 0x01;

    /** EREVID of rev B7; 0x00 or 0xFF mean nothing answers. */
    public static final int REVISION_B7 = 0x06;

    // ---- PHY registers (through MIREGADR / MICMD / MIRD / MIWR) ----
    public static final int PHCON1 = 0x00;
    public static final int PHSTAT1 = 0x01;
    public static final int PHID1 = 0x02;
    public static final int PHID2 = 0x03;
    public static final int PHCON2 = 0x10;
    public static final int PHSTAT2 = 0x11;
    public static final int PHIE = 0x12;
    public static final int PHIR = 0x13;
    public static final int PHLCON = 0x14;

    public static final int PHCON1_PRST = 0x8000;
    public static final int PHCON1_PLOOPBK = 0x4000;
    public static final int PHCON1_PPWRSV = 0x0800;
    public static final int PHCON1_PDPXMD = 0x0100;
    public static final int PHSTAT1_LLSTAT = 0x0004;
    public static final int PHCON2_FRCLNK = 0x4000;
    public static final int PHCON2_TXDIS = 0x2000;
    public static final int PHCON2_JABBER = 0x0400;
    public static final int PHCON2_HDLDIS = 0x0100;
    public static final int PHSTAT2_LSTAT = 0x0400;
    public static final int PHSTAT2_DPXSTAT = 0x0200;
    public static final int PHIE_PLNKIE = 0x0010;
    public static final int PHIE_PGEIE = 0x0002;
    public static final int PHIR_PLNKIF = 0x0010;
    public static final int PHIR_PGIF = 0x0004;
    public static final int PHID1_VALUE = 0x0083;
    public static final int PHID2_VALUE = 0x1400;

    // ---- buffer memory ----
    public static final int BUFFER_SIZE = 0x2000;
    public static final int BUFFER_END = 0x1FFF;
    /** Errata DS80349 (rev B7): the receive buffer must start at 0. */
    public static final int RX_START = 0x0000;
    public static final int RX_END = 0x19FF;
    public static final int TX_START = 0x1A00;
    public static final int TX_END = 0x1FFF;
    public static final int RSV_LENGTH = 6;
    public static final int TSV_LENGTH = 7;
    public static final int FCS_LENGTH = 4;
    /** Largest frame on the wire including the FCS (MAMXFL). */
    public static final int MAX_FRAME_WITH_FCS = 1518;

    // receive status vector bits (counted from the first status byte after the next pointer)
    public static final int RSV_CRC_ERROR = 1 << 20;
    public static final int RSV_LENGTH_CHECK_ERROR = 1 << 21;
    public static final int RSV_LENGTH_OUT_OF_RANGE = 1 << 22;
    public static final int RSV_RECEIVED_OK = 1 << 23;
    public static final int RSV_MULTICAST = 1 << 24;
    public static final int RSV_BROADCAST = 1 << 25;

    // transmit status vector bits (bit numbers over the 7 bytes, little-endian)
    public static final int TSV_DONE_BIT = 23;
    public static final int TSV_LATE_COLLISION_BIT = 29;

    /** Transmit per-packet control byte: 0 = use MACON3's padding and CRC settings. */
    public static final int TX_CONTROL_DEFAULT = 0x00;
}
