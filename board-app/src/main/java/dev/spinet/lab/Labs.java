package dev.spinet.lab;

import java.util.List;

/**
 * The labs of the standard catalogue, in teaching order. Each lab is one class ({@code HandshakeLab}...)
 * that builds it from {@link Scene}s, with its words in the resource {@code text/NAME.txt}
 * ({@link LabText}); the scenes several labs share are in {@link Scenes} and {@link SilentPeerScenes}.
 * Adding a lab: a class, a text resource, and a line here.
 */
final class Labs {

    private Labs() {
    }

    static List<Lab> all() {
        return List.of(HandshakeLab.lab(), CloseLab.lab(), SimultaneousOpenLab.lab(), SimultaneousCloseLab.lab(),
                TimeWaitLab.lab(), SynSentLab.lab(), ResetLab.lab(), RetransmissionLab.lab(), FlowControlLab.lab(),
                GiveUpLab.lab(), KeepaliveLab.lab(), AbortLab.lab(), ResourcesLab.lab());
    }
}
