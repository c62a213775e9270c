package dev.spinet.dns;

import dev.spinet.Stack;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.udp.UdpLayer;

/**
 * A DNS server on a test stack, UDP and TCP port 53, whose answers come from a {@link Responder}.
 * It keeps the last query it received and counts queries by transport; with an allocation-free
 * responder it allocates nothing.
 */
final class FakeDnsServer {

    /** Builds the answer to one query. */
    @FunctionalInterface
    interface Responder {
        /**
         * @param query the query message, {@code length} bytes from {@code offset}
         * @param overTcp whether it came over TCP
         * @param out where to write the answer, from {@code outOffset}
         * @return the answer's length, or -1 to stay silent
         */
        int respond(byte[] query, int offset, int length, boolean overTcp, byte[] out, int outOffset);
    }

    final UdpLayer udp;
    final TcpLayer tcp;
    Responder responder;
    int udpQueries;
    int tcpQueries;
    int tcpConnections;
    final byte[] lastQuery = new byte[512];
    int lastQueryLength;
    int lastSourcePort;

    private final int udpHandle;
    private final byte[] tcpIn = new byte[2 + 512];
    private int tcpFilled;
    private final byte[] tcpOut = new byte[2 + 65535];

    FakeDnsServer(Stack stack, Responder responder) {
        this.udp = stack.udp();
        this.tcp = stack.tcp();
        this.responder = responder;
        this.udpHandle = udp.open(DnsMessage.PORT, false, (sourceIp, sourcePort, destinationIp, buffer, offset, length, nowNanos) -> {
            udpQueries++;
            keep(buffer, offset, length);
            lastSourcePort = sourcePort;
            int answer = this.responder.respond(buffer, offset, length, false, udp.payloadBuffer(), udp.payloadOffset());
            if (answer >= 0) {
                udp.sendPayload(udpHandle(), sourceIp, sourcePort, answer, nowNanos);
            }
        });
        tcp.listen(DnsMessage.PORT, 4, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                tcpConnections++;
                tcpFilled = 0;
            }

            @Override
            public void onReadable(int connection) {
                int n;
                while ((n = tcp.read(connection, tcpIn, tcpFilled, tcpIn.length - tcpFilled)) > 0) {
                    tcpFilled += n;
                }
                if (tcpFilled < 2) {
                    return;
                }
                int expected = (tcpIn[0] & 0xFF) << 8 | (tcpIn[1] & 0xFF);
                if (tcpFilled < 2 + expected) {
                    return;
                }
                tcpQueries++;
                keep(tcpIn, 2, expected);
                int answer = FakeDnsServer.this.responder.respond(tcpIn, 2, expected, true, tcpOut, 2);
                tcpFilled = 0;
                if (answer < 0) {
                    tcp.close(connection);
                    return;
                }
                tcpOut[0] = (byte) (answer >>> 8);
                tcpOut[1] = (byte) answer;
                tcp.write(connection, tcpOut, 0, answer + 2);
            }

            @Override
            public void onPeerClosed(int connection) {
                tcp.close(connection);
            }
        });
    }

    private int udpHandle() {
        return udpHandle;
    }

    private void keep(byte[] buffer, int offset, int length) {
        int kept = Math.min(length, lastQuery.length);
        System.arraycopy(buffer, offset, lastQuery, 0, kept);
        lastQueryLength = kept;
    }

    /** The ID of the last query. */
    int lastId() {
        return (lastQuery[0] & 0xFF) << 8 | (lastQuery[1] & 0xFF);
    }

    /** The name of the last query's question as text. */
    String lastQuestion() {
        DnsMessage message = new DnsMessage();
        message.wrap(lastQuery, 0, lastQueryLength);
        byte[] name = new byte[DnsMessage.MAX_NAME_LENGTH];
        message.readQuestion(DnsMessage.HEADER_LENGTH, name);
        return DnsMessage.formatName(name, message.nameLength());
    }
}
