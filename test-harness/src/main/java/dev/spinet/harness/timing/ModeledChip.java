package dev.spinet.harness.timing;

import dev.spinet.harness.net.LinkRate;

/** A controller the timing model knows, with the wire it sits on. */
public enum ModeledChip {
    /** WIZnet W5500 in MACRAW mode: 100BASE-TX full duplex, 16 KiB for frames each way. */
    W5500(LinkRate.HUNDRED_BASE_TX_FULL),
    /** Microchip ENC28J60: 10BASE-T half duplex, 6.5 KiB receive FIFO, one frame to transmit at a time. */
    ENC28J60(LinkRate.TEN_BASE_T_HALF);

    private final LinkRate link;

    ModeledChip(LinkRate link) {
        this.link = link;
    }

    /** The wire this chip's PHY runs. */
    public LinkRate link() {
        return link;
    }
}
