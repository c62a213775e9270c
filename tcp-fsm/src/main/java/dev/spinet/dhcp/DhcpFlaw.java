package dev.spinet.dhcp;

/**
 * Why {@link DhcpMessage#wrap} refused a message. Once it returned {@link #OK}, no accessor of the
 * view reads outside the message.
 */
public enum DhcpFlaw {
    OK,
    /** Shorter than the 236-byte BOOTP header plus the 4-byte magic cookie. */
    TRUNCATED,
    /** The options field does not start with 99.130.83.99 (RFC 2131 3, RFC 2132 2). */
    BAD_MAGIC_COOKIE,
    /** An option's code has no length byte, or its length runs past the end of the message. */
    OPTION_OVERRUNS_MESSAGE,
    /** The options never reach the end option (255) (RFC 2132 3.2). */
    NO_END_OPTION,
    /** An option this client reads has the wrong length (message type not 1 byte, an address not 4, ...). */
    BAD_OPTION_LENGTH,
    /** An option this client reads appears twice: which one to believe is ambiguous, so neither. */
    DUPLICATE_OPTION,
    /** No DHCP message type (option 53): a plain BOOTP message, or garbage. */
    NO_MESSAGE_TYPE
}
