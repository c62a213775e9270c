package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.spi.SpiBus;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link FrameDevice}'s Javadoc promises, checked on every implementation: the W5500 and
 * ENC28J60 drivers on their chip emulators, the VirtualWire port the simulations use, the
 * {@code QueueFrameDevice} the unit tests use, and a Linux TAP in a network namespace of its own
 * (see {@link TapRig} for when that one is skipped). Each run opens a fresh {@link DeviceRig},
 * and ends with the rig's own health check (no invalid use of a chip, nothing left in its
 * receive memory, no read or write error on a TAP).
 *
 * <p>What is particular to one chip (its registers, errata, interrupt pin, buffer wrap) stays in
 * that chip's DriverOnEmulator test.
 */
class FrameDeviceContractTest {

    private static final long PEER = WireRig.PEER_MAC;
    private static final int ETHERNET_MIN_WITHOUT_FCS = 60;

    /** A kind of device, opened fresh for every run; {@code hasCable} when the test can pull it. */
    record Kind(String name, boolean hasCable, Opener opener) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Opener {
        DeviceRig open() throws Exception;
    }

    static Stream<Kind> devices() {
        return Stream.of(
                new Kind("W5500 driver on its emulator", true, WireRig::w5500),
                new Kind("ENC28J60 driver on its emulator", true, WireRig::enc28j60),
                new Kind("VirtualWire port", true, WireRig::virtualWirePort),
                new Kind("QueueFrameDevice", true, QueueRig::new),
                new Kind("Linux TAP in its own network namespace", false, TapRig::open),
                new Kind("Linux TAP with a transmit thread, in its own network namespace", false, TapRig::openWithTransmitThread));
    }

    static Stream<Kind> devicesWithACable() {
        return devices().filter(Kind::hasCable);
    }

    /** Frame lengths from the Ethernet minimum to a full 1500-byte MTU, around the word boundaries. */
    static Stream<Arguments> devicesAndFrameLengths() {
        return devices().flatMap(kind -> Stream.of(60, 61, 64, 65, 512, 1513, 1514).map(length -> Arguments.of(kind, length)));
    }

    private final byte[] buffer = new byte[1514];
    private DeviceRig rig;

    private FrameDevice open(Kind kind) throws Exception {
        rig = kind.opener().open();
        return rig.device();
    }

    @AfterEach
    void checkAndCloseTheRig() {
        if (rig != null) {
            try {
                rig.assertHealthy();
            } finally {
                rig.close();
            }
        }
    }

    // ---- receive ----

    @ParameterizedTest
    @MethodSource("devices")
    void receiveReturnsNoFrameWhenNothingIsWaiting(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        assertEquals(FrameDevice.NO_FRAME, device.receive(buffer, 0, buffer.length));
        assertEquals(FrameDevice.NO_FRAME, device.receive(buffer, 0, buffer.length), "asking again does not make a frame");
    }

