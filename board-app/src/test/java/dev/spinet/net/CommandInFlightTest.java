package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.iface.DeadlineInvariant;
import dev.spinet.testkit.QueueFrameDevice;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A socket request an application thread is still putting on the command queue: it has claimed
 * its cell (moved the tail) but not yet written it. The stack thread cannot serve it yet, so it
 * must not report a deadline due now nor refuse to idle: that made it run empty duty cycles back
 * to back for as long as the producer took to write (608 cycles over 0.8 ms seen with two stacks
 * on a loaded machine; on a one-core board the spinning stack thread keeps the producer from
 * running). The producer, once it has written the cell, sees the thread idle and wakes it.
 */
class CommandInFlightTest {

    @Test
    void aClaimedButUnwrittenRequestLeavesTheStackThreadFreeToSleep() throws Exception {
        Stack stack = new Stack(StackConfig.builder().ipAddress(0x0A_53_07_02, 24).tcpConnections(4).build(),
                new QueueFrameDevice(0x02_00_00_00_57_02L));
        SpinetSockets sockets = SpinetSockets.over(stack);
        try {
            long now = System.nanoTime();
            sockets.dutyCycle().poll(now);
            long idleDeadline = sockets.dutyCycle().nextDeadline(now);
            assertTrue(idleDeadline - now > 0, "an idle stack has no deadline due");

            claimWithoutWriting(sockets);

            now = System.nanoTime();
            assertEquals(0, sockets.dutyCycle().poll(now), "nothing to serve yet: the cell is not written");
            DeadlineInvariant.requireFutureDeadlineWhenIdle(sockets.dutyCycle(), now, sockets.dutyCycle().nextDeadline(now));
            assertTrue(sockets.idleGate().enterIdle(), "the thread may idle: the producer wakes it once the cell is written");
            sockets.idleGate().leaveIdle();
        } finally {
            sockets.stop();
        }
    }

    /** What a producer paused between its compare-and-set on the tail and its write of the cell has done. */
    private static void claimWithoutWriting(SpinetSockets sockets) throws ReflectiveOperationException {
        Object bridge = field(SpinetSockets.class, "bridge").get(sockets);
        Object commands = field(SocketBridge.class, "commands").get(bridge);
        ((AtomicLong) field(CommandQueue.class, "tail").get(commands)).incrementAndGet();
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
