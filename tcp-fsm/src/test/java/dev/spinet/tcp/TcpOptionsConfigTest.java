package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * The switches of the TCP options: window scaling, timestamps (RFC 7323), SACK (RFC 2018) and
 * D-SACK (RFC 2883) are all on by default, each can be turned off on its own, and the scoreboard
 * size is checked with a message that says what to change.
 */
class TcpOptionsConfigTest {

    @Test
    void everyOptionIsOnByDefault() {
        StackConfig config = StackConfig.builder().build();
        assertTrue(config.tcpWindowScaling);
        assertTrue(config.tcpTimestamps);
        assertTrue(config.tcpSack);
        assertTrue(config.tcpDuplicateSack);
    }

    @Test
    void eachOptionTurnsOffOnItsOwn() {
        StackConfig noTimestamps = StackConfig.builder().tcpOptions(true, false, true).build();
        assertFalse(noTimestamps.tcpTimestamps);
        assertTrue(noTimestamps.tcpSack);
        StackConfig noSack = StackConfig.builder().tcpOptions(true, true, false).build();
        assertTrue(noSack.tcpTimestamps);
        assertFalse(noSack.tcpSack);
        assertFalse(StackConfig.builder().tcpDuplicateSack(false).build().tcpDuplicateSack);
        assertFalse(ScriptedPeer.defaultConfig().build().tcpTimestamps, "scripts start without options");
    }

    @Test
    void aScoreboardOutOfRangeIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().tcpSackScoreboardRanges(0).build());
        assertTrue(e.getMessage().contains("tcpSackScoreboardRanges must be 1..64"), e.getMessage());
    }
}
