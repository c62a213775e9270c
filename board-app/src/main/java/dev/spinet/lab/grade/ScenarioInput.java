package dev.spinet.lab.grade;

/**
 * One thing that happened to one side of a scenario, in the form it can be played again into a
 * fresh engine: a segment arriving, an application call, or a reboot.
 *
 * @param a, b        the call's numbers: LISTEN port; CONNECT remote port; CONNECT_FROM local and
 *                    remote port; WRITE length; READING 1 (on) or 0 (off)
 * @param source      ARRIVAL: the IPv4 source and destination of the datagram
 * @param tcp         ARRIVAL: the TCP segment's bytes
 */
record ScenarioInput(long nanos, Type type, int a, int b, int source, int destination, byte[] tcp) {

    enum Type { ARRIVAL, LISTEN, CLOSE_LISTENER, CONNECT, CONNECT_FROM, WRITE, CLOSE, SHUTDOWN, ABORT, READING, REBOOT }

    static ScenarioInput arrival(long nanos, int source, int destination, byte[] tcp) {
        return new ScenarioInput(nanos, Type.ARRIVAL, 0, 0, source, destination, tcp);
    }

    static ScenarioInput call(long nanos, Type type, int a, int b) {
        return new ScenarioInput(nanos, type, a, b, 0, 0, null);
    }
}
