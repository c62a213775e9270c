package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabRoles;
import dev.spinet.service.ServiceKind;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.Ipv4Packet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lab board as {@code spinet run --lab NAME} builds it with the default services (echo,
 * discard, chargen, http): for every lab the board starts, and a student's stack on the same wire
 * reaches both the status page (port 80) and the lab role (port 4000, or the role's connection to
 * the student's port 50000).
 */
class BoardSessionTest {

    private static final int BOARD = Ipv4Packet.parseAddress("10.99.2.2");
    private static final int STUDENT = Ipv4Packet.parseAddress("10.99.2.1");
    private static final long S = 1_000_000_000L;

    static Stream<String> labs() {
        return LabCatalogue.standard().names().stream();
    }

    static RunOptions defaultsFor(String lab) {
        return new RunOptions(HalKind.TAP, "sp0", false, BOARD, 24, 0, RunOptions.DEFAULT_MAC, EnumSet.allOf(ServiceKind.class),
                null, false, "0.0", 0, 25, 24, 0, 16, 65536, lab, STUDENT, null, null, null, null, null, null,
                java.util.EnumSet.allOf(dev.spinet.app.TcpOption.class), dev.spinet.app.TcpTuning.DEFAULTS, null, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void everyLabBoardStartsWithTheDefaultServicesAndServesBothPorts(String lab) {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BoardSession session = BoardSession.start(defaultsFor(lab), wire.connect("board", 0x02_00_00_00_00_02L), clock, "test",
                dev.spinet.hal.eth.DeviceCounters.NONE, new PrintStream(console, true, StandardCharsets.UTF_8), "", "image", null);
        Stack student = new Stack(StackConfig.builder().ipAddress(STUDENT, 24).tcpSecret(7).build(),
                wire.connect("student", 0x02_00_00_00_00_01L));
        Simulator sim = new Simulator(clock, wire).add(session.board()).add(student);

        int page = student.tcp().connect(BOARD, ServiceKind.HTTP.port(), new TcpHandler() { });
        assertTrue(sim.runUntil(() -> student.tcp().state(page) == TcpState.ESTABLISHED, 5 * S), lab + ": the status page answers");

        if (session.role().needsPeer()) {
            int[] accepted = {-1};
            student.tcp().listen(LabRoles.CONNECT_TO_PORT, 1, new TcpHandler() {
                @Override
                public void onAccepted(int listener, int handle) {
                    accepted[0] = handle;
                }
            });
            assertTrue(sim.runUntil(() -> accepted[0] >= 0, 15 * S), lab + ": the board connects to the student's port " + LabRoles.CONNECT_TO_PORT);
        } else {
            int role = student.tcp().connect(BOARD, LabRoles.PORT, new TcpHandler() { });
            assertTrue(sim.runUntil(() -> student.tcp().state(role) == TcpState.ESTABLISHED, 5 * S),
                    lab + ": the lab role listens on port " + LabRoles.PORT);
        }
        assertEquals(0, session.stack().tcp().counters().get(dev.spinet.tcp.TcpCounter.INTERNAL_ERROR), lab);
    }
}
