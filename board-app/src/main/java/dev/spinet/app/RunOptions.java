package dev.spinet.app;

import dev.spinet.harness.emu.ChipFaultSpec;
import dev.spinet.harness.emu.FaultTrigger;
import dev.spinet.harness.timing.SpiTiming;
import dev.spinet.service.ServiceKind;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@code spinet run} needs, validated by the CLI: addresses as ints, the MAC as 48
 * bits (or {@link #DEFAULT_MAC} for the HAL's own), ports and pins as numbers.
 *
 * @param dhcp         {@code --ip dhcp}: get the address from a DHCP server (then ip/prefix are 0)
 * @param spi          {@code BUS.CS}, for the hardware HALs
 * @param spiHz        SPI clock; 0 for the HAL's default
 * @param gpiochip     {@code /dev/gpiochipN}, or {@link dev.spinet.hal.linux.HeaderGpioChip#AUTOMATIC} for the
 *                     40-pin header's chip found by its label
 * @param connections  TCBs (StackConfig tcpConnections)
 * @param bufferBytes  per-connection receive and send ring size
 * @param lab          {@code --lab NAME}: run the board in that lab's role, or null
 * @param peer         {@code --peer A.B.C.D}: the student's computer, for roles that connect out; 0 if none
 * @param board        {@code --board NAME}: the board's name in the class roster, or null
 * @param controlKeys  {@code --control-key FILE}: the board keys that open the control port, or null (port closed)
 * @param stateDir     {@code --state-dir DIR}: where a switched lab is remembered across restarts, or null
 * @param labFile      {@code --lab-file FILE}: the lab file on the boot partition, or null
 * @param chipFault    {@code --chip-fault NAME[:PARAM]}: a fault fired into the emulated chip (sim-* only), or null
 * @param chipFaultAfter {@code --chip-fault-after}: when it fires (null without a fault)
 * @param tcpOptions   {@code --tcp-options}: the TCP options offered in SYNs
 * @param tcpTuning    {@code --tcp-features}, {@code --pmtu-min}, {@code --fin-wait-2-timeout}: TCP's other switches
 * @param timing       {@code --spi-clock} on {@code sim-*}: the timing model's SPI clock and per-transaction
 *                     overhead (the emulated chip then runs at a board's speed); null for none
 * @param offload      {@code --hal tap} only: ask the kernel for TAP offloads (large segments, partial checksums)
 *                     when it supports them; {@code --no-offload} turns them off
 */
public record RunOptions(HalKind hal, String tap, boolean dhcp, int ip, int prefixLength, int gateway, long mac,
                         Set<ServiceKind> services, Path pcap, boolean trace, String spi, int spiHz, int intPin,
                         int resetPin, int gpiochip, int connections, int bufferBytes, String lab, int peer,
                         String board, Path controlKeys, Path stateDir, Path labFile,
                         ChipFaultSpec chipFault, FaultTrigger chipFaultAfter, Set<TcpOption> tcpOptions,
                         TcpTuning tcpTuning, SpiTiming timing, boolean offload) {

    /** "Use the HAL's default MAC." */
    public static final long DEFAULT_MAC = -1;

    public RunOptions {
        services = Set.copyOf(services);
        tcpOptions = Set.copyOf(tcpOptions);
        Objects.requireNonNull(tcpTuning, "tcpTuning (TcpTuning.DEFAULTS for StackConfig's own)");
    }

    /** The same board running another lab. */
    public RunOptions withLab(String newLab, int newPeer) {
        return new RunOptions(hal, tap, dhcp, ip, prefixLength, gateway, mac, services, pcap, trace, spi, spiHz, intPin,
                resetPin, gpiochip, connections, bufferBytes, newLab, newPeer, board, controlKeys, stateDir, labFile,
                chipFault, chipFaultAfter, tcpOptions, tcpTuning, timing, offload);
    }

    public int effectiveSpiHz() {
        return spiHz == 0 ? hal.defaultSpiHz() : spiHz;
    }
}
