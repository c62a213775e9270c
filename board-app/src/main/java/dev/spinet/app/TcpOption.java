package dev.spinet.app;

import java.util.Locale;

/** A TCP option {@code spinet run --tcp-options} can offer (StackConfig.tcpOptions). */
public enum TcpOption {
    /** RFC 7323 window scaling. */
    WSCALE,
    /** RFC 7323 timestamps (RTTM, PAWS). */
    TIMESTAMPS,
    /** RFC 2018 SACK with RFC 2883 D-SACK and RFC 6675 loss recovery. */
    SACK;

    /** The option named {@code text} (wscale, timestamps, sack), or an error naming the choices. */
    public static TcpOption parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        for (TcpOption option : values()) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        throw new IllegalArgumentException("'" + text.trim() + "' is no TCP option; give wscale, timestamps, sack, or none");
    }
}
