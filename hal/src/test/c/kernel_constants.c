/*
 * Prints the kernel uAPI constants and struct layouts Spinet's FFM bindings hard-code.
 * KernelConstantsTest holds its output as literals. Regenerate with:
 *   gcc -o /tmp/kernel_constants hal/src/test/c/kernel_constants.c && /tmp/kernel_constants
 */
#include <stdio.h>
#include <stddef.h>
#include <linux/gpio.h>
#include <linux/spi/spidev.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <linux/io_uring.h>
#include <linux/fs.h>
#include <sys/syscall.h>
#include <net/if.h>
#include <poll.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/ioctl.h>
#define P(x) printf("%-40s 0x%08lx %lu\n", #x, (unsigned long)(x), (unsigned long)(x))
#define O(s,f) printf("  offsetof(%s,%s) = %lu\n", #s, #f, (unsigned long)offsetof(struct s,f))
int main(){
P(SPI_IOC_MESSAGE(1)); P(SPI_IOC_MESSAGE(2)); P(SPI_IOC_WR_MODE); P(SPI_IOC_RD_MODE); P(SPI_IOC_WR_BITS_PER_WORD); P(SPI_IOC_WR_MAX_SPEED_HZ); P(SPI_IOC_RD_MAX_SPEED_HZ); P(SPI_IOC_WR_MODE32);P(SPI_IOC_RD_BITS_PER_WORD);
P(sizeof(struct spi_ioc_transfer));
O(spi_ioc_transfer,tx_buf);O(spi_ioc_transfer,rx_buf);O(spi_ioc_transfer,len);O(spi_ioc_transfer,speed_hz);O(spi_ioc_transfer,delay_usecs);O(spi_ioc_transfer,bits_per_word);O(spi_ioc_transfer,cs_change);O(spi_ioc_transfer,tx_nbits);O(spi_ioc_transfer,rx_nbits);O(spi_ioc_transfer,word_delay_usecs);
P(TUNSETIFF); P(IFF_TAP); P(IFF_NO_PI); P(IFF_TUN); P(sizeof(struct ifreq)); P(IFNAMSIZ); O(ifreq,ifr_flags); P(TUNGETIFF); P(SIOCGIFHWADDR);
P(TUNGETFEATURES); P(TUNSETOFFLOAD); P(TUNSETVNETHDRSZ); P(IFF_VNET_HDR); P(TUN_F_CSUM); P(TUN_F_TSO4); P(sizeof(struct virtio_net_hdr));
O(virtio_net_hdr,gso_type);O(virtio_net_hdr,hdr_len);O(virtio_net_hdr,gso_size);O(virtio_net_hdr,csum_start);O(virtio_net_hdr,csum_offset);
P(VIRTIO_NET_HDR_F_NEEDS_CSUM); P(VIRTIO_NET_HDR_F_DATA_VALID); P(VIRTIO_NET_HDR_GSO_NONE); P(VIRTIO_NET_HDR_GSO_TCPV4); P(VIRTIO_NET_HDR_GSO_ECN);
P(__NR_io_uring_setup); P(__NR_io_uring_enter); P(sizeof(struct io_uring_params)); P(sizeof(struct io_uring_sqe)); P(sizeof(struct io_uring_cqe));
O(io_uring_params,sq_entries);O(io_uring_params,cq_entries);O(io_uring_params,features);O(io_uring_params,sq_off);O(io_uring_params,cq_off);
O(io_sqring_offsets,head);O(io_sqring_offsets,tail);O(io_sqring_offsets,ring_mask);O(io_sqring_offsets,array);
O(io_cqring_offsets,head);O(io_cqring_offsets,tail);O(io_cqring_offsets,ring_mask);O(io_cqring_offsets,cqes);
O(io_uring_sqe,opcode);O(io_uring_sqe,fd);O(io_uring_sqe,off);O(io_uring_sqe,addr);O(io_uring_sqe,len);O(io_uring_sqe,rw_flags);O(io_uring_sqe,user_data);O(io_uring_cqe,user_data);O(io_uring_cqe,res);
P(IORING_OP_WRITE); P(RWF_NOWAIT); P(IORING_FEAT_SINGLE_MMAP); P(IORING_ENTER_GETEVENTS); P(IORING_OFF_SQ_RING); P(IORING_OFF_CQ_RING); P(IORING_OFF_SQES);
P(GPIO_V2_GET_LINE_IOCTL); P(GPIO_V2_LINE_SET_VALUES_IOCTL); P(GPIO_V2_LINE_GET_VALUES_IOCTL); P(GPIO_V2_LINE_SET_CONFIG_IOCTL); P(GPIO_GET_CHIPINFO_IOCTL); P(GPIO_V2_GET_LINEINFO_IOCTL);
P(sizeof(struct gpio_v2_line_request)); P(sizeof(struct gpio_v2_line_config)); P(sizeof(struct gpio_v2_line_values)); P(sizeof(struct gpio_v2_line_event)); P(sizeof(struct gpio_v2_line_attribute)); P(sizeof(struct gpio_v2_line_config_attribute)); P(sizeof(struct gpiochip_info));
P(GPIO_V2_LINES_MAX); P(GPIO_V2_LINE_NUM_ATTRS_MAX); P(GPIO_MAX_NAME_SIZE);
O(gpio_v2_line_request,offsets);O(gpio_v2_line_request,consumer);O(gpio_v2_line_request,config);O(gpio_v2_line_request,num_lines);O(gpio_v2_line_request,event_buffer_size);O(gpio_v2_line_request,padding);O(gpio_v2_line_request,fd);
O(gpio_v2_line_config,flags);O(gpio_v2_line_config,num_attrs);O(gpio_v2_line_config,padding);O(gpio_v2_line_config,attrs);
O(gpio_v2_line_config_attribute,attr);O(gpio_v2_line_config_attribute,mask);
O(gpio_v2_line_attribute,id);O(gpio_v2_line_attribute,padding);O(gpio_v2_line_attribute,flags);O(gpio_v2_line_attribute,values);O(gpio_v2_line_attribute,debounce_period_us);
O(gpio_v2_line_values,bits);O(gpio_v2_line_values,mask);
O(gpio_v2_line_event,timestamp_ns);O(gpio_v2_line_event,id);O(gpio_v2_line_event,offset);O(gpio_v2_line_event,seqno);O(gpio_v2_line_event,line_seqno);O(gpio_v2_line_event,padding);
P(GPIO_V2_LINE_FLAG_USED);P(GPIO_V2_LINE_FLAG_ACTIVE_LOW);P(GPIO_V2_LINE_FLAG_INPUT);P(GPIO_V2_LINE_FLAG_OUTPUT);P(GPIO_V2_LINE_FLAG_EDGE_RISING);P(GPIO_V2_LINE_FLAG_EDGE_FALLING);P(GPIO_V2_LINE_FLAG_OPEN_DRAIN);P(GPIO_V2_LINE_FLAG_BIAS_PULL_UP);P(GPIO_V2_LINE_FLAG_BIAS_DISABLED);P(GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
P(GPIO_V2_LINE_ATTR_ID_FLAGS);P(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES);P(GPIO_V2_LINE_ATTR_ID_DEBOUNCE);
P(GPIO_V2_LINE_EVENT_RISING_EDGE);P(GPIO_V2_LINE_EVENT_FALLING_EDGE);
P(O_RDWR);P(O_NONBLOCK);P(O_CLOEXEC);P(POLLIN);P(POLLERR);P(POLLHUP);P(POLLOUT);P(sizeof(struct pollfd));
P(EAGAIN);P(EINTR);P(EPERM);P(EACCES);P(ENOENT);P(EBUSY);P(ENODEV);P(EINVAL);P(EMSGSIZE);P(ENOTTY);P(ENXIO);
P(SPI_MODE_0);P(SPI_MODE_3);P(SPI_CPHA);P(SPI_CPOL);
P(sizeof(long));
return 0;}
