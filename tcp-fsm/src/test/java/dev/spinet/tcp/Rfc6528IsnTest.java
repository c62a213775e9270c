package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;


import org.junit.jupiter.api.Test;

class Rfc6528IsnTest {

    @Test
    void keyedByTupleAndAdvancingWithTheFourMicrosecondClock() {
        Rfc6528Isn isn = new Rfc6528Isn(42);
        int a = isn.next(1, 1000, 2, 80, 0);
        assertEquals(a, new Rfc6528Isn(42).next(1, 1000, 2, 80, 0), "same secret, same tuple, same time");
        assertNotEquals(a, isn.next(1, 1001, 2, 80, 0), "another port, another offset");
        assertNotEquals(a, new Rfc6528Isn(43).next(1, 1000, 2, 80, 0), "another secret");
        assertEquals(a + 250, isn.next(1, 1000, 2, 80, 1_000_000L), "1 ms = 250 ticks of 4 us");
        assertNotEquals(new Rfc6528Isn(0).next(1, 1000, 2, 80, 0), new Rfc6528Isn(0).next(1, 1000, 2, 80, 0),
                "secret 0 picks a random key");
    }
}
