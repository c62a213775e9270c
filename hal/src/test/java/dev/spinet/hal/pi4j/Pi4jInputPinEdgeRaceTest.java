package dev.spinet.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The drivers check INT's level and then wait for an edge; an edge Pi4J reports between the two
 * (or while the level is being read) must end the wait at once, not after the timeout.
 */
class Pi4jInputPinEdgeRaceTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

    private DigitalInput input;
    @SuppressWarnings("rawtypes")
    private DigitalStateChangeListener listener;

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Pi4jInputPin pin() {
        input = mock(DigitalInput.class);
        when(input.state()).thenReturn(DigitalState.HIGH);
        Pi4jInputPin pin = new Pi4jInputPin(input);
        ArgumentCaptor<DigitalStateChangeListener> captor = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(input).addListener(captor.capture());
        listener = captor.getValue();
        return pin;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void pi4jReportsFallingEdge() {
        listener.onDigitalStateChange(new DigitalStateChangeEvent(input, DigitalState.LOW));
    }

    @Test
    void edgeBetweenLevelCheckAndAwaitEdgeEndsTheWaitAtOnce() throws InterruptedException {
        Pi4jInputPin pin = pin();
        assertTrue(pin.isHigh(), "INT idle: the driver decides to wait");
        pi4jReportsFallingEdge();
        assertTrue(pin.awaitEdge(LONG_WAIT));
    }

    @Test
    void edgeWhileTheLevelIsReadEndsTheWaitAtOnce() throws InterruptedException {
        Pi4jInputPin pin = pin();
        when(input.state()).thenAnswer(invocation -> {
            pi4jReportsFallingEdge(); // the edge lands after the pin was sampled high
            return DigitalState.HIGH;
        });
        assertTrue(pin.isHigh());
        assertTrue(pin.awaitEdge(LONG_WAIT));
    }

    @Test
    void anEdgeEndsOneWaitOnly() throws InterruptedException {
        Pi4jInputPin pin = pin();
        pi4jReportsFallingEdge();
        pi4jReportsFallingEdge();
        assertTrue(pin.awaitEdge(LONG_WAIT));
        assertFalse(pin.awaitEdge(TimeUnit.MILLISECONDS.toNanos(10)), "both edges were before the first wait returned");
    }
}
