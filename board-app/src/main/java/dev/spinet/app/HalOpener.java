package dev.spinet.app;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.linux.TapDevice;
import java.util.List;

/**
 * Opens the HAL {@code spinet run --hal} names. Failures are exceptions whose message says what
 * to do (not root, no /dev/net/tun, not a Raspberry Pi...); the CLI prints only the message.
 */
public final class HalOpener {

    private HalOpener() {
    }

    public static OpenedHal open(RunOptions options, NanoClock clock) {
        return switch (options.hal()) {
            case TAP -> openTap(options);
            case SIM_W5500, SIM_ENC28J60 -> throw new IllegalStateException("--hal " + options.hal()
                    + " needs the chip emulators and drivers (branch drivers), which are not in this build yet; use --hal tap");
            case W5500, ENC28J60 -> throw new IllegalStateException("--hal " + options.hal()
                    + " needs the chip drivers (branch drivers), which are not in this build yet");
        };
    }

    private static OpenedHal openTap(RunOptions options) {
        long mac = options.mac() == RunOptions.DEFAULT_MAC ? TapDevice.DEFAULT_MAC : options.mac();
        TapDevice tap = TapDevice.open(options.tap(), mac);
        return new OpenedHal("tap", tap, tap, OpenedHal.Pump.NONE, List.of(tap));
    }
}
