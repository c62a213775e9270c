package dev.spinet.harness.emu;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.iface.DutyCycle;
import java.util.Arrays;

/**
 * Fires one {@link ChipFaultSpec} into a chip emulator mid-run, once its {@link FaultTrigger} is
 * reached, and ends it (plugs the cable back, releases INT, stops the storm) when its time is up.
 * A {@link DutyCycle}: add it to a {@code Simulator} (after the board whose chip it is, so a storm
 * refills the receive memory the driver has just drained) or run it from the board's pump; its
 * deadlines are the trigger time and the fault's end, so a simulation jumps to them exactly.
 *
 * <p>Its {@link DeviceCounters} ({@code CHIP_FAULT_INJECTED}, {@code CHIP_FAULT_ENDED}, 0 or 1)
 * let {@code spinet run}'s status page show the fault next to the driver's counters that name
 * what the driver made of it.
 *
 * <p>Injection and its end allocate (they notify the listener); the polls in between do not.
 */
public final class ChipFaultScheduler implements DutyCycle, DeviceCounters {

    /** What the scheduler did, for {@code --trace} and for tests. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = what -> { };

        /** {@code what}: for example {@code "link-flap:1000 injected"}. */
        void event(String what);
    }

    /** EtherType of the storm's frames: IEEE 802 Local Experimental EtherType 1, which no stack handles. */
    private static final int STORM_ETHERTYPE = 0x88B5;
    /** Most frames one refill may inject: more than either chip holds (16 KiB / 62 bytes). */
    private static final int MAX_STORM_FRAMES = 300;
    private static final int MAX_FRAME = 1514;
    private static final String[] COUNTER_NAMES = {"CHIP_FAULT_INJECTED", "CHIP_FAULT_ENDED"};
    private static final int MIN_FRAME = 60;

    private final ChipEmulator chip;
    private final ChipFaultSpec spec;
    private final FaultTrigger trigger;
    private final long startNanos;
    private final byte[] stormFrame = new byte[1514];
    private Listener listener = Listener.NONE;
    private boolean injected;
    private boolean ended;
    private long injectedAt;
    private long endsAt;
    private long endedAt;
    private long stormFrames;
    private long lastRefill;

    /**
     * @param clock the clock whose time the trigger and the fault's duration are measured on (the
     *     simulator's, or the board's)
     * @throws IllegalArgumentException when the fault makes no sense for this chip
     */
    public ChipFaultScheduler(ChipEmulator chip, ChipFaultSpec spec, FaultTrigger trigger, NanoClock clock) {
        this.chip = chip;
        this.spec = spec.forChip(ChipType.of(chip));
        this.trigger = trigger;
        this.startNanos = clock.nanoTime();
        // Broadcast, so both chips' filters let it in; a locally administered source.
        Arrays.fill(stormFrame, 0, 6, (byte) 0xFF);
        stormFrame[6] = 0x02;
        stormFrame[11] = 0x5F;
        stormFrame[12] = (byte) (STORM_ETHERTYPE >>> 8);
        stormFrame[13] = (byte) STORM_ETHERTYPE;
    }

    public ChipFaultScheduler listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    @Override
    public int poll(long nowNanos) {
        if (!injected) {
            if (!due(nowNanos)) {
                return 0;
            }
            inject(nowNanos);
            return 1;
        }
        if (ended) {
            return 0;
        }
        if (nowNanos - endsAt >= 0) {
            end(nowNanos);
            return 1;
        }
        if (spec.fault() == ChipFault.RX_OVERFLOW && nowNanos != lastRefill) {
            // Once per instant: within one the board may drain and the storm refill for ever.
            lastRefill = nowNanos;
            return refill();
        }
        return 0;
    }

    @Override
    public long nextDeadline(long nowNanos) {
        if (!injected && !trigger.byTraffic()) {
            return startNanos + trigger.afterNanos();
        }
        if (injected && !ended) {
            return endsAt;
        }
        return nowNanos + Long.MAX_VALUE / 4;
    }

    private boolean due(long now) {
        return trigger.byTraffic() ? chip.wireBytes() >= trigger.afterBytes() : now - startNanos - trigger.afterNanos() >= 0;
    }

    private void inject(long now) {
        injected = true;
        injectedAt = now;
        long duration = 0;
        switch (spec.fault()) {
            case LINK_FLAP -> {
                chip.setCablePlugged(false);
                duration = millis();
            }
            case SEND_STUCK -> {
                ((W5500Emulator) chip).setSendStuckAfterLinkFlap(true);
                chip.setCablePlugged(false);
                duration = millis();
            }
            case TXRTS_STUCK -> ((Enc28j60Emulator) chip).injectStuckTransmits((int) spec.number());
            case INT_LOST -> {
                chip.holdInterruptDeasserted(true);
                duration = millis();
            }
            case RX_OVERFLOW -> {
                lastRefill = now;
                refill();
                duration = millis();
            }
            case EPKTCNT_255 -> ((Enc28j60Emulator) chip).saturatePacketCount();
            case SPI_CORRUPT -> corruptOneResponse();
            case BROWN_OUT -> chip.brownOut();
        }
        endsAt = now + duration;
        listener.event(spec + " injected");
        if (duration == 0) {
            ended = true;
            endedAt = now;
        }
    }

    private void corruptOneResponse() {
        String what = spec.parameter();
        if (chip instanceof W5500Emulator w5500) {
            switch (what) {
                case "length" -> w5500.corruptNextRecordLength();
                case "pointer" -> w5500.corruptNextRxStatusRead();
                default -> w5500.corruptNextLinkStatusRead();
            }
            return;
        }
        Enc28j60Emulator enc = (Enc28j60Emulator) chip;
        switch (what) {
            // Receive status vector (DS39662E table 7-3): bytes 2-3 the byte count, 0-1 the next
            // packet pointer, byte 4 bit 7 = bit 23 "received OK".
            case "length" -> enc.corruptNextStatusVector(3, 0x40);
            case "pointer" -> enc.corruptNextStatusVector(1, 0x10);
            default -> enc.corruptNextStatusVector(4, 0x80);
        }
    }

    /**
     * Broadcast frames into the receive memory until the chip refuses one (that one is the
     * overflow): full-size frames, then minimum-size ones for the space that is left, so not even
     * a pure ACK fits afterwards.
     */
    private int refill() {
        int frames = fill(MAX_FRAME) + fill(MIN_FRAME);
        return frames > 2 ? 1 : 0;
    }

    private int fill(int length) {
        int frames = 0;
        while (frames < MAX_STORM_FRAMES) {
            stormFrame[15] = (byte) stormFrames++;
            frames++;
            if (!chip.injectFrame(stormFrame, 0, length)) {
                break;
            }
        }
        return frames;
    }

    private void end(long now) {
        ended = true;
        endedAt = now;
        switch (spec.fault()) {
            case LINK_FLAP, SEND_STUCK -> chip.setCablePlugged(true);
            case INT_LOST -> chip.holdInterruptDeasserted(false);
            default -> {
                // RX_OVERFLOW: the storm simply stops.
            }
        }
        listener.event(spec + " ended");
    }

    private long millis() {
        return spec.number() * 1_000_000L;
    }

    public ChipFaultSpec spec() {
        return spec;
    }

    public FaultTrigger trigger() {
        return trigger;
    }

    public boolean injected() {
        return injected;
    }

    /** When the fault was injected, on the scheduler's clock (meaningful once {@link #injected()}). */
    public long injectedAtNanos() {
        return injectedAt;
    }

    /** Whether the fault's condition is over (at once for instant faults). */
    public boolean ended() {
        return ended;
    }

    /** When the condition ended: the cable back, INT released, the storm over; the injection time for instant faults. */
    public long endedAtNanos() {
        return endedAt;
    }

    /** Broadcast frames the storm offered the chip, the refused ones included (rx-overflow). */
    public long stormFrames() {
        return stormFrames;
    }

    @Override
    public int counterCount() {
        return COUNTER_NAMES.length;
    }

    @Override
    public String counterName(int index) {
        return COUNTER_NAMES[index];
    }

    @Override
    public long counterValue(int index) {
        return (index == 0 ? injected : ended) ? 1 : 0;
    }

    @Override
    public String toString() {
        return spec + " " + trigger + (injected ? ", injected" : "") + (ended ? ", ended" : "");
    }
}
