package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.PASSIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

import java.util.List;

/** The labs of the standard catalogue (one method each, in teaching order). */
final class Labs {

    private Labs() {
    }

    static List<Lab> all() {
        return List.of(handshake(), close());
    }

    static Lab handshake() {
        return Lab.named("handshake")
                .title("The three-way handshake")
                .summary("A connects to B's listening port: SYN, SYN+ACK, ACK.")
                .goal("See how a passive OPEN (LISTEN) and an active OPEN (SYN_SENT) meet, which segment moves each side, "
                        + "and why the server needs the third segment before it calls the connection established.")
                .predict("Which state is B in between sending SYN+ACK and receiving the ACK?",
                        "Which side reaches ESTABLISHED first, and by how much (the wire's one-way delay is 1 ms)?",
                        "Which sequence number does B's SYN+ACK acknowledge, and why is it A's ISN + 1?")
                .questions("The SYN carries no data yet consumes one sequence number: why?",
                        "What does each side learn from the MSS option?",
                        "B closes its listener at the end: what happens to the established connection?")
                .boardRole("Listens on port 80 and echoes what it receives; connect with `nc BOARD 80` and watch "
                        + "LISTEN -> SYN_RECEIVED -> ESTABLISHED in /diagram.svg and the --trace output.")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    run.a().send("hello");
                    run.runFor(100 * MS);
                    run.b().closeListener();
                    run.runFor(10 * MS);
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK))
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    static Lab close() {
        return Lab.named("close")
                .title("Active and passive close (the four-way close)")
                .summary("A closes first (FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT); B closes later (CLOSE_WAIT, LAST_ACK). "
                        + "Then again with B closing at once, so its FIN rides with the ACK.")
                .goal("Follow both closes: the side that closes first walks FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT and waits 2*MSL; "
                        + "the other walks CLOSE_WAIT -> LAST_ACK -> CLOSED. See that a half-closed connection still carries data.")
                .predict("After A's FIN is acknowledged, which state is A in, and how long can it stay there?",
                        "B waits 200 ms before closing: what does B's application see in the meantime?",
                        "In the second connection B closes as soon as it reads end of stream: how many segments does the close take now, "
                                + "and which edge does A take out of FIN_WAIT_1?")
                .questions("Why does only the side that closed first wait in TIME_WAIT?",
                        "MSL is 30 s here: when exactly does A's TIME_WAIT end? Check the timeline.",
                        "B writes \"bye\" after A's FIN: does A still get it? Why is that allowed?")
                .boardRole("Listens on port 80; when the student's client closes, the board waits 2 s in CLOSE_WAIT, sends "
                        + "\"bye\", then closes (LAST_ACK). With `nc -q 1 BOARD 80` the student's machine is the active closer.")
                .boards("client", "server")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.a().send("request");
                    run.runFor(100 * MS);
                    run.note("A closes first: the active close");
                    run.a().close();
                    run.runUntilState(run.b(), CLOSE_WAIT);
                    run.runFor(200 * MS);
                    run.b().send("bye");
                    run.b().close();
                    run.runUntilIdle(run.a());
                    run.note("second connection: B closes as soon as it reads end of stream");
                    run.b().closeWhenPeerCloses(true);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(100 * MS);
                    run.a().close();
                    run.runUntilIdle(run.a());
                    run.b().closeListener();
                    run.settle();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, TIME_WAIT, RCV_FIN), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
                        t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT))
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE), t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN), t(LISTEN, CLOSED, CLOSE))
                .build();
    }
}
