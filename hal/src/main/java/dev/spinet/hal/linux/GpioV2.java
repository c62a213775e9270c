package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The GPIO character-device uAPI v2 ({@code include/uapi/linux/gpio.h}, Linux 5.10+): ioctl
 * numbers, flags and struct layouts. All structs are naturally aligned and identical on 32- and
 * 64-bit kernels.
 *
 * <pre>
 * struct gpiochip_info (68 bytes)            struct gpio_v2_line_request (592 bytes)
 *   0 name[32]                                 0 offsets[64]  (u32 each)
 *  32 label[32]                              256 consumer[32]
 *  64 lines (u32)                            288 config: struct gpio_v2_line_config (272)
 *                                            560 num_lines (u32)
 * struct gpio_v2_line_config (272 bytes)     564 event_buffer_size (u32)
 *   0 flags (u64)                            568 padding[5] (u32)
 *   8 num_attrs (u32)                        588 fd (s32, written by the kernel)
 *  12 padding[5] (u32)
 *  32 attrs[10]: struct gpio_v2_line_config_attribute (24 bytes each)
 *        0 attr: struct gpio_v2_line_attribute (16): 0 id (u32), 4 padding (u32),
 *                8 flags | values | debounce_period_us (u64/u64/u32 union)
 *       16 mask (u64)
 *
 * struct gpio_v2_line_info (256 bytes)
 *   0 name[32]   32 consumer[32]   64 offset (u32)   68 num_attrs (u32)   72 flags (u64)
 *  80 attrs[10]: struct gpio_v2_line_attribute (16 each)   240 padding[4] (u32)
 *
 * struct gpio_v2_line_values (16 bytes)      struct gpio_v2_line_event (48 bytes)
 *   0 bits (u64)                               0 timestamp_ns (u64)
 *   8 mask (u64)                               8 id (u32: 1 rising, 2 falling)
 *                                             12 offset (u32)
 *                                             16 seqno (u32)   20 line_seqno (u32)
 *                                             24 padding[6] (u32)
 * </pre>
 */
public final class GpioV2 {

    /** {@code GPIO_MAX_NAME_SIZE}. */
    public static final int MAX_NAME_SIZE = 32;
    /** {@code GPIO_V2_LINES_MAX}. */
    public static final int LINES_MAX = 64;
    /** {@code GPIO_V2_LINE_NUM_ATTRS_MAX}. */
    public static final int NUM_ATTRS_MAX = 10;

    public static final int CHIP_INFO_SIZE = 68;
    public static final int CHIP_INFO_NAME_OFFSET = 0;
    public static final int CHIP_INFO_LABEL_OFFSET = 32;
    public static final int CHIP_INFO_LINES_OFFSET = 64;

    public static final int LINE_INFO_SIZE = 256;
    public static final int LINE_INFO_NAME_OFFSET = 0;
    public static final int LINE_INFO_CONSUMER_OFFSET = 32;
    public static final int LINE_INFO_OFFSET_OFFSET = 64;
    public static final int LINE_INFO_FLAGS_OFFSET = 72;

    public static final int LINE_ATTRIBUTE_SIZE = 16;
    public static final int CONFIG_ATTRIBUTE_SIZE = 24;
    public static final int CONFIG_ATTRIBUTE_MASK_OFFSET = 16;
    public static final int ATTRIBUTE_ID_OFFSET = 0;
    public static final int ATTRIBUTE_VALUE_OFFSET = 8;

    public static final int LINE_CONFIG_SIZE = 272;
    public static final int LINE_CONFIG_FLAGS_OFFSET = 0;
    public static final int LINE_CONFIG_NUM_ATTRS_OFFSET = 8;
    public static final int LINE_CONFIG_ATTRS_OFFSET = 32;

    public static final int LINE_REQUEST_SIZE = 592;
    public static final int REQUEST_OFFSETS_OFFSET = 0;
    public static final int REQUEST_CONSUMER_OFFSET = 256;
    public static final int REQUEST_CONFIG_OFFSET = 288;
    public static final int REQUEST_NUM_LINES_OFFSET = 560;
    public static final int REQUEST_EVENT_BUFFER_SIZE_OFFSET = 564;
    public static final int REQUEST_FD_OFFSET = 588;

    public static final int LINE_VALUES_SIZE = 16;
    public static final int LINE_VALUES_BITS_OFFSET = 0;
    public static final int LINE_VALUES_MASK_OFFSET = 8;

    public static final int LINE_EVENT_SIZE = 48;
    public static final int EVENT_TIMESTAMP_OFFSET = 0;
    public static final int EVENT_ID_OFFSET = 8;
    public static final int EVENT_OFFSET_OFFSET = 12;
    public static final int EVENT_SEQNO_OFFSET = 16;
    public static final int EVENT_LINE_SEQNO_OFFSET = 20;