    @ParameterizedTest
    @MethodSource("devicesAndFrameLengths")
    void receivesFramesOfEverySizeByteExact(Kind kind, int length) throws Exception {
        FrameDevice device = open(kind);
        byte[] sent = Frames.frame(rig.configuredMac(), PEER, length, length);
        rig.sendToDevice(sent);
        int n = rig.receive(buffer, 0, buffer.length);
        assertEquals(length, n);
        assertArrayEquals(sent, Arrays.copyOf(buffer, n));
        assertEquals(FrameDevice.NO_FRAME, device.receive(buffer, 0, buffer.length), "one frame in, one frame out");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void receiveCopiesTheFrameToTheOffsetAndWritesNothingElse(Kind kind) throws Exception {
        open(kind);
        byte[] sent = Frames.frame(rig.configuredMac(), PEER, 100, 7);
        rig.sendToDevice(sent);
        byte[] target = new byte[2000];
        Arrays.fill(target, (byte) 0x5A);
        int offset = 333;
        assertEquals(100, rig.receive(target, offset, 1514));
        assertArrayEquals(sent, Arrays.copyOfRange(target, offset, offset + 100));
        for (int i = 0; i < target.length; i++) {
            if (i < offset || i >= offset + 100) {
                assertEquals((byte) 0x5A, target[i], "byte " + i + " lies outside the frame");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void framesAddressedToTheDeviceOrBroadcastAreReceivedInTheOrderTheyArrived(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        byte[][] sent = new byte[8][];
        for (int i = 0; i < sent.length; i++) {
            // 60..739 bytes, 3.2 KB in all: fits the smallest receive memory (the ENC28J60's 6.5 KiB).
            sent[i] = Frames.frame(i % 2 == 0 ? rig.configuredMac() : MacAddress.BROADCAST, PEER, 60 + 97 * i, i);
            rig.sendToDevice(sent[i]);
        }
        for (int i = 0; i < sent.length; i++) {
            int n = rig.receive(buffer, 0, buffer.length);
            assertArrayEquals(sent[i], Arrays.copyOf(buffer, Math.max(n, 0)), "frame " + i);
        }
        assertEquals(FrameDevice.NO_FRAME, device.receive(buffer, 0, buffer.length));
    }

    /** FrameDevice.FRAME_TOO_LONG: "consumed and discarded (never truncated, never left to block the queue)". */
    @ParameterizedTest
    @MethodSource("devices")
    void aFrameLongerThanTheCapacityIsConsumedAndReportedAndTheNextOneFollows(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        byte[] tooLong = Frames.frame(rig.configuredMac(), PEER, 1000, 1);
        byte[] next = Arrays.copyOf(tooLong, 100);
        rig.sendToDevice(tooLong);
        rig.sendToDevice(next);
        assertEquals(FrameDevice.FRAME_TOO_LONG, rig.receive(buffer, 0, 500));
        assertEquals(100, rig.receive(buffer, 0, 500));
        assertArrayEquals(next, Arrays.copyOf(buffer, 100));
        assertEquals(FrameDevice.NO_FRAME, device.receive(buffer, 0, buffer.length));
        rig.counted(DeviceRig.Counted.RECEIVE_TOO_LONG).ifPresent(count -> assertEquals(1, count, "counted once"));
    }

    // ---- transmit ----

    /** The header alone is the shortest frame a caller may pass; the device pads it, the caller never does. */
    @ParameterizedTest
    @MethodSource("devices")
    void transmitsTheShortestAndTheLongestFramesPaddingShortOnesToSixtyBytes(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        for (int length : new int[] {FrameDevice.ETHERNET_HEADER_LENGTH, 42, 59, ETHERNET_MIN_WITHOUT_FCS, device.maxFrameLength()}) {
            byte[] frame = Frames.frame(PEER, rig.configuredMac(), length, length);
            assertTrue(device.transmit(frame, 0, length), length + " bytes accepted");
            byte[] onTheWire = rig.takeFromDevice();
            assertNotNull(onTheWire, length + " bytes reached the far end");
            assertEquals(Math.max(length, ETHERNET_MIN_WITHOUT_FCS), onTheWire.length, length + " bytes");
            assertArrayEquals(Frames.padded(frame), onTheWire, "zero padding after " + length + " bytes");
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void transmitTakesTheFrameFromTheOffset(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        byte[] frame = Frames.frame(PEER, rig.configuredMac(), 300, 3);
        byte[] source = new byte[1000];
        Arrays.fill(source, (byte) 0xA5);
        System.arraycopy(frame, 0, source, 17, frame.length);
        assertTrue(device.transmit(source, 17, frame.length));
        assertArrayEquals(frame, rig.takeFromDevice());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void framesLeaveInTheOrderTheyWereTransmitted(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        byte[][] frames = new byte[5][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Frames.frame(PEER, rig.configuredMac(), 100 + 100 * i, i);
            assertTrue(device.transmit(frames[i], 0, frames[i].length), "frame " + i);
        }
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], rig.takeFromDevice(), "frame " + i);
        }
    }

    /** FrameDevice.transmit: lengths below 14 or above maxFrameLength() are a caller bug, not a network condition. */
    @ParameterizedTest
    @MethodSource("devices")
    void transmitRejectsLengthsTheContractRules(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        byte[] frame = new byte[4000];
        assertThrows(IllegalArgumentException.class, () -> device.transmit(frame, 0, FrameDevice.ETHERNET_HEADER_LENGTH - 1));
        assertThrows(IllegalArgumentException.class, () -> device.transmit(frame, 0, device.maxFrameLength() + 1));
    }

    // ---- identity and link ----

    @ParameterizedTest
    @MethodSource("devices")
    void reportsItsUnicastMacAnEthernetMtuAndLinkUp(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        long mac = device.macAddress();
        assertEquals(rig.configuredMac(), mac);
        assertEquals(0, mac >>> 48, "48 bits in the low bits of the long");
        assertEquals(0, (mac >>> 40) & 1, "unicast: the group bit of the first octet is clear");
        assertEquals(1500, device.mtu(), "Ethernet");
        assertEquals(device.mtu() + FrameDevice.ETHERNET_HEADER_LENGTH, device.maxFrameLength());
        assertTrue(device.linkUp(), "connected at start");
    }

    @ParameterizedTest
    @MethodSource("devicesWithACable")
    void withTheCablePulledTheLinkIsDownAndTransmitRefusesUntilItIsPluggedBack(Kind kind) throws Exception {
        FrameDevice device = open(kind);
        assertTrue(device.linkUp());
        rig.plugCable(false);
        assertFalse(device.linkUp());
        byte[] frame = Frames.frame(PEER, rig.configuredMac(), 100, 1);
        assertFalse(device.transmit(frame, 0, frame.length), "no carrier: refused, not thrown");
        rig.counted(DeviceRig.Counted.TRANSMIT_LINK_DOWN).ifPresent(count -> assertEquals(1, count, "counted once"));
        rig.plugCable(true);
        assertTrue(device.linkUp());
        assertTrue(device.transmit(frame, 0, frame.length));
        assertArrayEquals(frame, rig.takeFromDevice());
    }

    // ---- controller drivers ----

    /** An SPI bus with no chip on it: MISO floats high, every byte reads 0xFF. */
    private static final SpiBus NO_CHIP = new SpiBus() {
        @Override
        public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
            if (rx != null) {
                Arrays.fill(rx, rxOffset, rxOffset + length, (byte) 0xFF);
            }
        }

        @Override
        public void transfer(byte[] header, int headerOffset, int headerLength, byte[] tx, int txOffset, byte[] rx,
                             int rxOffset, int length) {
            transfer(tx, txOffset, rx, rxOffset, length);
        }
    };

    static Stream<Arguments> controllerDriversWithNoChipAnswering() {
        SteppingClock clock = new SteppingClock(100_000L);
        Executable w5500 = () -> new W5500Driver(NO_CHIP, null, null, clock, W5500Config.defaults(W5500Emulator.DEFAULT_MAC)).init();
        Executable enc28j60 = () -> new Enc28j60Driver(NO_CHIP, null, null, clock,
                Enc28j60Config.defaults(Enc28j60Emulator.DEFAULT_MAC)).init();
        return Stream.of(
                Arguments.of(Named.of("W5500", w5500), List.of("MR.RST", "VERSIONR")),
                Arguments.of(Named.of("ENC28J60", enc28j60), List.of("EREVID")));
    }

    @ParameterizedTest
    @MethodSource("controllerDriversWithNoChipAnswering")
    void initFailsNamingTheRegisterThatDidNotAnswer(Executable init, List<String> registers) {
        IllegalStateException e = assertThrows(IllegalStateException.class, init);
        assertTrue(registers.stream().anyMatch(e.getMessage()::contains), e.getMessage());
    }
}
