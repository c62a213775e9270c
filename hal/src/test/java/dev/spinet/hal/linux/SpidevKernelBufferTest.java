package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SpidevBus refuses exactly the transactions the kernel's spidev would refuse with EMSGSIZE, so
 * a too-large transfer is a clear message at the call and never an error under load. The fake
 * kernel below does what drivers/spi/spidev.c's spidev_message does with each
 * {@code spi_ioc_transfer}: {@code len_aligned = ALIGN(len, ARCH_DMA_MINALIGN)} (128 on arm64),
 * added to {@code rx_total} when {@code rx_buf} is set and to {@code tx_total} when
 * {@code tx_buf} is set, either total above {@code bufsiz} being EMSGSIZE.
 */
class SpidevKernelBufferTest {

    private static final int FD = 7;
    private static final int ARCH_DMA_MINALIGN = 128;

    private int ioctlMessages;

    private SpidevBus openWithKernelBufsiz(int bufsiz) {
        LinuxSyscalls syscalls = mock(LinuxSyscalls.class);
        when(syscalls.open(eq("/dev/spidev0.0"), anyInt())).thenReturn(FD);
        when(syscalls.strerror(anyInt())).thenReturn("Message too long");
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            long request = invocation.getArgument(1);
            MemorySegment transfers = invocation.getArgument(2);
            int segments = request == SpiIocTransfer.SPI_IOC_MESSAGE_1 ? 1 : request == SpiIocTransfer.SPI_IOC_MESSAGE_2 ? 2 : 0;
            if (segments == 0) {
                return 0;
            }
            ioctlMessages++;
            long txTotal = 0;
            long rxTotal = 0;
            for (int i = 0; i < segments; i++) {
                long base = (long) i * SpiIocTransfer.SIZE;
                long txBuf = transfers.get(ValueLayout.JAVA_LONG, base);
                long rxBuf = transfers.get(ValueLayout.JAVA_LONG, base + 8);
                int len = transfers.get(ValueLayout.JAVA_INT, base + 16);
                long lenAligned = (len + ARCH_DMA_MINALIGN - 1L) / ARCH_DMA_MINALIGN * ARCH_DMA_MINALIGN;
                if (rxBuf != 0) {
                    rxTotal += lenAligned;
                    if (rxTotal > bufsiz) {
                        return -Errno.EMSGSIZE;
                    }
                }
                if (txBuf != 0) {
                    txTotal += lenAligned;
                    if (txTotal > bufsiz) {
                        return -Errno.EMSGSIZE;
                    }
                }
            }
            return 0;
        });
        return new SpidevBus(syscalls, SpidevConfig.of(0, 0, 20_000_000).withBufferSize(bufsiz));
    }

    @ParameterizedTest(name = "bufsiz {0}: header {1} + {2} bytes, tx {3} rx {4}: kernel accepts {5}")
    @CsvSource({
            // spidev's default bufsiz: the W5500's largest receive burst (3-byte header, 4093 read) fits...
            "4096, 3, 4093, false, true,  true",
            // ...but a 4093-byte write does not: the header alone takes one 128-byte slot of tx_total
            "4096, 3, 4093, true,  false, false",
            "4096, 3, 3968, true,  false, true",
            "4096, 3, 3969, true,  false, false",
            // a raised bufsiz that is not a multiple of 128: the last partial slot is unusable
            "5000, 3, 4992, false, true,  true",
            "5000, 3, 4993, false, true,  false",
            "5000, 3, 4992, true,  true,  false",
            "5000, 3, 4864, true,  true,  true",
            "5000, 3, 4865, true,  true,  false",
            // one segment (no header): full duplex
            "5000, 0, 4997, true,  true,  false",
            "5000, 0, 4992, true,  true,  true",
            "4096, 0, 4096, true,  true,  true",
            "4096, 0, 4096, false, true,  true",
    })
    void javaRefusesExactlyWhatTheKernelRefuses(int bufsiz, int header, int length, boolean tx, boolean rx,
                                                boolean kernelAccepts) {
        try (SpidevBus bus = openWithKernelBufsiz(bufsiz)) {
            Runnable transfer = header == 0
                    ? () -> bus.transfer(tx ? new byte[length] : null, 0, rx ? new byte[length] : null, 0, length)
                    : () -> bus.transfer(new byte[header], 0, header, tx ? new byte[length] : null, 0,
                            rx ? new byte[length] : null, 0, length);
            if (kernelAccepts) {
                assertDoesNotThrow(transfer::run);
                assertEquals(1, ioctlMessages);
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, transfer::run);
                assertEquals(0, ioctlMessages, "refused before the ioctl");
                assertTrue(e.getMessage().contains("128-byte"), e.getMessage());
            }
        }
    }
}