    /** enum gpio_v2_line_flag. */
    public static final long FLAG_USED = 1L;
    public static final long FLAG_ACTIVE_LOW = 1L << 1;
    public static final long FLAG_INPUT = 1L << 2;
    public static final long FLAG_OUTPUT = 1L << 3;
    public static final long FLAG_EDGE_RISING = 1L << 4;
    public static final long FLAG_EDGE_FALLING = 1L << 5;
    public static final long FLAG_OPEN_DRAIN = 1L << 6;
    public static final long FLAG_OPEN_SOURCE = 1L << 7;
    public static final long FLAG_BIAS_PULL_UP = 1L << 8;
    public static final long FLAG_BIAS_PULL_DOWN = 1L << 9;
    public static final long FLAG_BIAS_DISABLED = 1L << 10;
    public static final long FLAG_EVENT_CLOCK_REALTIME = 1L << 11;

    /** enum gpio_v2_line_attr_id. */
    public static final int ATTR_ID_FLAGS = 1;
    public static final int ATTR_ID_OUTPUT_VALUES = 2;
    public static final int ATTR_ID_DEBOUNCE = 3;

    /** enum gpio_v2_line_event_id. */
    public static final int EVENT_RISING_EDGE = 1;
    public static final int EVENT_FALLING_EDGE = 2;

    /** {@code GPIO_GET_CHIPINFO_IOCTL}: _IOR(0xB4, 0x01, struct gpiochip_info). */
    public static final long GET_CHIPINFO_IOCTL = Ioctl.ior(0xB4, 0x01, CHIP_INFO_SIZE);
    /** {@code GPIO_V2_GET_LINEINFO_IOCTL}: _IOWR(0xB4, 0x05, struct gpio_v2_line_info). */
    public static final long GET_LINEINFO_IOCTL = Ioctl.iowr(0xB4, 0x05, LINE_INFO_SIZE);
    /** {@code GPIO_V2_GET_LINE_IOCTL}: _IOWR(0xB4, 0x07, struct gpio_v2_line_request). */
    public static final long GET_LINE_IOCTL = Ioctl.iowr(0xB4, 0x07, LINE_REQUEST_SIZE);
    /** {@code GPIO_V2_LINE_SET_CONFIG_IOCTL}: _IOWR(0xB4, 0x0D, struct gpio_v2_line_config). */
    public static final long LINE_SET_CONFIG_IOCTL = Ioctl.iowr(0xB4, 0x0D, LINE_CONFIG_SIZE);
    /** {@code GPIO_V2_LINE_GET_VALUES_IOCTL}: _IOWR(0xB4, 0x0E, struct gpio_v2_line_values). */
    public static final long LINE_GET_VALUES_IOCTL = Ioctl.iowr(0xB4, 0x0E, LINE_VALUES_SIZE);
    /** {@code GPIO_V2_LINE_SET_VALUES_IOCTL}: _IOWR(0xB4, 0x0F, struct gpio_v2_line_values). */
    public static final long LINE_SET_VALUES_IOCTL = Ioctl.iowr(0xB4, 0x0F, LINE_VALUES_SIZE);

    private GpioV2() {
    }

    /**
     * Fills a zeroed {@code gpio_v2_line_request} for one line: offset, consumer label, flags and,
     * for an output, the initial value as an OUTPUT_VALUES attribute (so the line never glitches
     * to the wrong level between request and first write).
     */
    public static void writeSingleLineRequest(MemorySegment request, int lineOffset, String consumer, long flags,
                                              boolean hasOutputValue, boolean outputHigh) {
        request.fill((byte) 0);
        request.set(ValueLayout.JAVA_INT, REQUEST_OFFSETS_OFFSET, lineOffset);
        byte[] label = consumer.getBytes(StandardCharsets.US_ASCII);
        int labelLength = Math.min(label.length, MAX_NAME_SIZE - 1);
        MemorySegment.copy(label, 0, request, ValueLayout.JAVA_BYTE, REQUEST_CONSUMER_OFFSET, labelLength);
        long config = REQUEST_CONFIG_OFFSET;
        request.set(ValueLayout.JAVA_LONG, config + LINE_CONFIG_FLAGS_OFFSET, flags);
        if (hasOutputValue) {
            request.set(ValueLayout.JAVA_INT, config + LINE_CONFIG_NUM_ATTRS_OFFSET, 1);
            long attribute = config + LINE_CONFIG_ATTRS_OFFSET;
            request.set(ValueLayout.JAVA_INT, attribute + ATTRIBUTE_ID_OFFSET, ATTR_ID_OUTPUT_VALUES);
            request.set(ValueLayout.JAVA_LONG, attribute + ATTRIBUTE_VALUE_OFFSET, outputHigh ? 1L : 0L);
            request.set(ValueLayout.JAVA_LONG, attribute + CONFIG_ATTRIBUTE_MASK_OFFSET, 1L);
        }
        request.set(ValueLayout.JAVA_INT, REQUEST_NUM_LINES_OFFSET, 1);
    }
}
