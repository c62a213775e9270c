package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.ScriptedPeer;

import org.junit.jupiter.api.Test;

/**
 * RFC 7323 timestamps and RFC 2018 SACK are not implemented: a configuration asking for them is
 * refused with a message saying so, instead of being accepted and silently ignored.
 */
class TcpOptionsConfigTest {

    @Test
    void askingForTimestampsIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScriptedPeer.defaultConfig().tcpOptions(true, true, false).build());
        assertTrue(e.getMessage().contains("timestamps") && e.getMessage().contains("not implemented"), e.getMessage());
    }

    @Test
    void askingForSackIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScriptedPeer.defaultConfig().tcpOptions(true, false, true).build());
        assertTrue(e.getMessage().contains("SACK") && e.getMessage().contains("not implemented"), e.getMessage());
    }

    @Test
    void windowScalingAloneIsAccepted() {
        StackConfig config = ScriptedPeer.defaultConfig().tcpOptions(true, false, false).build();
        assertTrue(config.tcpWindowScaling);
    }
}
