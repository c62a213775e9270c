package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The ioctl numbers our {@link Ioctl} helpers compute and the struct offsets the bindings write,
 * against literals the C compiler produced from the kernel's own headers: output of
 * {@code hal/src/test/c/kernel_constants.c} compiled with gcc 12 against Debian 12's
 * linux-libc-dev 6.1.187 (x86-64) when this binding was written. arm64 uses the same
 * asm-generic encoding and the same struct layouts (all fields naturally aligned, no pointers).
 */
class KernelConstantsTest {

    @Test
    void spidevIoctlNumbersMatchTheHeaders() {
        assertEquals(0x40206B00L, SpiIocTransfer.SPI_IOC_MESSAGE_1);
        assertEquals(0x40406B00L, SpiIocTransfer.SPI_IOC_MESSAGE_2);
        assertEquals(0x40206B00L, SpiIocTransfer.message(1));
        assertEquals(0x40016B01L, SpiIocTransfer.SPI_IOC_WR_MODE);
        assertEquals(0x80016B01L, SpiIocTransfer.SPI_IOC_RD_MODE);
        assertEquals(0x40016B03L, SpiIocTransfer.SPI_IOC_WR_BITS_PER_WORD);
        assertEquals(0x40046B04L, SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ);
        assertEquals(0x80046B04L, SpiIocTransfer.SPI_IOC_RD_MAX_SPEED_HZ);
    }

    @Test
    void spiIocTransferLayoutMatchesTheHeader() {
        assertEquals(32, SpiIocTransfer.SIZE);
        assertEquals(0, SpiIocTransfer.TX_BUF_OFFSET);
        assertEquals(8, SpiIocTransfer.RX_BUF_OFFSET);
        assertEquals(16, SpiIocTransfer.LEN_OFFSET);
        assertEquals(20, SpiIocTransfer.SPEED_HZ_OFFSET);
        assertEquals(24, SpiIocTransfer.DELAY_USECS_OFFSET);
        assertEquals(26, SpiIocTransfer.BITS_PER_WORD_OFFSET);
        assertEquals(27, SpiIocTransfer.CS_CHANGE_OFFSET);
        assertEquals(28, SpiIocTransfer.TX_NBITS_OFFSET);
        assertEquals(29, SpiIocTransfer.RX_NBITS_OFFSET);
        assertEquals(30, SpiIocTransfer.WORD_DELAY_USECS_OFFSET);
    }

    @Test
    void tunConstantsMatchTheHeaders() {
        assertEquals(0x400454CAL, IfReq.TUNSETIFF);
        assertEquals(0x800454D2L, IfReq.TUNGETIFF);
        assertEquals(0x0002, IfReq.IFF_TAP);
        assertEquals(0x1000, IfReq.IFF_NO_PI);
        assertEquals(40, IfReq.SIZE);
        assertEquals(16, IfReq.NAME_SIZE);
        assertEquals(16, IfReq.FLAGS_OFFSET);
    }

    @Test
    void gpioV2IoctlNumbersMatchTheHeader() {
        assertEquals(0xC250B407L, GpioV2.GET_LINE_IOCTL);
        assertEquals(0xC010B40FL, GpioV2.LINE_SET_VALUES_IOCTL);
        assertEquals(0xC010B40EL, GpioV2.LINE_GET_VALUES_IOCTL);
        assertEquals(0xC110B40DL, GpioV2.LINE_SET_CONFIG_IOCTL);
        assertEquals(0x8044B401L, GpioV2.GET_CHIPINFO_IOCTL);
    }

