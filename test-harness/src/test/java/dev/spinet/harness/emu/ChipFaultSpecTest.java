package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code NAME[:PARAM]} parsing: defaults, ranges, words, one-line errors listing what is valid, chips refused. */
class ChipFaultSpecTest {

    @ParameterizedTest
    @CsvSource({
            "link-flap, link-flap:1000",
            "link-flap:2500, link-flap:2500",
            "LINK-FLAP:0250, link-flap:250",
            "send-stuck, send-stuck:10",
            "txrts-stuck:3, txrts-stuck:3",
            "int-lost, int-lost:2000",
            "rx-overflow, rx-overflow:50",
            "epktcnt-255, epktcnt-255",
            "spi-corrupt, spi-corrupt:length",
            "spi-corrupt:Pointer, spi-corrupt:pointer",
            "spi-corrupt:status, spi-corrupt:status",
            "brown-out, brown-out"})
    void parsesNamesAndFillsInTheDefault(String text, String normal) {
        assertEquals(normal, ChipFaultSpec.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "flap | unknown chip fault 'flap'; use one of link-flap, send-stuck, txrts-stuck, int-lost, rx-overflow, epktcnt-255, spi-corrupt, brown-out (NAME[:PARAM])",
            "link-flap:0 | link-flap:0: PARAM is the ms the cable stays unplugged, 1..600000",
            "link-flap:soon | link-flap:soon: PARAM is the ms the cable stays unplugged, 1..600000",
            "spi-corrupt:crc | spi-corrupt:crc: PARAM is one of length, pointer, status",
            "brown-out:5 | brown-out takes no parameter; give just 'brown-out'",
            "link-flap: | 'link-flap:': nothing after ':'; give a PARAM or leave the ':' out"})
    void badSpecsAreOneLineSayingWhatIsValid(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChipFaultSpec.parse(text));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aFaultOfTheOtherChipIsRefusedWithTheFaultsThisChipHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChipFaultSpec.parse("send-stuck").forChip(ChipType.ENC28J60));
        assertEquals("send-stuck is not a fault of the ENC28J60 (a link flap after which SEND never completes); for the ENC28J60 "
                + "use one of link-flap, txrts-stuck, int-lost, rx-overflow, epktcnt-255, spi-corrupt, brown-out", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChipFaultSpec.parse("txrts-stuck").forChip(ChipType.W5500));
        assertTrue(e.getMessage().endsWith("for the W5500 use one of link-flap, send-stuck, int-lost, rx-overflow, spi-corrupt, brown-out"),
                e.getMessage());
        assertEquals("epktcnt-255", ChipFaultSpec.parse("epktcnt-255").forChip(ChipType.ENC28J60).toString());
    }

    @Test
    void everyFaultAppliesToAtLeastOneChipAndBothChipsShareTheGenericOnes() {
        for (ChipFault fault : ChipFault.values()) {
            assertTrue(fault.appliesTo(ChipType.W5500) || fault.appliesTo(ChipType.ENC28J60), fault.label());
        }
        for (ChipFault fault : new ChipFault[] {ChipFault.LINK_FLAP, ChipFault.INT_LOST, ChipFault.RX_OVERFLOW, ChipFault.SPI_CORRUPT,
                ChipFault.BROWN_OUT}) {
            assertTrue(fault.appliesTo(ChipType.W5500) && fault.appliesTo(ChipType.ENC28J60), fault.label());
        }
    }

    @Test
    void numbersAreReadFromTheNormalForm() {
        assertEquals(250, ChipFaultSpec.parse("link-flap:250").number());
        assertThrows(IllegalStateException.class, () -> ChipFaultSpec.parse("spi-corrupt").number());
    }
}
