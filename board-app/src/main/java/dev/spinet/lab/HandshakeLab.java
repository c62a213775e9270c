package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;

/** The three-way handshake, then the listener closes under an established connection (text: text/handshake.txt). */
final class HandshakeLab {

    private HandshakeLab() {
    }

    static Lab lab() {
        return Lab.named("handshake")
                .text(LabText.load("handshake"))
                .scenes(B_LISTENS,
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.a().send("hello");
                            run.runFor(100 * MS);
                        }),
                        B_STOPS_LISTENING,
                        Scene.runFor(10 * MS))
                .build();
    }
}
