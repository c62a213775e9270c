package dev.spinet.tcp;

/**
 * The congestion window a connection starts its data transfer with (RFC 5681 section 3.1), set
 * once, when our SYN is acknowledged and the SMSS is known.
 */
final class InitialWindow {

    private InitialWindow() {
    }

    /**
     * IW in bytes for a sender's maximum segment size.
     *
     * @param synTimedOut whether the retransmission timer expired while our SYN (or SYN,ACK) was
     *                    unacknowledged
     */
    static int bytes(int smss, boolean synTimedOut) {
        if (synTimedOut) {
            // "if the SYN or SYN/ACK is lost, the initial window used by a sender after a
            // correctly transmitted SYN MUST be one segment consisting of at most SMSS bytes."
            return smss;
        }
        // Equation 3: "If SMSS > 2190 bytes: IW = 2 * SMSS bytes ...; If (SMSS > 1095 bytes) and
        // (SMSS <= 2190 bytes): IW = 3 * SMSS bytes ...; if SMSS <= 1095 bytes: IW = 4 * SMSS".
        if (smss > 2190) {
            return 2 * smss;
        }
        return smss > 1095 ? 3 * smss : 4 * smss;
    }
}