    @Test
    void gpioV2StructLayoutsMatchTheHeader() {
        assertEquals(592, GpioV2.LINE_REQUEST_SIZE);
        assertEquals(272, GpioV2.LINE_CONFIG_SIZE);
        assertEquals(16, GpioV2.LINE_VALUES_SIZE);
        assertEquals(48, GpioV2.LINE_EVENT_SIZE);
        assertEquals(16, GpioV2.LINE_ATTRIBUTE_SIZE);
        assertEquals(24, GpioV2.CONFIG_ATTRIBUTE_SIZE);
        assertEquals(68, GpioV2.CHIP_INFO_SIZE);
        assertEquals(64, GpioV2.LINES_MAX);
        assertEquals(10, GpioV2.NUM_ATTRS_MAX);
        assertEquals(32, GpioV2.MAX_NAME_SIZE);
        assertEquals(0, GpioV2.REQUEST_OFFSETS_OFFSET);
        assertEquals(256, GpioV2.REQUEST_CONSUMER_OFFSET);
        assertEquals(288, GpioV2.REQUEST_CONFIG_OFFSET);
        assertEquals(560, GpioV2.REQUEST_NUM_LINES_OFFSET);
        assertEquals(564, GpioV2.REQUEST_EVENT_BUFFER_SIZE_OFFSET);
        assertEquals(588, GpioV2.REQUEST_FD_OFFSET);
        assertEquals(0, GpioV2.LINE_CONFIG_FLAGS_OFFSET);
        assertEquals(8, GpioV2.LINE_CONFIG_NUM_ATTRS_OFFSET);
        assertEquals(32, GpioV2.LINE_CONFIG_ATTRS_OFFSET);
        assertEquals(16, GpioV2.CONFIG_ATTRIBUTE_MASK_OFFSET);
        assertEquals(8, GpioV2.ATTRIBUTE_VALUE_OFFSET);
        assertEquals(8, GpioV2.LINE_VALUES_MASK_OFFSET);
        assertEquals(8, GpioV2.EVENT_ID_OFFSET);
        assertEquals(12, GpioV2.EVENT_OFFSET_OFFSET);
        assertEquals(16, GpioV2.EVENT_SEQNO_OFFSET);
        assertEquals(20, GpioV2.EVENT_LINE_SEQNO_OFFSET);
        assertEquals(64, GpioV2.CHIP_INFO_LINES_OFFSET);
    }

    @Test
    void gpioV2FlagsMatchTheHeader() {
        assertEquals(0x1, GpioV2.FLAG_USED);
        assertEquals(0x2, GpioV2.FLAG_ACTIVE_LOW);
        assertEquals(0x4, GpioV2.FLAG_INPUT);
        assertEquals(0x8, GpioV2.FLAG_OUTPUT);
        assertEquals(0x10, GpioV2.FLAG_EDGE_RISING);
        assertEquals(0x20, GpioV2.FLAG_EDGE_FALLING);
        assertEquals(0x40, GpioV2.FLAG_OPEN_DRAIN);
        assertEquals(0x100, GpioV2.FLAG_BIAS_PULL_UP);
        assertEquals(0x400, GpioV2.FLAG_BIAS_DISABLED);
        assertEquals(0x800, GpioV2.FLAG_EVENT_CLOCK_REALTIME);
        assertEquals(1, GpioV2.ATTR_ID_FLAGS);
        assertEquals(2, GpioV2.ATTR_ID_OUTPUT_VALUES);
        assertEquals(3, GpioV2.ATTR_ID_DEBOUNCE);
        assertEquals(1, GpioV2.EVENT_RISING_EDGE);
        assertEquals(2, GpioV2.EVENT_FALLING_EDGE);
    }

    @Test
    void libcConstantsMatchTheHeaders() {
        assertEquals(2, OpenFlags.O_RDWR);
        assertEquals(0x800, OpenFlags.O_NONBLOCK);
        assertEquals(0x80000, OpenFlags.O_CLOEXEC);
        assertEquals(1, PollFd.POLLIN);
        assertEquals(4, PollFd.POLLOUT);
        assertEquals(8, PollFd.POLLERR);
        assertEquals(0x10, PollFd.POLLHUP);
        assertEquals(8, PollFd.SIZE);
        assertEquals(11, Errno.EAGAIN);
        assertEquals(4, Errno.EINTR);
        assertEquals(1, Errno.EPERM);
        assertEquals(13, Errno.EACCES);
        assertEquals(2, Errno.ENOENT);
        assertEquals(16, Errno.EBUSY);
        assertEquals(19, Errno.ENODEV);
        assertEquals(22, Errno.EINVAL);
        assertEquals(90, Errno.EMSGSIZE);
        assertEquals(25, Errno.ENOTTY);
        assertEquals(6, Errno.ENXIO);
    }

    @Test
    void ioctlEncodingMatchesTheMacrosAndRejectsOverflow() {
        assertEquals(0x0000_5401L, Ioctl.io('T', 0x01));
        assertEquals(0x4004_54CAL, Ioctl.iow('T', 202, 4));
        assertEquals(0x8004_54D2L, Ioctl.ior('T', 210, 4));
        assertEquals(0xC250_B407L, Ioctl.iowr(0xB4, 7, 592));
        assertThrows(IllegalArgumentException.class, () -> Ioctl.iow('k', 0, 1 << 14));
        assertThrows(IllegalArgumentException.class, () -> Ioctl.iow(0x100, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> SpiIocTransfer.message(0));
        assertEquals(0x40000000L | (511L * 32 << 16) | 0x6B00L, SpiIocTransfer.message(511));
    }
}
