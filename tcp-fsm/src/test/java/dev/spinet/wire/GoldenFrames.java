package dev.spinet.wire;

/**
 * Real frames written out byte by byte, shared by the codec tests. Checksums were computed
 * outside this code base (an independent Python byte-pair implementation) and, where possible,
 * match well-known captures: 0x4d5a is the ICMP checksum of every Windows "ping" echo request
 * with identifier 1, sequence 1 and the 32-byte payload "abcdefghijklmnopqrstuvwabcdefghi";
 * 0xb861 is the header checksum of the worked example in Wikipedia's "IPv4 header checksum".
 */
final class GoldenFrames {

    private GoldenFrames() {
    }

    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    static final int IP_A = 0x0A_00_00_01; // 10.0.0.1
    static final int IP_B = 0x0A_00_00_02; // 10.0.0.2

    /** Who has 10.0.0.2? Tell 10.0.0.1 - broadcast, padded to 60 bytes as a NIC sends it. */
    static final String ARP_REQUEST_FRAME =
            "ff ff ff ff ff ff | 02 00 00 00 00 01 | 08 06 |"
            + " 00 01 08 00 06 04 00 01 | 02 00 00 00 00 01 0a 00 00 01 | 00 00 00 00 00 00 0a 00 00 02 |"
            + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    /** 10.0.0.2 is at 02:00:00:00:00:02 - unicast reply, padded to 60 bytes. */
    static final String ARP_REPLY_FRAME =
            "02 00 00 00 00 01 | 02 00 00 00 00 02 | 08 06 |"
            + " 00 01 08 00 06 04 00 02 | 02 00 00 00 00 02 0a 00 00 02 | 02 00 00 00 00 01 0a 00 00 01 |"
            + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    static final String PING_PAYLOAD_HEX = "61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 61 62 63 64 65 66 67 68 69";

    /** 10.0.0.1 pings 10.0.0.2: Ethernet | IPv4 (id 0x1c46, ttl 64, checksum 0x4a79) | ICMP echo request (checksum 0x4d5a). 74 bytes. */
    static final String PING_REQUEST_FRAME =
            "02 00 00 00 00 02 | 02 00 00 00 00 01 | 08 00 |"
            + " 45 00 00 3c 1c 46 00 00 40 01 4a 79 0a 00 00 01 0a 00 00 02 |"
            + " 08 00 4d 5a 00 01 00 01 | " + PING_PAYLOAD_HEX;

    /** The ICMP echo reply to it: type 0, checksum 0x555a (0x4d5a + 0x0800, RFC 1624). */
    static final String PING_REPLY_ICMP = "00 00 55 5a 00 01 00 01 | " + PING_PAYLOAD_HEX;

    /** Wikipedia's IPv4 checksum example: 192.168.0.1 -> 192.168.0.199, UDP, total length 115, DF, ttl 64. */
    static final String WIKIPEDIA_IPV4_HEADER = "45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7";

    /** 10.0.0.1:5353 -> 10.0.0.2:53 "hello": IPv4 (id 0xabcd, DF, checksum 0x7afc) | UDP (length 13, checksum 0x92e1). */
    static final String UDP_PACKET =
            "45 00 00 21 ab cd 40 00 40 11 7a fc 0a 00 00 01 0a 00 00 02 |"
            + " 14 e9 00 35 00 0d 92 e1 | 68 65 6c 6c 6f";
}
