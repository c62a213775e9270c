package dev.spinet.doctor;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.ECON1;
import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.ECON1_BSEL_MASK;
import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.EREVID;
import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.OP_BFC;
import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.OP_BFS;
import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.OP_RCR;

import dev.spinet.hal.eth.w5500.W5500Registers;
import dev.spinet.hal.spi.SpiBus;

/**
 * Reads the identity register of the wired chip without resetting or configuring it, so
 * {@code spinet doctor} can tell "SPI works and a chip answers" from "nothing on the bus".
 */
final class ChipVersionProbe {

    static final String NAME = "chip-version";
    /** The W5500 datasheet: VERSIONR can read 0 right after reset, so a few reads are allowed. */
    private static final int W5500_READS = 3;

    private ChipVersionProbe() {
    }

    /** W5500: VERSIONR (common block 0x0039) must read 0x04. One read is {@code 00 39 00} + 1 byte. */
    static DoctorCheck w5500(SpiBus spi, String device) {
        byte[] header = {(byte) (W5500Registers.VERSIONR >>> 8), (byte) W5500Registers.VERSIONR,
                (byte) (W5500Registers.BSB_COMMON << W5500Registers.BSB_SHIFT | W5500Registers.OM_VARIABLE)};
        byte[] value = new byte[1];
        for (int i = 0; i < W5500_READS; i++) {
            spi.transfer(header, 0, header.length, null, 0, value, 0, 1);
            if ((value[0] & 0xFF) == W5500Registers.VERSION) {
                return DoctorCheck.pass(NAME, "W5500 on " + device + " answers: VERSIONR = 0x04");
            }
        }
        return DoctorCheck.fail(NAME, "W5500 on " + device + ": VERSIONR reads " + hex(value[0]) + ", expected 0x04",
                noChipAdvice(value[0]));
    }

    /**
     * ENC28J60: EREVID (bank 3, 0x12) must read neither 0x00 nor 0xFF (rev B7 reads 0x06). The
     * bank is selected with BFS ECON1 and put back as it was afterwards, so a chip already set up
     * keeps its bank: RCR ECON1, BFS ECON1 03, RCR EREVID, BFC ECON1 03, BFS ECON1 (old bank).
     */
    static DoctorCheck enc28j60(SpiBus spi, String device) {
        int econ1 = readControl(spi, ECON1);
        command(spi, OP_BFS | ECON1, ECON1_BSEL_MASK);
        int revision = readControl(spi, EREVID);
        command(spi, OP_BFC | ECON1, ECON1_BSEL_MASK);
        if ((econ1 & ECON1_BSEL_MASK) != 0 && econ1 != 0xFF) {
            command(spi, OP_BFS | ECON1, econ1 & ECON1_BSEL_MASK);
        }
        if (revision == 0x00 || revision == 0xFF) {
            return DoctorCheck.fail(NAME, "ENC28J60 on " + device + ": EREVID reads " + hex((byte) revision)
                    + ", expected a silicon revision such as 0x06 (B7)", noChipAdvice((byte) revision));
        }
        return DoctorCheck.pass(NAME, "ENC28J60 on " + device + " answers: EREVID = " + hex((byte) revision)
                + (revision == 0x06 ? " (rev B7)" : ""));
    }

    private static int readControl(SpiBus spi, int address) {
        byte[] header = {(byte) (OP_RCR | address)};
        byte[] value = new byte[1];
        spi.transfer(header, 0, 1, null, 0, value, 0, 1);
        return value[0] & 0xFF;
    }

    private static void command(SpiBus spi, int opcodeAndAddress, int argument) {
        byte[] bytes = {(byte) opcodeAndAddress, (byte) argument};
        spi.transfer(bytes, 0, null, 0, bytes.length);
    }

    private static String noChipAdvice(byte value) {
        return (value == 0 || value == (byte) 0xFF ? "nothing drives MISO: " : "a garbled answer: ")
                + "check power (3.3 V), MISO/MOSI not swapped, CS on the CE pin of --spi, RESET not held low,"
                + " and that --hal names the chip that is wired";
    }

    private static String hex(byte value) {
        return String.format("0x%02X", value & 0xFF);
    }
}
