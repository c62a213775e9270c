package dev.spinet.hal.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void readWriteFormatParseRoundTrip() {
        byte[] bytes = {0, 0x02, (byte) 0xAB, 0x00, 0x11, (byte) 0xFE, 0x42, 0};
        long mac = MacAddress.read(bytes, 1);
        assertEquals(0x02AB0011FE42L, mac);
        assertEquals("02:ab:00:11:fe:42", MacAddress.format(mac));
        assertEquals(mac, MacAddress.parse("02-AB-00-11-FE-42"));
        byte[] out = new byte[8];
        MacAddress.write(mac, out, 2);
        assertEquals(0x02, out[2]);
        assertEquals(0x42, out[7]);
    }

    @Test
    void multicastBitIsTheLowBitOfTheFirstOctet() {
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(0x01005E000001L));
        assertFalse(MacAddress.isMulticast(0x020000000001L));
    }

    @Test
    void parseRejectsNonsenseWithTheExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00"));
        assertTrue(e.getMessage().contains("six hex octets"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00:zz"));
    }
}
