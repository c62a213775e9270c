package dev.spinet.dns;

import java.io.ByteArrayOutputStream;

/**
 * Builds a server's answer to a query byte by byte for tests: the query's ID and question, then
 * answer and authority records. An owner of {@code ""} is written as a compression pointer to the
 * question's name (0xC00C), as servers do.
 */
final class DnsReply {

    private final byte[] question;
    private int id;
    private int flags = 0x8180; // QR, RD, RA, NOERROR
    private int questionCount = 1;
    private int answerCount;
    private int authorityCount;
    private final ByteArrayOutputStream answers = new ByteArrayOutputStream();
    private final ByteArrayOutputStream authority = new ByteArrayOutputStream();

    private DnsReply(int id, byte[] question) {
        this.id = id;
        this.question = question;
    }

    /** An answer to {@code query[offset, offset + length)}: its ID and question section copied. */
    static DnsReply to(byte[] query, int offset, int length) {
        DnsMessage message = new DnsMessage();
        message.wrap(query, offset, length);
        int end = message.readQuestion(DnsMessage.HEADER_LENGTH, new byte[DnsMessage.MAX_NAME_LENGTH]);
        byte[] question = java.util.Arrays.copyOfRange(query, offset + DnsMessage.HEADER_LENGTH, offset + end);
        return new DnsReply(message.id(), question);
    }

    DnsReply id(int newId) {
        this.id = newId;
        return this;
    }

    DnsReply rcode(int rcode) {
        flags = flags & ~0xF | rcode;
        return this;
    }

    DnsReply flags(int newFlags) {
        flags = newFlags;
        return this;
    }

    DnsReply truncated() {
        flags |= 0x0200;
        return this;
    }

    DnsReply questionCount(int count) {
        questionCount = count;
        return this;
    }

    DnsReply a(String owner, long ttl, int address) {
        record(answers, owner, DnsMessage.TYPE_A, ttl, new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
            (byte) (address >>> 8), (byte) address});
        answerCount++;
        return this;
    }

    DnsReply cname(String owner, long ttl, String target) {
        record(answers, owner, DnsMessage.TYPE_CNAME, ttl, name(target));
        answerCount++;
        return this;
    }

    /** An SOA in the authority section (RFC 1035 3.3.13), its MINIMUM field as given. */
    DnsReply soa(String owner, long ttl, long minimum) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        rdata.writeBytes(name("ns.test"));
        rdata.writeBytes(name("hostmaster.test"));
        for (long field : new long[] {1, 3600, 600, 86400, minimum}) {
            rdata.writeBytes(u32(field));
        }
        record(authority, owner, DnsMessage.TYPE_SOA, ttl, rdata.toByteArray());
        authorityCount++;
        return this;
    }

    /** Raw octets appended to the answer section, counted as one record. */
    DnsReply rawAnswer(int... octets) {
        for (int octet : octets) {
            answers.write(octet);
        }
        answerCount++;
        return this;
    }

    DnsReply rawAnswer(byte[] bytes) {
        answers.writeBytes(bytes);
        answerCount++;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >>> 8);
        out.write(id);
        out.write(flags >>> 8);
        out.write(flags);
        for (int count : new int[] {questionCount, answerCount, authorityCount, 0}) {
            out.write(count >>> 8);
            out.write(count);
        }
        out.writeBytes(question);
        out.writeBytes(answers.toByteArray());
        out.writeBytes(authority.toByteArray());
        return out.toByteArray();
    }

    int writeTo(byte[] out, int offset) {
        byte[] bytes = bytes();
        System.arraycopy(bytes, 0, out, offset, bytes.length);
        return bytes.length;
    }

    static byte[] name(String text) {
        byte[] wire = new byte[DnsMessage.MAX_NAME_LENGTH];
        return java.util.Arrays.copyOf(wire, DnsMessage.encodeName(text, wire));
    }

    private static void record(ByteArrayOutputStream section, String owner, int type, long ttl, byte[] rdata) {
        if (owner.isEmpty()) {
            section.write(0xC0);
            section.write(DnsMessage.HEADER_LENGTH);
        } else {
            section.writeBytes(name(owner));
        }
        section.write(type >>> 8);
        section.write(type);
        section.write(0);
        section.write(DnsMessage.CLASS_IN);
        section.writeBytes(u32(ttl));
        section.write(rdata.length >>> 8);
        section.write(rdata.length);
        section.writeBytes(rdata);
    }

    private static byte[] u32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
