package dev.spinet.lab.quiz;

import dev.spinet.tcp.TcpState;
import java.util.Locale;
import java.util.Map;

/**
 * A computed answer: a state, an edge of the state diagram (FROM->TO) or a number, with the
 * leniency a person typing it needs (SYN-RCVD, syn_received and "syn received" are one state).
 */
public record QuizValue(Kind kind, TcpState from, TcpState to, long number) {

    /** What a question asks for, and how the console tells the student to write it. */
    public enum Kind {
        STATE("a state, e.g. SYN_SENT", "一个状态，例如 SYN_SENT"),
        EDGE("an edge FROM->TO, e.g. LISTEN->SYN_RECEIVED", "一条边 FROM->TO，例如 LISTEN->SYN_RECEIVED"),
        NUMBER("a number", "一个数字");

        private final String english;
        private final String chinese;

        Kind(String english, String chinese) {
            this.english = english;
            this.chinese = chinese;
        }

        public String hint(QuizLanguage language) {
            return language == QuizLanguage.ZH ? chinese : english;
        }
    }

    /** The RFC 793 abbreviations students meet in figures and in netstat/ss output. */
    private static final Map<String, TcpState> ALIASES = Map.of(
            "SYNRCVD", TcpState.SYN_RECEIVED,
            "SYNRECV", TcpState.SYN_RECEIVED,
            "ESTAB", TcpState.ESTABLISHED,
            "FINWAIT1", TcpState.FIN_WAIT_1,
            "FINWAIT2", TcpState.FIN_WAIT_2);

    public static QuizValue state(TcpState state) {
        return new QuizValue(Kind.STATE, null, state, 0);
    }

    public static QuizValue edge(TcpState from, TcpState to) {
        return new QuizValue(Kind.EDGE, from, to, 0);
    }

    public static QuizValue number(long value) {
        return new QuizValue(Kind.NUMBER, null, null, value);
    }

    /** Whether {@code typed} says this value. */
    public boolean accepts(String typed) {
        String given = typed == null ? "" : typed.strip();
        return switch (kind) {
            case STATE -> parseState(given) == to;
            case EDGE -> {
                String[] ends = given.split("->|→|>", -1);
                yield ends.length == 2 && parseState(ends[0]) == from && parseState(ends[1]) == to;
            }
            case NUMBER -> {
                try {
                    yield Long.parseLong(given.startsWith("+") ? given.substring(1) : given) == number;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
        };
    }

    /** A state however it is written (case, '-', '_', spaces, RFC 793 abbreviations); null if none. */
    static TcpState parseState(String text) {
        String key = text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        for (TcpState state : TcpState.all()) {
            if (state.name().replace("_", "").equals(key)) {
                return state;
            }
        }
        return ALIASES.get(key);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATE -> to.name();
            case EDGE -> from + "->" + to;
            case NUMBER -> Long.toString(number);
        };
    }
}
