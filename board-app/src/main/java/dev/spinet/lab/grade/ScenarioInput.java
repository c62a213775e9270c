package dev.spinet.lab.grade;

/**
 * One thing that happened to one side of a scenario, in the form it can be played again into a
 * fresh engine: a segment arriving, an ICMP error arriving, an application call, or a reboot.
 *
 * @param a, b        the call's numbers: LISTEN port; CONNECT remote port; CONNECT_FROM local and
 *                    remote port; WRITE length; READING 1 (on) or 0 (off)
 * @param source      ARRIVAL, ICMP_ARRIVAL: the IPv4 source and destination of the datagram
 * @param payload     ARRIVAL: the TCP segment's bytes; ICMP_ARRIVAL: the ICMP message's bytes
 *                    (header, then the datagram it quotes)
 */
record ScenarioInput(long nanos, Type type, int a, int b, int source, int destination, byte[] payload) {

    enum Type { ARRIVAL, ICMP_ARRIVAL, LISTEN, CLOSE_LISTENER, CONNECT, CONNECT_FROM, WRITE, CLOSE, SHUTDOWN, ABORT, READING, REBOOT }

    static ScenarioInput arrival(long nanos, int source, int destination, byte[] tcp) {
        return new ScenarioInput(nanos, Type.ARRIVAL, 0, 0, source, destination, tcp);
    }

    static ScenarioInput icmpArrival(long nanos, int source, int destination, byte[] icmp) {
        return new ScenarioInput(nanos, Type.ICMP_ARRIVAL, 0, 0, source, destination, icmp);
    }

    static ScenarioInput call(long nanos, Type type, int a, int b) {
        return new ScenarioInput(nanos, type, a, b, 0, 0, null);
    }
}
