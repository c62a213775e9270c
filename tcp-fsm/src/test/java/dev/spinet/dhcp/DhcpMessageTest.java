package dev.spinet.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DhcpMessageTest {

    static final long MAC = 0x02_11_22_33_44_55L;
    static final int SERVER = 0x0A_00_00_01;
    static final int OFFERED = 0x0A_00_00_64;

    /** A well-formed DHCPACK: header, then 53, 54, 51, 1, 3 (two routers), 6, end, padding. */
    static byte[] ack() {
        byte[] b = new byte[400];
        int at = DhcpMessage.writeHeader(b, 0, DhcpMessage.OP_BOOTREPLY, 0xCAFEBABE, 3, DhcpMessage.FLAG_BROADCAST,
                0, OFFERED, SERVER, MAC);
        at = DhcpMessage.putByteOption(b, at, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPACK);
        at = DhcpMessage.putIntOption(b, at, DhcpMessage.OPTION_SERVER_ID, SERVER);
        at = DhcpMessage.putIntOption(b, at, DhcpMessage.OPTION_LEASE_TIME, 3600);
        at = DhcpMessage.putIntOption(b, at, DhcpMessage.OPTION_SUBNET_MASK, 0xFFFF_FF00);
        at = DhcpMessage.putBytesOption(b, at, DhcpMessage.OPTION_ROUTER, new byte[] {10, 0, 0, 1, 10, 0, 0, 2}, 0, 8);
        b[at++] = 0; // a pad option in the middle
        at = DhcpMessage.putIntOption(b, at, DhcpMessage.OPTION_DNS, 0x0A_00_00_35);
        int length = DhcpMessage.putEndAndPad(b, 0, at);
        return Arrays.copyOf(b, length);
    }

    @Test
    void writtenMessagesReadBackFieldByField() {
        byte[] b = ack();
        DhcpMessage m = new DhcpMessage();
        assertEquals(DhcpFlaw.OK, m.wrap(b, 0, b.length));
        assertEquals(300, b.length, "padded to the BOOTP minimum");
        assertEquals(2, m.op());
        assertEquals(1, m.htype());
        assertEquals(6, m.hlen());
        assertEquals(0, m.hops());
        assertEquals(0xCAFEBABE, m.xid());
        assertEquals(3, m.secs());
        assertTrue(m.broadcastFlag());
        assertEquals(OFFERED, m.yiaddr());
        assertEquals(SERVER, m.siaddr());
        assertEquals(0, m.ciaddr());
        assertEquals(0, m.giaddr());
        assertEquals(MAC, m.chaddrMac());
        assertEquals(DhcpMessage.DHCPACK, m.messageType());
        assertEquals(SERVER, m.intOption(DhcpMessage.OPTION_SERVER_ID, 0));
        assertEquals(3600, m.intOption(DhcpMessage.OPTION_LEASE_TIME, 0));
        assertEquals(0x0A_00_00_01, m.intOption(DhcpMessage.OPTION_ROUTER, 0), "the first router");
        assertEquals(8, m.optionLength(DhcpMessage.OPTION_ROUTER));
        assertEquals(0x0A_00_00_35, m.intOption(DhcpMessage.OPTION_DNS, 0));
        assertFalse(m.hasOption(DhcpMessage.OPTION_RENEWAL_TIME));
        assertEquals(-7, m.intOption(DhcpMessage.OPTION_RENEWAL_TIME, -7));
        assertEquals(-1, m.optionLength(DhcpMessage.OPTION_HOSTNAME));
        assertEquals(0x63, b[236] & 0xFF);
        assertEquals(0x82, b[237] & 0xFF);
        assertEquals(0x53, b[238] & 0xFF);
        assertEquals(0x63, b[239] & 0xFF);
    }

    @Test
    void aMessageInsideALargerBufferIsReadAtItsOffset() {
        byte[] inner = ack();
        byte[] outer = new byte[inner.length + 50];
        System.arraycopy(inner, 0, outer, 42, inner.length);
        DhcpMessage m = new DhcpMessage();
        assertEquals(DhcpFlaw.OK, m.wrap(outer, 42, inner.length));
        assertEquals(OFFERED, m.yiaddr());
        assertEquals(3600, m.intOption(DhcpMessage.OPTION_LEASE_TIME, 0));
    }

    @Test
    void theViewForgetsTheOptionsOfThePreviousMessage() {
        DhcpMessage m = new DhcpMessage();
        byte[] b = ack();
        m.wrap(b, 0, b.length);
        byte[] small = new byte[300];
        int at = DhcpMessage.writeHeader(small, 0, 2, 1, 0, 0, 0, 0, 0, MAC);
        at = DhcpMessage.putByteOption(small, at, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPNAK);
        DhcpMessage.putEndAndPad(small, 0, at);
        assertEquals(DhcpFlaw.OK, m.wrap(small, 0, small.length));
        assertFalse(m.hasOption(DhcpMessage.OPTION_LEASE_TIME));
    }

    /** Where the options begin in {@link #ack()}; the first is 53 (3 bytes), then 54 at 243. */
    static final int OPTIONS = 240;

    static Stream<Arguments> flaws() {
        byte[] ok = ack();
        int endAt = indexOfEnd(ok);
        return Stream.of(
                flaw("shorter than the fixed header and cookie", Arrays.copyOf(ok, 239), DhcpFlaw.TRUNCATED),
                flaw("empty", new byte[0], DhcpFlaw.TRUNCATED),
                flaw("wrong magic cookie", with(ok, 239, 0x64), DhcpFlaw.BAD_MAGIC_COOKIE),
                flaw("BOOTP vendor extensions instead of the cookie", with(with(ok, 236, 0), 237, 0), DhcpFlaw.BAD_MAGIC_COOKIE),
                flaw("option length runs past the end", with(ok, OPTIONS + 4, 250), DhcpFlaw.OPTION_OVERRUNS_MESSAGE),
                flaw("option code is the last byte", lastByteIsACode(ok, endAt), DhcpFlaw.OPTION_OVERRUNS_MESSAGE),
                flaw("no end option", Arrays.copyOf(ok, endAt), DhcpFlaw.NO_END_OPTION),
                flaw("message type of two bytes", with(ok, OPTIONS + 1, 2), DhcpFlaw.BAD_OPTION_LENGTH),
                flaw("server id of three bytes", with(ok, OPTIONS + 4, 3), DhcpFlaw.BAD_OPTION_LENGTH),
                flaw("lease time of zero bytes", with(ok, OPTIONS + 10, 0), DhcpFlaw.BAD_OPTION_LENGTH),
                flaw("router list not a multiple of four", with(ok, OPTIONS + 22, 7), DhcpFlaw.BAD_OPTION_LENGTH),
                flaw("message type twice", messageTypeTwice(ok), DhcpFlaw.DUPLICATE_OPTION),
                flaw("no message type (plain BOOTP)", with(ok, OPTIONS, 0x2B), DhcpFlaw.NO_MESSAGE_TYPE));
    }

    static Arguments flaw(String name, byte[] bytes, DhcpFlaw expected) {
        return Arguments.of(Named.of(name, bytes), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void malformedMessagesAreRefusedWithTheirFlaw(byte[] bytes, DhcpFlaw expected) {
        assertEquals(expected, new DhcpMessage().wrap(bytes, 0, bytes.length));
    }

    @Test
    void noTruncationOrRandomDamageReadsOutOfBounds() {
        byte[] ok = ack();
        DhcpMessage m = new DhcpMessage();
        for (int length = 0; length <= ok.length; length++) {
            // Copy so the array ends where the message ends: any overread throws.
            byte[] cut = Arrays.copyOf(ok, length);
            if (m.wrap(cut, 0, length) == DhcpFlaw.OK) {
                readEverything(m);
            }
        }
        SplittableRandom random = new SplittableRandom(0x5EED);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] damaged = Arrays.copyOf(ok, 240 + random.nextInt(60));
            for (int j = 240; j < damaged.length; j++) {
                if (random.nextInt(4) == 0) {
                    damaged[j] = (byte) random.nextInt(256);
                }
            }
            if (m.wrap(damaged, 0, damaged.length) == DhcpFlaw.OK) {
                accepted++;
                readEverything(m);
            }
        }
        assertTrue(accepted > 0, "some damaged messages still parse, so the accessors were exercised");
    }

    static void readEverything(DhcpMessage m) {
        m.messageType();
        m.chaddrMac();
        for (int code = 0; code < 256; code++) {
            int at = m.optionValueOffset(code);
            if (at >= 0) {
                int length = m.optionLength(code);
                assertTrue(at + length <= m.offset() + m.length(), "option " + code + " inside the message");
                m.intOption(code, 0);
            }
        }
    }

    @Test
    void aRangeOutsideTheBufferIsACallersBug() {
        assertThrows(IllegalArgumentException.class, () -> new DhcpMessage().wrap(new byte[10], 5, 10));
        assertThrows(IllegalArgumentException.class,
                () -> DhcpMessage.putBytesOption(new byte[400], 0, 12, new byte[256], 0, 256));
    }

    static int indexOfEnd(byte[] b) {
        int at = OPTIONS;
        while ((b[at] & 0xFF) != 255) {
            at += b[at] == 0 ? 1 : 2 + (b[at + 1] & 0xFF);
        }
        return at;
    }

    static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    static byte[] lastByteIsACode(byte[] ok, int endAt) {
        byte[] b = Arrays.copyOf(ok, endAt + 1);
        b[endAt] = 12;
        return b;
    }

    static byte[] messageTypeTwice(byte[] ok) {
        int endAt = indexOfEnd(ok);
        byte[] b = ok.clone();
        DhcpMessage.putByteOption(b, endAt, DhcpMessage.OPTION_MESSAGE_TYPE, DhcpMessage.DHCPNAK);
        b[endAt + 3] = (byte) 255;
        return b;
    }
}
