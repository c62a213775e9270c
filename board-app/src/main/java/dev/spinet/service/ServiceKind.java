package dev.spinet.service;

import java.util.Locale;

/** The services {@code spinet run --services} can start, with their well-known TCP ports. */
public enum ServiceKind {
    /** RFC 862: whatever arrives is sent back, over TCP and over UDP. */
    ECHO(7),
    /** RFC 863: whatever arrives is thrown away. */
    DISCARD(9),
    /** RFC 864: an endless stream of 72-character lines; input is thrown away. */
    CHARGEN(19),
    /** HTTP/1.1 status server: {@code /}, {@code /status.json}, {@code /diagram.svg}. */
    HTTP(80);

    private static final ServiceKind[] VALUES = values();

    private final int port;

    ServiceKind(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** The lower-case name used on the command line and in the config file. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cached {@code values()} array (do not modify). */
    public static ServiceKind[] all() {
        return VALUES;
    }

    /**
     * @throws IllegalArgumentException naming the known services
     */
    public static ServiceKind parse(String text) {
        for (ServiceKind kind : VALUES) {
            if (kind.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown service '" + text.trim() + "'; known: echo, discard, chargen, http");
    }
}
