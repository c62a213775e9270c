package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.ArpPacket;
import org.junit.jupiter.api.Test;

/**
 * {@link Interface#receiveBudget}: a cycle takes at most that many received frames and leaves the
 * rest in the device for the next one; the budget goes back to {@link Interface#RX_BUDGET}.
 */
class InterfaceReceiveBudgetTest {

    private final QueueFrameDevice device = new QueueFrameDevice(InterfaceTest.US_MAC);
    private final Interface iface = new Interface(StackConfig.builder().ipAddress(InterfaceTest.US, 24).build(), device);
    private final long now = 5 * InterfaceTest.SECOND;

    private void injectArpRequests(int count) {
        for (int i = 0; i < count; i++) {
            device.inject(Frames.arp(MacAddress.BROADCAST, InterfaceTest.PEER_MAC, ArpPacket.OP_REQUEST, InterfaceTest.PEER_MAC,
                    InterfaceTest.PEER, 0, InterfaceTest.US));
        }
    }

    @Test
    void aCycleTakesNoMoreFramesThanItsBudgetAndLeavesTheRest() {
        injectArpRequests(3);
        iface.receiveBudget(1);
        assertEquals(1, iface.poll(now), "one frame handled");
        assertEquals(2, device.pendingReceive(), "two left in the device");
        assertEquals(1, iface.poll(now));
        assertEquals(1, device.pendingReceive());

        iface.receiveBudget(Interface.RX_BUDGET);
        injectArpRequests(2);
        assertEquals(3, iface.poll(now), "the whole budget takes all three");
        assertEquals(0, device.pendingReceive());
        assertEquals(5, iface.counters().get(IfaceCounter.ARP_TX_REPLIES), "every request answered once");
    }

    @Test
    void aBudgetBelowOneFrameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> iface.receiveBudget(0));
    }
}
