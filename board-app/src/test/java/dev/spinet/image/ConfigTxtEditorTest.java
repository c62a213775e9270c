package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigTxtEditorTest {

    @Test
    void stockFileGetsTheCommentedLineEnabledInPlace() {
        String out = ConfigTxtEditor.enableSpi(TestDisks.STOCK_CONFIG);
        assertEquals(TestDisks.STOCK_CONFIG.replace("#dtparam=spi=on", "dtparam=spi=on"), out);
    }

    @Test
    void idempotent() {
        String once = ConfigTxtEditor.enableSpi(TestDisks.STOCK_CONFIG);
        assertEquals(once, ConfigTxtEditor.enableSpi(once));
        assertEquals(1, ConfigTxtEditor.countActiveSpiOn(ConfigTxtEditor.enableSpi(once)));
    }

    @Test
    void emptyOrMissingFileGetsOneLine() {
        assertEquals("dtparam=spi=on\n", ConfigTxtEditor.enableSpi(""));
    }

    @Test
    void fileEndingInsideABoardFilterGetsAnAllSection() {
        String in = "dtparam=audio=on\n[pi4]\narm_boost=1\n";
        assertEquals("dtparam=audio=on\n[pi4]\narm_boost=1\n[all]\ndtparam=spi=on\n", ConfigTxtEditor.enableSpi(in));
    }

    @Test
    void lineOnlyInsideAFilterDoesNotCountAndIsLeftAlone() {
        String in = "[pi4]\ndtparam=spi=on\n[all]\n";
        String out = ConfigTxtEditor.enableSpi(in);
        assertEquals("[pi4]\ndtparam=spi=on\n[all]\ndtparam=spi=on\n", out);
        assertEquals(1, ConfigTxtEditor.countActiveSpiOn(out));
    }

    @Test
    void spiOffIsTurnedOnAndDuplicatesRemoved() {
        assertEquals("a=1\ndtparam=spi=on\nb=2\n", ConfigTxtEditor.enableSpi("a=1\ndtparam=spi=off\nb=2\n"));
        assertEquals("dtparam=spi=on\nx=1\n", ConfigTxtEditor.enableSpi("dtparam=spi=on\nx=1\ndtparam=spi=on\n"));
    }

    @Test
    void crlfAndMissingFinalNewlineAreHandled() {
        assertEquals("a=1\r\ndtparam=spi=on\r\n", ConfigTxtEditor.enableSpi("a=1\r\n"));
        assertEquals("a=1\ndtparam=spi=on\n", ConfigTxtEditor.enableSpi("a=1"));
    }
}
