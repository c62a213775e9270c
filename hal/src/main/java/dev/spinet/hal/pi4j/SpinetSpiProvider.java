package dev.spinet.hal.pi4j;

import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiProviderBase;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.LinuxSyscalls;
import dev.spinet.hal.linux.SpidevBus;
import dev.spinet.hal.linux.SpidevConfig;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Pi4J SPI provider backed by Spinet's FFM spidev binding ({@link SpidevBus}). Register it in a
 * Pi4J context ({@link SpinetPi4j#newContext}) and create SPI devices as usual; bus, chip select
 * ({@code channel}), mode and baud come from the Pi4J {@link SpiConfig}.
 */
public final class SpinetSpiProvider extends SpiProviderBase {

    public static final String ID = "spinet-spi";
    public static final String NAME = "Spinet SPI (spidev over java.lang.foreign)";

    private final Supplier<LinuxSyscalls> syscalls;
    private final int bufferSize;

    /** With the C library and spidev's default 4096-byte buffer. */
    public SpinetSpiProvider() {
        this(Libc::instance, SpidevConfig.DEFAULT_BUFFER_SIZE);
    }

    public SpinetSpiProvider(Supplier<LinuxSyscalls> syscalls, int bufferSize) {
        super(ID, NAME);
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        this.bufferSize = bufferSize;
    }

    @Override
    public int getPriority() {
        return 200;
    }

    @Override
    public Spi create(SpiConfig config) {
        int bus = config.bus() == null ? 0 : config.bus().getBus();
        Integer channel = config.channel();
        int chipSelect = channel != null ? channel : config.chipSelect() == null ? 0 : config.chipSelect().getChipSelect();
        int mode = config.mode() == null ? 0 : config.mode().getMode();
        Integer baud = config.baud();
        if (baud == null || baud <= 0) {
            throw new IllegalArgumentException("Pi4J SPI config for /dev/spidev" + bus + "." + chipSelect
                    + " has no baud: set .baud(20_000_000) or similar");
        }
        SpidevConfig spidev = SpidevConfig.of(bus, chipSelect, baud).withMode(mode).withBufferSize(bufferSize);
        SpinetSpi spi = new SpinetSpi(this, config, new SpidevBus(syscalls.get(), spidev));
        if (context != null) {
            context.registry().add(spi);
        }
        return spi;
    }
}
