package dev.spinet.dns;

/**
 * What the resolver's stack-side engine ({@link DnsClient}) counts. Every UDP or TCP message that
 * reaches a query in flight ends in {@link #ANSWERS_ACCEPTED} or one of the {@code RX_DROP_*}
 * counters: RFC 5452's checks (source address and port, ID, question) and RFC 1035's format.
 */
public enum DnsCounter {
    /** Lookups applications asked for. */
    LOOKUPS,
    LOOKUPS_ANSWERED_FROM_CACHE,
    LOOKUPS_OK,
    LOOKUPS_FAILED,
    /** Applications that stopped waiting before the answer. */
    LOOKUPS_ABANDONED,
    QUERIES_SENT_UDP,
    QUERIES_SENT_TCP,
    /** An attempt with no answer within its timeout; the next server or round follows. */
    ATTEMPT_TIMEOUTS,
    /**
     * An attempt answered by an ICMP destination unreachable about its query (from the server
     * asked, port 53, the query's ID where quoted): the next server follows at once.
     */
    ATTEMPT_UNREACHABLE,
    /** An ICMP error about a DNS port that does not match the query in flight there (or none is): dropped. */
    ICMP_DROP_NOT_OUR_QUERY,
    /**
     * An ICMP error about a DNS port that ends no attempt: a soft one (net or host unreachable,
     * fragmentation needed, time exceeded...; RFC 1122 4.2.3.9, Linux's icmp_err_convert), often
     * passing, left to the attempt's timeout.
     */
    ICMP_SOFT_IGNORED,
    /** Messages that passed every check and were used. */
    ANSWERS_ACCEPTED,
    /** TC set (RFC 1035 4.1.1): the query was asked again over TCP (RFC 7766 5). */
    ANSWERS_TRUNCATED,
    RCODE_NAME_ERROR,
    /** SERVFAIL, REFUSED, NOTIMP, FORMERR or another RCODE: the next server is asked. */
    RCODE_FAILURE,
    /** RFC 5452 9.1: not from the server asked, or not from port 53. */
    RX_DROP_WRONG_SOURCE,
    /** RFC 5452 9.1: another ID than the query's. */
    RX_DROP_WRONG_ID,
    /** RFC 5452 9.1: the question section is not the query's (name, type, class, count). */
    RX_DROP_WRONG_QUESTION,
    /** QR clear or an opcode other than 0. */
    RX_DROP_NOT_A_RESPONSE,
    /** Shorter than a header. */
    RX_DROP_TRUNCATED_HEADER,
    /** A label or pointer past the end of the message. */
    RX_DROP_NAME_PAST_END,
    /** A compression pointer that does not point back (a loop). */
    RX_DROP_POINTER_LOOP,
    RX_DROP_NAME_TOO_LONG,
    RX_DROP_BAD_LABEL_TYPE,
    /** A question's or record's fields or RDATA past the end of the message. */
    RX_DROP_RECORD_PAST_END,
    /** An A record with RDATA other than 4 octets, or a CNAME whose RDATA is not one name. */
    RX_DROP_BAD_RDATA,
    /** A message for a query no longer waiting for one (a late answer over TCP). */
    RX_DROP_UNEXPECTED,
    /** Aliases followed within an answer. */
    CNAMES_FOLLOWED,
    /** An alias without its addresses in the answer: the canonical name was asked (RFC 1034 5.3.3). */
    CNAME_RESTARTS,
    CNAME_LOOPS,
    /** A TCP answer longer than StackConfig dnsTcpMessageBytes. */
    TCP_ANSWER_TOO_LONG,
    /** A TCP connection to a server closed or reset before the whole answer arrived. */
    TCP_FAILURES,
    /** More A records than a result holds ({@link DnsCache#MAX_ADDRESSES}); the rest were left out. */
    ADDRESSES_LEFT_OUT,
    /** No UDP endpoint, dynamic port or TCB free for a query. */
    NO_RESOURCES
}
