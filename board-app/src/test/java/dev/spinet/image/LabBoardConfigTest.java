package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LabBoardConfigTest {

    private static LabBoardConfig config(String chip, int hz, String ip, String gateway, List<String> services) {
        return new LabBoardConfig("handshake", chip, "0.0", hz, 25, OptionalInt.of(24), 0, ip, gateway, services, true, null, null, false, null);
    }

    @Test
    void propertiesCarryEveryRunOption() {
        String p = config("enc28j60", 12_000_000, "dhcp", null, List.of("echo", "http")).toProperties("header");
        assertEquals("""
                # header
                lab=handshake
                hal=enc28j60
                spi=0.0
                spi-hz=12000000
                int-pin=25
                reset-pin=24
                gpiochip=0
                ip=dhcp
                services=echo,http
                trace=true
                """, p);
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertMessage("--chip must be one of", () -> config("w5100", 1_000_000, "dhcp", null, List.of("echo")));
        assertMessage("at most 20 MHz", () -> config("enc28j60", 30_000_000, "dhcp", null, List.of("echo")));
        assertMessage("--ip 10.0.0.300: ", () -> config("w5500", 1_000_000, "10.0.0.300/24", null, List.of("echo")));
        assertMessage("prefix length", () -> config("w5500", 1_000_000, "10.0.0.3/33", null, List.of("echo")));
        assertMessage("only goes with a static", () -> config("w5500", 1_000_000, "dhcp", "10.0.0.1", List.of("echo")));
        assertMessage("is not inside 10.0.0.3/24", () -> config("w5500", 1_000_000, "10.0.0.3/24", "10.0.1.1", List.of("echo")));
        assertMessage("unknown service 'ftp'", () -> config("w5500", 1_000_000, "dhcp", null, List.of("ftp")));
        assertMessage("--spi must be BUS.CS", () -> new LabBoardConfig("x", "w5500", "0", 1_000_000, 25,
                OptionalInt.empty(), 0, "dhcp", null, List.of("echo"), true, null, null, false, null));
        assertMessage("both GPIO 25", () -> new LabBoardConfig("x", "w5500", "0.0", 1_000_000, 25,
                OptionalInt.of(25), 0, "dhcp", null, List.of("echo"), true, null, null, false, null));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        ImageException ex = assertThrows(ImageException.class, e);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertEquals(ImageException.BAD_INPUT, ex.exitCode());
    }
}
