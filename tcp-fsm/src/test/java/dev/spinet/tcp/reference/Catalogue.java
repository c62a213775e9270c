package dev.spinet.tcp.reference;

import java.util.ArrayList;
import java.util.List;

/** Every scenario of the suite, in the order of the table: by state, as RFC 9293 3.10.7 goes. */
final class Catalogue {

    private Catalogue() {
    }

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(ClosedAndListenScenarios.all());
        all.addAll(HandshakeScenarios.all());
        all.addAll(EstablishedScenarios.all());
        all.addAll(ZeroWindowScenarios.all());
        all.addAll(ClosingScenarios.all());
        all.addAll(SackAndTimestampScenarios.all());
        all.addAll(CongestionScenarios.all());
        all.addAll(IdleConnectionScenarios.all());
        return all;
    }
}
