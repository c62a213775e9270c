package dev.spinet.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The DNS codec on golden bytes: names in wire form, compression, and its bounds. */
class DnsMessageTest {

    final byte[] name = new byte[DnsMessage.MAX_NAME_LENGTH];

    @Test
    void namesEncodeToLengthPrefixedLabelsEndingWithTheRoot() {
        int length = DnsMessage.encodeName("www.Example.com.", name);
        assertArrayEquals(new byte[] {3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0},
                Arrays.copyOf(name, length));
        assertEquals("www.Example.com", DnsMessage.formatName(name, length));
    }

    @Test
    void namesAQueryCannotCarryAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsMessage.encodeName("a".repeat(64) + ".test", name))
                .getMessage().contains("at most 63"));
        String long254 = ("a".repeat(62) + ".").repeat(4) + "b";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsMessage.encodeName(long254 + "bbbbb", name))
                .getMessage().contains("255 octets"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsMessage.encodeName("", name)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsMessage.encodeName(".test", name)).getMessage().contains("empty label"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsMessage.encodeName("caf\u00e9.test", name))
                .getMessage().contains("not a letter"));
    }

    @Test
    void aCompressedNameIsReadThroughItsPointerAndThePositionAfterThePointerReturned() {
        // 12-byte header, then "test" at 12, then "www" + pointer to 12 at 18.
        byte[] message = new byte[24];
        byte[] tail = {4, 't', 'e', 's', 't', 0, 3, 'w', 'w', 'w', (byte) 0xC0, 12};
        System.arraycopy(tail, 0, message, 12, tail.length);
        DnsMessage dns = new DnsMessage();
        assertEquals(0, dns.wrap(message, 0, message.length));
        assertEquals(24, dns.readName(18, name));
        assertEquals("www.test", DnsMessage.formatName(name, dns.nameLength()));
        assertEquals(10, dns.nameLength());
        assertEquals(24, dns.skipName(18));
    }

    @Test
    void pointersThatDoNotPointBackAreLoops() {
        byte[] message = new byte[16];
        message[12] = (byte) 0xC0;
        message[13] = 12; // to itself
        message[14] = (byte) 0xC0;
        message[15] = 14; // to itself
        DnsMessage dns = new DnsMessage();
        dns.wrap(message, 0, message.length);
        assertEquals(DnsFlaw.POINTER_LOOP.code(), dns.readName(12, name));
        assertEquals(DnsFlaw.POINTER_LOOP, DnsFlaw.of(dns.readName(14, name)));
        assertEquals(DnsFlaw.TRUNCATED_HEADER.code(), dns.wrap(message, 0, 11));
    }

    @Test
    void namesCompareWithoutAsciiCaseOnly() {
        byte[] a = DnsReply.name("WWW.test");
        byte[] b = DnsReply.name("www.TEST");
        assertTrue(DnsMessage.sameName(a, a.length, b, b.length));
        byte[] c = DnsReply.name("www.tesu");
        assertFalse(DnsMessage.sameName(a, a.length, c, c.length));
        // 0x5B '[' and 0x7B '{' differ by 0x20 but are not letters.
        byte[] d = {1, '[', 0};
        byte[] e = {1, '{', 0};
        assertFalse(DnsMessage.sameName(d, 3, e, 3));
    }
}
