package dev.spinet.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.spi.Spi;
import dev.spinet.hal.spi.SpiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class Pi4jAdaptersTest {

    /** What Pi4J's transfer saw: the bytes sent and where the answer went. */
    private record Seen(byte[] sent, byte[] target, int targetOffset, int length) {
    }

    private static Spi spiThatAddsOne(List<Seen> seen) {
        Spi spi = mock(Spi.class);
        when(spi.transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), anyInt())).thenAnswer(invocation -> {
            byte[] write = invocation.getArgument(0);
            int writeOffset = invocation.getArgument(1);
            byte[] read = invocation.getArgument(2);
            int readOffset = invocation.getArgument(3);
            int length = invocation.getArgument(4);
            byte[] sent = java.util.Arrays.copyOfRange(write, writeOffset, writeOffset + length);
            seen.add(new Seen(sent, read, readOffset, length));
            for (int i = 0; i < length; i++) {
                read[readOffset + i] = (byte) (sent[i] + 1);
            }
            return length;
        });
        return spi;
    }

    @Test
    void spiTransferMapsArraysDirectly() {
        List<Seen> seen = new ArrayList<>();
        Pi4jSpiBus bus = new Pi4jSpiBus(spiThatAddsOne(seen));
        byte[] tx = {0, 5, 6, 7};
        byte[] rx = new byte[5];
        bus.transfer(tx, 1, rx, 2, 3);
        assertEquals(1, seen.size());
        assertArrayEquals(new byte[] {5, 6, 7}, seen.getFirst().sent());
        assertSame(rx, seen.getFirst().target(), "answer lands in the caller's array");
        assertArrayEquals(new byte[] {0, 0, 6, 7, 8}, rx);
    }

    @Test
    void spiNullTxSendsZerosAndNullRxDiscards() {
        List<Seen> seen = new ArrayList<>();
        Pi4jSpiBus bus = new Pi4jSpiBus(spiThatAddsOne(seen));
        byte[] rx = new byte[3];
        bus.transfer(null, 0, rx, 0, 3);
        assertArrayEquals(new byte[3], seen.getLast().sent());
        assertArrayEquals(new byte[] {1, 1, 1}, rx);
        bus.transfer(new byte[] {9, 9}, 0, null, 0, 2);
        assertArrayEquals(new byte[] {9, 9}, seen.getLast().sent());
        // The scratch buffer took the answer; a second zeros transfer still sends zeros.
        bus.transfer(null, 0, rx, 0, 3);
        assertArrayEquals(new byte[3], seen.getLast().sent());
    }

    @Test
    void headerAndPayloadBecomeOneTransferSoChipSelectStaysLow() {
        List<Seen> seen = new ArrayList<>();
        Pi4jSpiBus bus = new Pi4jSpiBus(spiThatAddsOne(seen), 64);
        byte[] rx = new byte[4];
        bus.transfer(new byte[] {0x00, 0x28, 0x18}, 0, 3, null, 0, rx, 0, 4);
        assertEquals(1, seen.size());
        assertArrayEquals(new byte[] {0x00, 0x28, 0x18, 0, 0, 0, 0}, seen.getLast().sent());
        assertArrayEquals(new byte[] {1, 1, 1, 1}, rx, "only the payload phase is returned");

        bus.transfer(new byte[] {0x7A}, 0, 1, new byte[] {1, 2, 3}, 0, null, 0, 3);
        assertArrayEquals(new byte[] {0x7A, 1, 2, 3}, seen.getLast().sent());

        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> bus.transfer(new byte[3], 0, 3, new byte[62], 0, null, 0, 62));
        assertTrue(tooBig.getMessage().contains("65 bytes"), tooBig.getMessage());
    }

    @Test
    void shortOrFailingPi4jTransferIsSpiException() {
        Spi spi = mock(Spi.class);
        when(spi.transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), eq(4))).thenReturn(2);
        when(spi.transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), eq(5)))
                .thenThrow(new IllegalStateException("ioctl failed"));
        Pi4jSpiBus bus = new Pi4jSpiBus(spi);
        assertThrows(SpiException.class, () -> bus.transfer(new byte[4], 0, null, 0, 4));
        SpiException e = assertThrows(SpiException.class, () -> bus.transfer(new byte[5], 0, null, 0, 5));
        assertTrue(e.getMessage().contains("ioctl failed"));
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void inputPinWakesOnPi4jChangeEvents() throws Exception {
        DigitalInput input = mock(DigitalInput.class);
        when(input.state()).thenReturn(DigitalState.LOW);
        Pi4jInputPin pin = new Pi4jInputPin(input);
        ArgumentCaptor<DigitalStateChangeListener> listener = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(input).addListener(listener.capture());
        assertFalse(pin.isHigh());
        when(input.state()).thenReturn(DigitalState.HIGH);
        assertTrue(pin.isHigh());

        assertFalse(pin.awaitEdge(TimeUnit.MILLISECONDS.toNanos(20)), "no event: timeout");

        Thread pi4jThread = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            listener.getValue().onDigitalStateChange(new DigitalStateChangeEvent(input, DigitalState.LOW));
        });
        pi4jThread.start();
        assertTrue(pin.awaitEdge(TimeUnit.SECONDS.toNanos(10)), "event from Pi4J's thread wakes the waiter");
        pi4jThread.join();
        assertEquals(1, pin.edgeCount());

        pin.close();
        verify(input).removeListener(listener.getValue());
    }

    @Test
    void interruptedWaiterGetsInterruptedException() {
        DigitalInput input = mock(DigitalInput.class);
        Pi4jInputPin pin = new Pi4jInputPin(input);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pin.awaitEdge(TimeUnit.SECONDS.toNanos(5)));
    }

    @Test
    void outputPinSetsPi4jState() {
        DigitalOutput output = mock(DigitalOutput.class);
        when(output.state()).thenReturn(DigitalState.HIGH);
        Pi4jOutputPin pin = new Pi4jOutputPin(output);
        assertTrue(pin.isHigh());
        pin.set(false);
        verify(output).state(DigitalState.LOW);
        assertFalse(pin.isHigh());
        pin.set(true);
        verify(output).state(DigitalState.HIGH);
        assertTrue(pin.isHigh());
    }
}
