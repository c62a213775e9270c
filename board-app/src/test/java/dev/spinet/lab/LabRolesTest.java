package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Board roles on a simulated board, driven by a plain stack standing in for the student's computer. */
class LabRolesTest {

    private final ManualClock clock = new ManualClock();
    private final VirtualWire wire = new VirtualWire(clock);
    private final List<String> log = new ArrayList<>();

    private DutyCycle board(String lab) {
        LabRole role = LabRoles.forLab(lab);
        StackConfig config = role.tune(LabRun.baseConfig(3).ipAddress(LabRun.ADDRESS_B, 24)).build();
        Stack stack = new Stack(config, role.wrap(wire.connect("board", 0x02_00_00_00_00_0BL), clock));
        return role.start(stack, new LabRole.Options(LabRun.ADDRESS_A, log::add));
    }

    private final class Student implements TcpHandler {
        final TcpLayer tcp;
        final StringBuilder received = new StringBuilder();
        CloseReason closed;
        int connection;

        Student(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onReadable(int handle) {
            byte[] buffer = new byte[512];
            int n;
            while ((n = tcp.read(handle, buffer, 0, buffer.length)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
            closed = reason;
        }
    }

    @Test
    void everyLabHasABoardRole() {
        for (String name : LabCatalogue.standard().names()) {
            assertEquals(name, LabRoles.forLab(name).lab());
        }
        assertThrows(IllegalArgumentException.class, () -> LabRoles.forLab("nope"));
    }

    @Test
    void handshakeRoleEchoesAndAbortRoleResetsAfterThreeSeconds() {
        DutyCycle board = board("abort");
        Stack studentStack = new Stack(LabRun.baseConfig(4).ipAddress(LabRun.ADDRESS_A, 24).build(), wire.connect("student", 0x02_00_00_00_00_0AL));
        Simulator sim = new Simulator(clock, wire).add(board).add(studentStack);
        Student student = new Student(studentStack.tcp());
        student.connection = studentStack.tcp().connect(LabRun.ADDRESS_B, LabRoles.PORT, student);
        long start = clock.nanoTime();
        assertTrue(sim.runUntil(() -> student.closed != null, 10 * LabRoles.S));
        assertEquals(CloseReason.RESET, student.closed);
        long elapsed = clock.nanoTime() - start;
        assertTrue(elapsed >= 3 * LabRoles.S && elapsed < 4 * LabRoles.S, "reset after about 3 s, was " + elapsed);
        assertTrue(log.get(0).startsWith("lab abort:"), log.toString());
    }

    @Test
    void connectorRoleNeedsThePeerAddress() {
        LabRole role = LabRoles.forLab("simultaneous-open");
        Stack stack = new Stack(LabRun.baseConfig(3).ipAddress(LabRun.ADDRESS_B, 24).build(), wire.connect("board", 1));
        assertThrows(IllegalArgumentException.class, () -> role.start(stack, new LabRole.Options(0, log::add)));
    }
}
