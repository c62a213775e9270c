package dev.spinet.harness.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.testkit.AllocationAssert;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The timing model's decorators on the packet path allocate nothing: a frame in over a wire with
 * a bit rate, through the timed SPI bus, and a frame out through the one-frame transmit wait,
 * the model clock moving all the while.
 */
@Tag("allocation")
class TimedBoardAllocationTest {

    private static final long PEER = 0x0200_0000_0099L;

    @ParameterizedTest
    @EnumSource(ModeledChip.class)
    void aFrameInAndAFrameOutUnderTheModelAllocateNothing(ModeledChip kind) {
        ManualClock clock = new ManualClock();
        SimulatedTime time = new SimulatedTime(clock);
        VirtualWire wire = new VirtualWire(clock, 16, 1514);
        ModeledBoard board = new ModeledBoard(kind, 0x0200_0000_0B0DL, SpiTiming.onPi(20_000_000L), wire, "board", time);
        VirtualWire.Port peer = wire.connect("peer", PEER);
        FrameDevice device = board.device();
        byte[] in = frame(board.driver().macAddress(), PEER, 1514);
        byte[] out = frame(PEER, board.driver().macAddress(), 1514);
        byte[] buffer = new byte[1514];
        int[] received = new int[1];
        Runnable round = () -> {
            peer.transmit(in, 0, in.length);
            for (int i = 0; i < 100; i++) {
                if (device.receive(buffer, 0, buffer.length) > 0) {
                    received[0]++;
                    break;
                }
                time.spend(100_000L); // the board idles until the frame is in
            }
            device.receive(buffer, 0, buffer.length);
            device.transmit(out, 0, out.length);
            time.spend(2_000_000L);
            while (peer.receive(buffer, 0, buffer.length) != FrameDevice.NO_FRAME) {
                // drained: the peer takes what the board sent
            }
        };
        AllocationAssert.assertZeroAllocation(kind + " under the timing model", 2_000, 500, 3, round);
        assertTrue(received[0] > 0);
        assertEquals(List.of(), board.chip().invalidUses());
        assertEquals(0, board.chip().framesDropped());
    }

    private static byte[] frame(long destination, long source, int length) {
        byte[] frame = new byte[length];
        MacAddress.write(destination, frame, 0);
        MacAddress.write(source, frame, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5;
        return frame;
    }
}
