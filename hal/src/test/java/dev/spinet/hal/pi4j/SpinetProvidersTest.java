package dev.spinet.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiMode;
import dev.spinet.hal.linux.GpioV2;
import dev.spinet.hal.linux.LinuxSyscalls;
import dev.spinet.hal.linux.RaspberryPi;
import dev.spinet.hal.linux.SpiIocTransfer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spinet's Pi4J providers registered in a real Pi4J 4 context, over a mocked syscall seam. */
class SpinetProvidersTest {

    private record Ioctl(int fd, long request, byte[] argument) {
    }

    private LinuxSyscalls syscalls;
    private final List<Ioctl> ioctls = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();
    private long lineBits;
    private Context context;

    @BeforeEach
    void setUp() {
        syscalls = mock(LinuxSyscalls.class);
        when(syscalls.open(any(), anyInt())).thenAnswer(invocation -> {
            opened.add(invocation.getArgument(0));
            return 20 + opened.size();
        });
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            int fd = invocation.getArgument(0);
            long request = invocation.getArgument(1);
            MemorySegment argument = invocation.getArgument(2);
            if (request == GpioV2.GET_CHIPINFO_IOCTL) {
                argument.set(ValueLayout.JAVA_INT, GpioV2.CHIP_INFO_LINES_OFFSET, 54);
            } else if (request == GpioV2.GET_LINE_IOCTL) {
                argument.set(ValueLayout.JAVA_INT, GpioV2.REQUEST_FD_OFFSET, 40 + ioctls.size());
            } else if (request == GpioV2.LINE_GET_VALUES_IOCTL) {
                argument.set(ValueLayout.JAVA_LONG, 0, lineBits);
            }
            ioctls.add(new Ioctl(fd, request, argument.toArray(ValueLayout.JAVA_BYTE)));
            return 0;
        });
        context = SpinetPi4j.newContext(() -> syscalls, 4);
    }

    @AfterEach
    void tearDown() {
        context.shutdown();
    }

    private Ioctl last(long request) {
        Ioctl found = null;
        for (Ioctl call : ioctls) {
            if (call.request() == request) {
                found = call;
            }
        }
        return found;
    }

    @Test
    void providersAreRegistered() {
        assertTrue(context.hasProvider(SpinetSpiProvider.ID));
        assertTrue(context.hasProvider(SpinetDigitalInputProvider.ID));
        assertTrue(context.hasProvider(SpinetDigitalOutputProvider.ID));
    }

    @Test
    void spiFromTheContextIsSpidevWithTheConfigsBusModeAndBaud() {
        Spi spi = context.create(Spi.newConfigBuilder(context).id("eth").bus(SpiBus.BUS_1).channel(2)
                .mode(SpiMode.MODE_3).baud(25_000_000).provider(SpinetSpiProvider.ID));
        assertInstanceOf(SpinetSpi.class, spi);
        assertEquals(List.of("/dev/spidev1.2"), opened);
        assertEquals(3, last(SpiIocTransfer.SPI_IOC_WR_MODE).argument()[0]);
        assertEquals(25_000_000, MemorySegment.ofArray(last(SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ).argument())
                .get(ValueLayout.JAVA_INT_UNALIGNED, 0));

        assertEquals(4, spi.transfer(new byte[] {1, 2, 3, 4}, 0, new byte[4], 0, 4));
        Ioctl message = last(SpiIocTransfer.SPI_IOC_MESSAGE_1);
        assertEquals(4, MemorySegment.ofArray(message.argument()).get(ValueLayout.JAVA_INT_UNALIGNED, 16));

        spi.writeThenRead(new byte[] {0x3A}, 0, 1, 0, new byte[8], 0, 8);
        assertEquals(SpiIocTransfer.SPI_IOC_MESSAGE_2, ioctls.getLast().request(), "write-then-read keeps CS: one MESSAGE(2)");
        assertThrows(UnsupportedOperationException.class,
                () -> spi.writeThenRead(new byte[1], 0, 1, 10, new byte[1], 0, 1));

        // Our drivers take the port directly.
        ((SpinetSpi) spi).spiBus().transfer(new byte[] {0x00, 0x39, 0x00}, 0, 3, null, 0, new byte[1], 0, 1);
        assertEquals(SpiIocTransfer.SPI_IOC_MESSAGE_2, ioctls.getLast().request());
    }

    @Test
    void digitalOutputStartsAtItsInitialStateAndDrivesTheLine() {
        DigitalOutput reset = context.create(DigitalOutput.newConfigBuilder(context).id("reset").bcm(24)
                .initial(DigitalState.HIGH).shutdown(DigitalState.HIGH).provider(SpinetDigitalOutputProvider.ID));
        assertInstanceOf(SpinetDigitalOutput.class, reset);
        assertEquals("/dev/gpiochip4", opened.getFirst());
        MemorySegment request = MemorySegment.ofArray(last(GpioV2.GET_LINE_IOCTL).argument());
        assertEquals(24, request.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(GpioV2.FLAG_OUTPUT, request.get(ValueLayout.JAVA_LONG_UNALIGNED, 288));
        assertEquals(1L, request.get(ValueLayout.JAVA_LONG_UNALIGNED, 328), "requested high from the start");

        reset.low();
        MemorySegment values = MemorySegment.ofArray(last(GpioV2.LINE_SET_VALUES_IOCTL).argument());
        assertEquals(0L, values.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        reset.high();
        values = MemorySegment.ofArray(last(GpioV2.LINE_SET_VALUES_IOCTL).argument());
        assertEquals(1L, values.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertTrue(((SpinetDigitalOutput) reset).outputPin().isHigh());
    }

    @Test
    void digitalInputRequestsBothEdgesWithThePull() {
        DigitalInput interrupt = context.create(DigitalInput.newConfigBuilder(context).id("int").bcm(25)
                .pull(PullResistance.PULL_UP).provider(SpinetDigitalInputProvider.ID));
        assertInstanceOf(SpinetDigitalInput.class, interrupt);
        MemorySegment request = MemorySegment.ofArray(last(GpioV2.GET_LINE_IOCTL).argument());
        assertEquals(25, request.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(GpioV2.FLAG_INPUT | GpioV2.FLAG_EDGE_RISING | GpioV2.FLAG_EDGE_FALLING | GpioV2.FLAG_BIAS_PULL_UP,
                request.get(ValueLayout.JAVA_LONG_UNALIGNED, 288));
        lineBits = 1;
        assertEquals(DigitalState.HIGH, interrupt.state());
        lineBits = 0;
        assertEquals(DigitalState.LOW, interrupt.state());
    }

    @Test
    void configWithoutBaudUsesPi4jsDefaultBaud() {
        context.create(Spi.newConfigBuilder(context).id("x").bus(SpiBus.BUS_0).channel(0).provider(SpinetSpiProvider.ID));
        assertEquals(List.of("/dev/spidev0.0"), opened);
        assertEquals(Spi.DEFAULT_BAUD, MemorySegment.ofArray(last(SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ).argument())
                .get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(0, last(SpiIocTransfer.SPI_IOC_WR_MODE).argument()[0]);
    }

    @Test
    void notAPiGivesAMessageNotAStackTrace() {
        assumeTrue(RaspberryPi.model().isEmpty(), "this machine is a Raspberry Pi");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SpinetPi4j.newBoardContext(0));
        assertTrue(e.getMessage().contains("not one"), e.getMessage());
        assertTrue(e.getMessage().contains("--hal tap"), e.getMessage());
    }
}
