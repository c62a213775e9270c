package dev.spinet.app;

import dev.spinet.config.StackConfig;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP switches and limits {@code spinet run} sets beyond the options offered in SYNs: which
 * {@link TcpFeature}s are on ({@code --tcp-features}), the path MTU floor ({@code --pmtu-min}) and
 * the FIN-WAIT-2 timeout ({@code --fin-wait-2-timeout}).
 *
 * @param features              the features on
 * @param pathMtuMinimum        StackConfig.tcpPathMtuMinimum
 * @param finWait2TimeoutNanos  StackConfig.tcpFinWait2TimeoutNanos (0 = as long as the peer takes)
 */
public record TcpTuning(Set<TcpFeature> features, int pathMtuMinimum, long finWait2TimeoutNanos) {

    /** The longest {@code --fin-wait-2-timeout}: a day, far above any kernel's tcp_fin_timeout. */
    public static final long MAX_FIN_WAIT_2_TIMEOUT_NANOS = 86_400L * 1_000_000_000L;

    /** StackConfig's own defaults, so that {@code spinet run} without these options changes nothing. */
    public static final TcpTuning DEFAULTS = of(StackConfig.builder().build());

    public TcpTuning {
        features = Set.copyOf(features);
    }

    /** The switches and limits {@code config} holds. */
    public static TcpTuning of(StackConfig config) {
        Set<TcpFeature> on = EnumSet.noneOf(TcpFeature.class);
        if (config.tcpLimitedTransmit) {
            on.add(TcpFeature.LIMITED_TRANSMIT);
        }
        if (config.tcpSpuriousRecoveryUndo) {
            on.add(TcpFeature.SPURIOUS_RECOVERY_UNDO);
        }
        if (config.tcpRfc1337) {
            on.add(TcpFeature.RFC1337);
        }
        if (config.tcpRestartAfterIdle) {
            on.add(TcpFeature.RESTART_AFTER_IDLE);
        }
        if (config.tcpIcmpErrors) {
            on.add(TcpFeature.ICMP_ERRORS);
        }
        if (config.tcpPathMtuDiscovery) {
            on.add(TcpFeature.PMTU_DISCOVERY);
        }
        if (config.tcpTailLossProbe) {
            on.add(TcpFeature.TAIL_LOSS_PROBE);
        }
        if (config.tcpEarlyRetransmit) {
            on.add(TcpFeature.EARLY_RETRANSMIT);
        }
        if (config.tcpSackCompression) {
            on.add(TcpFeature.SACK_COMPRESSION);
        }
        return new TcpTuning(on, config.tcpPathMtuMinimum, config.tcpFinWait2TimeoutNanos);
    }

    /** The same tuning with other features on. */
    public TcpTuning withFeatures(Set<TcpFeature> on) {
        return new TcpTuning(on, pathMtuMinimum, finWait2TimeoutNanos);
    }

    /** Sets every switch and limit of this tuning on {@code config}. */
    public StackConfig.Builder applyTo(StackConfig.Builder config) {
        return config.tcpLimitedTransmit(features.contains(TcpFeature.LIMITED_TRANSMIT))
                .tcpSpuriousRecoveryUndo(features.contains(TcpFeature.SPURIOUS_RECOVERY_UNDO))
                .tcpRfc1337(features.contains(TcpFeature.RFC1337))
                .tcpRestartAfterIdle(features.contains(TcpFeature.RESTART_AFTER_IDLE))
                .tcpIcmp(features.contains(TcpFeature.ICMP_ERRORS), features.contains(TcpFeature.PMTU_DISCOVERY))
                .tcpTailLossProbe(features.contains(TcpFeature.TAIL_LOSS_PROBE))
                .tcpEarlyRetransmit(features.contains(TcpFeature.EARLY_RETRANSMIT))
                .tcpSackCompression(features.contains(TcpFeature.SACK_COMPRESSION))
                .tcpPathMtuMinimum(pathMtuMinimum)
                .tcpFinWait2TimeoutNanos(finWait2TimeoutNanos);
    }

    /**
     * A FIN-WAIT-2 timeout: whole seconds ({@code 60s}) or milliseconds ({@code 500ms}), or
     * {@code 0} for no limit; an error saying which forms are taken otherwise.
     */
    public static long parseFinWait2Timeout(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        long unit = 0;
        String digits = value;
        if (value.endsWith("ms")) {
            unit = 1_000_000L;
            digits = value.substring(0, value.length() - 2).trim();
        } else if (value.endsWith("s")) {
            unit = 1_000_000_000L;
            digits = value.substring(0, value.length() - 1).trim();
        }
        if (!digits.matches("[0-9]{1,9}") || (unit == 0 && !digits.matches("0+"))) {
            throw new IllegalArgumentException("'" + text.trim() + "' is no time; give seconds or milliseconds such as 60s or 500ms,"
                    + " or 0 for no limit");
        }
        long nanos = Long.parseLong(digits) * unit;
        if (nanos > MAX_FIN_WAIT_2_TIMEOUT_NANOS) {
            throw new IllegalArgumentException("'" + text.trim() + "' is more than a day; give at most 86400s, or 0 for no limit");
        }
        return nanos;
    }
}
