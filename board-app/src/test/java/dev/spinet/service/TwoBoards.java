package dev.spinet.service;

import dev.spinet.app.SimulatedBoard;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.TransitionObserver;
import java.util.EnumSet;

/** A client board and a server board running {@link Services} on a virtual wire, in simulated time. */
final class TwoBoards {

    static final int CLIENT_IP = 0x0A_4D_00_01;
    static final int SERVER_IP = 0x0A_4D_00_02;

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final EdgeRecorder recorder = new EdgeRecorder(TransitionObserver.NONE);
    final SimulatedBoard client;
    final SimulatedBoard server;
    final Services services;
    final Simulator sim;

    TwoBoards() {
        wire.latencyNanos(20_000);
        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(8).tcpBuffers(16 * 1024, 16 * 1024).build();
        client = new SimulatedBoard("client", wire, 0x02_00_00_00_00_01L, base.toBuilder().ipAddress(CLIENT_IP, 24).build(),
                TransitionObserver.NONE);
        server = new SimulatedBoard("server", wire, 0x02_00_00_00_00_02L, base.toBuilder().ipAddress(SERVER_IP, 24).build(), recorder);
        services = new Services(server.stack(), EnumSet.allOf(ServiceKind.class), clock, "virtual", recorder).start();
        sim = new Simulator(clock, wire).add(client.stack()).add(server.stack());
    }

    /** Connects a client to the service and runs until it is connected. */
    TestClient connect(ServiceKind kind, int receiveCapacity) {
        TestClient c = new TestClient(client.tcp(), receiveCapacity);
        int before = services.table().liveCount();
        c.handle = client.tcp().connect(SERVER_IP, kind.port(), c);
        // Wait for the server's side too: a service sees a connection once it is ESTABLISHED there.
        if (!sim.runUntil(() -> c.connected && services.table().liveCount() > before, 5_000_000_000L)) {
            throw new AssertionError("no connection to " + kind + " within 5 s simulated");
        }
        return c;
    }
}
