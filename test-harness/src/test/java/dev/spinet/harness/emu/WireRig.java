package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Counter;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Counter;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.harness.net.VirtualWire;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A device whose far end is another port of a {@link VirtualWire}: a VirtualWire port itself, or
 * a controller driver on its chip emulator with the emulator's PHY attached to the wire. The
 * cable is the device-side port's link.
 */
final class WireRig implements DeviceRig {

    static final long PEER_MAC = 0x0200_0000_0099L;

    private final FrameDevice device;
    private final long mac;
    private final VirtualWire wire;
    private final VirtualWire.Port cable;
    private final VirtualWire.Port peer;
    private final Runnable afterCableChange;
    private final Function<Counted, OptionalLong> counters;
    private final Runnable health;
    private final byte[] peerBuffer = new byte[VirtualWire.DEFAULT_FRAME_BYTES];

    private WireRig(FrameDevice device, long mac, VirtualWire wire, VirtualWire.Port cable, Runnable afterCableChange,
                    Function<Counted, OptionalLong> counters, Runnable health) {
        this.device = device;
        this.mac = mac;
        this.wire = wire;
        this.cable = cable;
        this.peer = wire.connect("far end", PEER_MAC);
        this.afterCableChange = afterCableChange;
        this.counters = counters;
        this.health = health;
    }

    /** A VirtualWire port, the mock device the simulations use. */
    static WireRig virtualWirePort() {
        VirtualWire wire = new VirtualWire(new SteppingClock(100_000L));
        VirtualWire.Port port = wire.connect("device", 0x0200_0000_0001L);
        return new WireRig(port, port.macAddress(), wire, port, () -> { }, event -> OptionalLong.of(switch (event) {
            case RECEIVE_TOO_LONG -> port.tooLong();
            case TRANSMIT_LINK_DOWN -> port.rejectedLinkDown();
        }), () -> assertEquals(0, wire.dropped(), "no queue on the wire overflowed"));
    }

    /** The W5500 driver on the W5500 emulator, default configuration (MACRAW with MAC filter). */
    static WireRig w5500() {
        SteppingClock clock = new SteppingClock(100_000L);
        W5500Emulator chip = new W5500Emulator();
        VirtualWire wire = new VirtualWire(clock);
        VirtualWire.Port phy = wire.connect("W5500 PHY", chip.mac());
        chip.attach(phy);
        W5500Config config = W5500Config.defaults(chip.mac());
        W5500Driver driver = EmulatedDrivers.w5500(chip, clock, config);
        return new WireRig(driver, chip.mac(), wire, phy, () -> {
            chip.pump();
            // The driver re-reads PHYCFGR.LNK only once per poll interval.
            clock.advance(config.linkPollIntervalNanos());
        }, event -> OptionalLong.of(driver.counter(switch (event) {
            case RECEIVE_TOO_LONG -> W5500Counter.RX_TOO_LONG;
            case TRANSMIT_LINK_DOWN -> W5500Counter.TX_LINK_DOWN;
        })), () -> {
            assertEquals(List.of(), chip.invalidUses());
            assertEquals(0, chip.receivedSize(), "everything consumed with RECV");
        });
    }

    /** The ENC28J60 driver on the ENC28J60 emulator, default configuration (half duplex, filters on). */
    static WireRig enc28j60() {
        SteppingClock clock = new SteppingClock(100_000L);
        Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        VirtualWire wire = new VirtualWire(clock);
        VirtualWire.Port phy = wire.connect("ENC28J60 PHY", chip.mac());
        chip.attach(phy);
        Enc28j60Driver driver = EmulatedDrivers.enc28j60(chip, clock, Enc28j60Config.defaults(chip.mac()));
        // The chip raises LINKIF when its PHY sees the change, which it does when it next looks at the wire.
        return new WireRig(driver, chip.mac(), wire, phy, chip::pump, event -> OptionalLong.of(driver.counter(switch (event) {
            case RECEIVE_TOO_LONG -> Enc28j60Counter.RX_TOO_LONG;
            case TRANSMIT_LINK_DOWN -> Enc28j60Counter.TX_LINK_DOWN;
        })), () -> {
            assertEquals(List.of(), chip.invalidUses());
            assertEquals(0, chip.packetCount(), "PKTDEC per frame");
        });
    }

    @Override
    public FrameDevice device() {
        return device;
    }

    @Override
    public long configuredMac() {
        return mac;
    }

    @Override
    public void sendToDevice(byte[] frame) {
        if (!peer.transmit(frame, 0, frame.length)) {
            throw new IllegalStateException("the far end could not send: " + wire);
        }
    }

    @Override
    public int receive(byte[] buffer, int offset, int capacity) {
        return device.receive(buffer, offset, capacity);
    }

    @Override
    public byte[] takeFromDevice() {
        int length = peer.receive(peerBuffer, 0, peerBuffer.length);
        return length > 0 ? java.util.Arrays.copyOf(peerBuffer, length) : null;
    }

    @Override
    public void plugCable(boolean plugged) {
        wire.setLinkUp(cable, plugged);
        afterCableChange.run();
    }

    @Override
    public OptionalLong counted(Counted event) {
        return counters.apply(event);
    }

    @Override
    public void assertHealthy() {
        health.run();
    }

    @Override
    public void close() {
        device.close();
    }
}
