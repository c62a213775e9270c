package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ioctl numbers our {@link Ioctl} helpers compute and the struct offsets the bindings write,
 * against literals the C compiler produced from the kernel's own headers: output of
 * {@code hal/src/test/c/kernel_constants.c} compiled with gcc 12 against Debian 12's
 * linux-libc-dev 6.1.187 (x86-64) when this binding was written. arm64 uses the same
 * asm-generic encoding and the same struct layouts (all fields naturally aligned, no pointers).
 * Each constant is named as that program prints it, so a regenerated output compares line by line.
 */
class KernelConstantsTest {

    static Stream<Arguments> headerValues() {
        return Stream.of(
                // linux/spi/spidev.h: ioctl numbers
                header("SPI_IOC_MESSAGE(1)", 0x40206B00L, SpiIocTransfer.SPI_IOC_MESSAGE_1),
                header("SPI_IOC_MESSAGE(2)", 0x40406B00L, SpiIocTransfer.SPI_IOC_MESSAGE_2),
                header("SPI_IOC_MESSAGE(1) computed", 0x40206B00L, SpiIocTransfer.message(1)),
                header("SPI_IOC_WR_MODE", 0x40016B01L, SpiIocTransfer.SPI_IOC_WR_MODE),
                header("SPI_IOC_RD_MODE", 0x80016B01L, SpiIocTransfer.SPI_IOC_RD_MODE),
                header("SPI_IOC_WR_BITS_PER_WORD", 0x40016B03L, SpiIocTransfer.SPI_IOC_WR_BITS_PER_WORD),
                header("SPI_IOC_WR_MAX_SPEED_HZ", 0x40046B04L, SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ),
                header("SPI_IOC_RD_MAX_SPEED_HZ", 0x80046B04L, SpiIocTransfer.SPI_IOC_RD_MAX_SPEED_HZ),
                // linux/spi/spidev.h: struct spi_ioc_transfer
                header("sizeof(struct spi_ioc_transfer)", 32, SpiIocTransfer.SIZE),
                header("offsetof(spi_ioc_transfer,tx_buf)", 0, SpiIocTransfer.TX_BUF_OFFSET),
                header("offsetof(spi_ioc_transfer,rx_buf)", 8, SpiIocTransfer.RX_BUF_OFFSET),
                header("offsetof(spi_ioc_transfer,len)", 16, SpiIocTransfer.LEN_OFFSET),
                header("offsetof(spi_ioc_transfer,speed_hz)", 20, SpiIocTransfer.SPEED_HZ_OFFSET),
                header("offsetof(spi_ioc_transfer,delay_usecs)", 24, SpiIocTransfer.DELAY_USECS_OFFSET),
                header("offsetof(spi_ioc_transfer,bits_per_word)", 26, SpiIocTransfer.BITS_PER_WORD_OFFSET),
                header("offsetof(spi_ioc_transfer,cs_change)", 27, SpiIocTransfer.CS_CHANGE_OFFSET),
                header("offsetof(spi_ioc_transfer,tx_nbits)", 28, SpiIocTransfer.TX_NBITS_OFFSET),
                header("offsetof(spi_ioc_transfer,rx_nbits)", 29, SpiIocTransfer.RX_NBITS_OFFSET),
                header("offsetof(spi_ioc_transfer,word_delay_usecs)", 30, SpiIocTransfer.WORD_DELAY_USECS_OFFSET),
                // linux/if_tun.h, net/if.h
                header("TUNSETIFF", 0x400454CAL, IfReq.TUNSETIFF),
                header("TUNGETIFF", 0x800454D2L, IfReq.TUNGETIFF),
                header("IFF_TAP", 0x0002, IfReq.IFF_TAP),
                header("IFF_NO_PI", 0x1000, IfReq.IFF_NO_PI),
                header("sizeof(struct ifreq)", 40, IfReq.SIZE),
                header("IFNAMSIZ", 16, IfReq.NAME_SIZE),
                header("offsetof(ifreq,ifr_flags)", 16, IfReq.FLAGS_OFFSET),
                // linux/if_tun.h, linux/virtio_net.h: TAP offloads (gcc 12, linux-libc-dev 6.1.187, x86-64)
                header("TUNGETFEATURES", 0x800454CFL, TunOffload.TUNGETFEATURES),
                header("TUNSETOFFLOAD", 0x400454D0L, TunOffload.TUNSETOFFLOAD),
                header("TUNSETVNETHDRSZ", 0x400454D8L, TunOffload.TUNSETVNETHDRSZ),
                header("IFF_VNET_HDR", 0x4000, TunOffload.IFF_VNET_HDR),
                header("TUN_F_CSUM", 0x01, TunOffload.TUN_F_CSUM),
                header("TUN_F_TSO4", 0x02, TunOffload.TUN_F_TSO4),
                header("sizeof(struct virtio_net_hdr)", 10, VirtioNetHeader.SIZE),
                header("offsetof(virtio_net_hdr,gso_type)", 1, VirtioNetHeader.GSO_TYPE_OFFSET),
                header("offsetof(virtio_net_hdr,hdr_len)", 2, VirtioNetHeader.HDR_LEN_OFFSET),
                header("offsetof(virtio_net_hdr,gso_size)", 4, VirtioNetHeader.GSO_SIZE_OFFSET),
                header("offsetof(virtio_net_hdr,csum_start)", 6, VirtioNetHeader.CSUM_START_OFFSET),
                header("offsetof(virtio_net_hdr,csum_offset)", 8, VirtioNetHeader.CSUM_OFFSET_OFFSET),
                header("VIRTIO_NET_HDR_F_NEEDS_CSUM", 1, VirtioNetHeader.F_NEEDS_CSUM),
                header("VIRTIO_NET_HDR_F_DATA_VALID", 2, VirtioNetHeader.F_DATA_VALID),
                header("VIRTIO_NET_HDR_GSO_NONE", 0, VirtioNetHeader.GSO_NONE),
                header("VIRTIO_NET_HDR_GSO_TCPV4", 1, VirtioNetHeader.GSO_TCPV4),
                header("VIRTIO_NET_HDR_GSO_ECN", 0x80, VirtioNetHeader.GSO_ECN),
                // linux/io_uring.h (gcc 12.2, Debian 12 linux-libc-dev, x86-64, printed by the program above;
                // the syscall numbers are those of the shared table, asm-generic and x86-64 alike)
                header("__NR_io_uring_setup", 425, IoUring.SYS_IO_URING_SETUP),
                header("__NR_io_uring_enter", 426, IoUring.SYS_IO_URING_ENTER),
                header("sizeof(struct io_uring_params)", 120, IoUring.PARAMS_SIZE),
                header("offsetof(io_uring_params,sq_entries)", 0, IoUring.PARAMS_SQ_ENTRIES),
                header("offsetof(io_uring_params,cq_entries)", 4, IoUring.PARAMS_CQ_ENTRIES),
                header("offsetof(io_uring_params,features)", 20, IoUring.PARAMS_FEATURES),
                header("offsetof(io_uring_params,sq_off)", 40, IoUring.PARAMS_SQ_OFF),
                header("offsetof(io_uring_params,cq_off)", 80, IoUring.PARAMS_CQ_OFF),
                header("offsetof(io_sqring_offsets,head)", 0, IoUring.OFF_HEAD),
                header("offsetof(io_sqring_offsets,tail)", 4, IoUring.OFF_TAIL),
                header("offsetof(io_sqring_offsets,ring_mask)", 8, IoUring.OFF_RING_MASK),
                header("offsetof(io_sqring_offsets,array)", 24, IoUring.SQ_OFF_ARRAY),
                header("offsetof(io_cqring_offsets,head)", 0, IoUring.OFF_HEAD),
                header("offsetof(io_cqring_offsets,tail)", 4, IoUring.OFF_TAIL),
                header("offsetof(io_cqring_offsets,ring_mask)", 8, IoUring.OFF_RING_MASK),
                header("offsetof(io_cqring_offsets,cqes)", 20, IoUring.CQ_OFF_CQES),
                header("sizeof(struct io_uring_sqe)", 64, IoUring.SQE_SIZE),
                header("offsetof(io_uring_sqe,opcode)", 0, IoUring.SQE_OPCODE),
                header("offsetof(io_uring_sqe,fd)", 4, IoUring.SQE_FD),
                header("offsetof(io_uring_sqe,off)", 8, IoUring.SQE_OFF),
                header("offsetof(io_uring_sqe,addr)", 16, IoUring.SQE_ADDR),
                header("offsetof(io_uring_sqe,len)", 24, IoUring.SQE_LEN),
                header("offsetof(io_uring_sqe,rw_flags)", 28, IoUring.SQE_RW_FLAGS),
                header("offsetof(io_uring_sqe,user_data)", 32, IoUring.SQE_USER_DATA),
                header("sizeof(struct io_uring_cqe)", 16, IoUring.CQE_SIZE),
                header("offsetof(io_uring_cqe,user_data)", 0, IoUring.CQE_USER_DATA),
                header("offsetof(io_uring_cqe,res)", 8, IoUring.CQE_RES),
                header("IORING_OP_WRITE", 23, IoUring.IORING_OP_WRITE),
                header("RWF_NOWAIT", 8, IoUring.RWF_NOWAIT),
                header("IORING_FEAT_SINGLE_MMAP", 1, IoUring.IORING_FEAT_SINGLE_MMAP),
                header("IORING_ENTER_GETEVENTS", 1, IoUring.IORING_ENTER_GETEVENTS),
                header("IORING_OFF_SQ_RING", 0, IoUring.IORING_OFF_SQ_RING),
                header("IORING_OFF_CQ_RING", 0x8000000L, IoUring.IORING_OFF_CQ_RING),
                header("IORING_OFF_SQES", 0x10000000L, IoUring.IORING_OFF_SQES),
                // linux/gpio.h: v2 ioctl numbers
                header("GPIO_V2_GET_LINE_IOCTL", 0xC250B407L, GpioV2.GET_LINE_IOCTL),
                header("GPIO_V2_LINE_SET_VALUES_IOCTL", 0xC010B40FL, GpioV2.LINE_SET_VALUES_IOCTL),
                header("GPIO_V2_LINE_GET_VALUES_IOCTL", 0xC010B40EL, GpioV2.LINE_GET_VALUES_IOCTL),
                header("GPIO_V2_LINE_SET_CONFIG_IOCTL", 0xC110B40DL, GpioV2.LINE_SET_CONFIG_IOCTL),
                header("GPIO_GET_CHIPINFO_IOCTL", 0x8044B401L, GpioV2.GET_CHIPINFO_IOCTL),
                // linux/gpio.h: struct sizes, limits and offsets
                header("sizeof(struct gpio_v2_line_request)", 592, GpioV2.LINE_REQUEST_SIZE),
                header("sizeof(struct gpio_v2_line_config)", 272, GpioV2.LINE_CONFIG_SIZE),
                header("sizeof(struct gpio_v2_line_values)", 16, GpioV2.LINE_VALUES_SIZE),
                header("sizeof(struct gpio_v2_line_event)", 48, GpioV2.LINE_EVENT_SIZE),
                header("sizeof(struct gpio_v2_line_attribute)", 16, GpioV2.LINE_ATTRIBUTE_SIZE),
                header("sizeof(struct gpio_v2_line_config_attribute)", 24, GpioV2.CONFIG_ATTRIBUTE_SIZE),
                header("sizeof(struct gpiochip_info)", 68, GpioV2.CHIP_INFO_SIZE),
                header("GPIO_V2_LINES_MAX", 64, GpioV2.LINES_MAX),
                header("GPIO_V2_LINE_NUM_ATTRS_MAX", 10, GpioV2.NUM_ATTRS_MAX),
                header("GPIO_MAX_NAME_SIZE", 32, GpioV2.MAX_NAME_SIZE),
                header("offsetof(gpio_v2_line_request,offsets)", 0, GpioV2.REQUEST_OFFSETS_OFFSET),
                header("offsetof(gpio_v2_line_request,consumer)", 256, GpioV2.REQUEST_CONSUMER_OFFSET),
                header("offsetof(gpio_v2_line_request,config)", 288, GpioV2.REQUEST_CONFIG_OFFSET),
                header("offsetof(gpio_v2_line_request,num_lines)", 560, GpioV2.REQUEST_NUM_LINES_OFFSET),
                header("offsetof(gpio_v2_line_request,event_buffer_size)", 564, GpioV2.REQUEST_EVENT_BUFFER_SIZE_OFFSET),
                header("offsetof(gpio_v2_line_request,fd)", 588, GpioV2.REQUEST_FD_OFFSET),
                header("offsetof(gpio_v2_line_config,flags)", 0, GpioV2.LINE_CONFIG_FLAGS_OFFSET),
                header("offsetof(gpio_v2_line_config,num_attrs)", 8, GpioV2.LINE_CONFIG_NUM_ATTRS_OFFSET),
                header("offsetof(gpio_v2_line_config,attrs)", 32, GpioV2.LINE_CONFIG_ATTRS_OFFSET),
                header("offsetof(gpio_v2_line_config_attribute,mask)", 16, GpioV2.CONFIG_ATTRIBUTE_MASK_OFFSET),
                header("offsetof(gpio_v2_line_attribute,flags)", 8, GpioV2.ATTRIBUTE_VALUE_OFFSET),
                header("offsetof(gpio_v2_line_values,mask)", 8, GpioV2.LINE_VALUES_MASK_OFFSET),
                header("offsetof(gpio_v2_line_event,id)", 8, GpioV2.EVENT_ID_OFFSET),
                header("offsetof(gpio_v2_line_event,offset)", 12, GpioV2.EVENT_OFFSET_OFFSET),
                header("offsetof(gpio_v2_line_event,seqno)", 16, GpioV2.EVENT_SEQNO_OFFSET),
                header("offsetof(gpio_v2_line_event,line_seqno)", 20, GpioV2.EVENT_LINE_SEQNO_OFFSET),
                header("offsetof(gpiochip_info,lines)", 64, GpioV2.CHIP_INFO_LINES_OFFSET),
                // linux/gpio.h: line flags, attribute ids, event ids
                header("GPIO_V2_LINE_FLAG_USED", 0x1, GpioV2.FLAG_USED),
                header("GPIO_V2_LINE_FLAG_ACTIVE_LOW", 0x2, GpioV2.FLAG_ACTIVE_LOW),
                header("GPIO_V2_LINE_FLAG_INPUT", 0x4, GpioV2.FLAG_INPUT),
                header("GPIO_V2_LINE_FLAG_OUTPUT", 0x8, GpioV2.FLAG_OUTPUT),
                header("GPIO_V2_LINE_FLAG_EDGE_RISING", 0x10, GpioV2.FLAG_EDGE_RISING),
                header("GPIO_V2_LINE_FLAG_EDGE_FALLING", 0x20, GpioV2.FLAG_EDGE_FALLING),
                header("GPIO_V2_LINE_FLAG_OPEN_DRAIN", 0x40, GpioV2.FLAG_OPEN_DRAIN),
                header("GPIO_V2_LINE_FLAG_BIAS_PULL_UP", 0x100, GpioV2.FLAG_BIAS_PULL_UP),
                header("GPIO_V2_LINE_FLAG_BIAS_DISABLED", 0x400, GpioV2.FLAG_BIAS_DISABLED),
                header("GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME", 0x800, GpioV2.FLAG_EVENT_CLOCK_REALTIME),
                header("GPIO_V2_LINE_ATTR_ID_FLAGS", 1, GpioV2.ATTR_ID_FLAGS),
                header("GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES", 2, GpioV2.ATTR_ID_OUTPUT_VALUES),
                header("GPIO_V2_LINE_ATTR_ID_DEBOUNCE", 3, GpioV2.ATTR_ID_DEBOUNCE),
                header("GPIO_V2_LINE_EVENT_RISING_EDGE", 1, GpioV2.EVENT_RISING_EDGE),
                header("GPIO_V2_LINE_EVENT_FALLING_EDGE", 2, GpioV2.EVENT_FALLING_EDGE),
                // fcntl.h, poll.h, errno.h
                header("O_RDWR", 2, OpenFlags.O_RDWR),
                header("O_NONBLOCK", 0x800, OpenFlags.O_NONBLOCK),
                header("O_CLOEXEC", 0x80000, OpenFlags.O_CLOEXEC),
                header("POLLIN", 1, PollFd.POLLIN),
                header("POLLOUT", 4, PollFd.POLLOUT),
                header("POLLERR", 8, PollFd.POLLERR),
                header("POLLHUP", 0x10, PollFd.POLLHUP),
                header("sizeof(struct pollfd)", 8, PollFd.SIZE),
                header("EAGAIN", 11, Errno.EAGAIN),
                header("EINTR", 4, Errno.EINTR),
                header("EPERM", 1, Errno.EPERM),
                header("EACCES", 13, Errno.EACCES),
                header("ENOENT", 2, Errno.ENOENT),
                header("EBUSY", 16, Errno.EBUSY),
                header("ENODEV", 19, Errno.ENODEV),
                header("EINVAL", 22, Errno.EINVAL),
                header("EMSGSIZE", 90, Errno.EMSGSIZE),
                header("ENOTTY", 25, Errno.ENOTTY),
                header("ENXIO", 6, Errno.ENXIO));
    }

    /** {@code printed}: the constant as kernel_constants.c prints it; {@code value}: what it printed. */
    private static Arguments header(String printed, long value, long binding) {
        return Arguments.of(printed, value, binding);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerValues")
    void bindingMatchesTheHeaders(String printed, long value, long binding) {
        assertEquals(value, binding, printed);
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
