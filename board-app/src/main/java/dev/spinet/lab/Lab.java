package dev.spinet.lab;

import dev.spinet.config.StackConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One lab exercise: the text students read (goal, what to predict, questions), the scenario that
 * runs on two simulated boards, and the transitions each side must walk, in order. The labs of the
 * standard catalogue take their text from a resource ({@link LabText}) and their scenario and
 * transitions from a sequence of {@link Scene}s; one class per lab builds it ({@code HandshakeLab}...).
 *
 * @param boardA     what board A is in this lab ("client", "peer"...)
 * @param boardB     what board B is
 * @param boardRole  what a real board does when it runs this lab ({@code spinet run --lab NAME})
 * @param tuning     changes to the stack configuration both boards use (timers, buffers...)
 * @param plots      the plots the lab's report draws besides the diagram and the ladder
 * @param notes      remarks after the questions (what is commonly got wrong); may be empty
 * @param language   the language of the text fields, and so of everything that renders the lab
 */
public record Lab(String name, String title, String summary, String goal, List<String> predict, List<String> questions,
                  String boardA, String boardB, String boardRole, UnaryOperator<StackConfig.Builder> tuning,
                  LabScript script, List<Step> expectedA, List<Step> expectedB, Set<LabPlot> plots, List<String> notes,
                  LabLanguage language) {

    public Lab {
        notes = List.copyOf(notes);
        plots = plots.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(plots));
        predict = List.copyOf(predict);
        questions = List.copyOf(questions);
        expectedA = List.copyOf(expectedA);
        expectedB = List.copyOf(expectedB);
    }

    public List<Step> expected(Side side) {
        return side == Side.A ? expectedA : expectedB;
    }

    public String boardName(Side side) {
        return side == Side.A ? boardA : boardB;
    }

    /**
     * This lab with its words in {@code language} ({@code text/zh/NAME.txt}...): the same scenario and
     * expected transitions, so a run in either language walks the same edges.
     */
    public Lab in(LabLanguage language) {
        if (language == this.language) {
            return this;
        }
        LabText text = LabText.load(name, language);
        return new Lab(name, text.title(), text.summary(), text.goal(), text.predict(), text.questions(), text.boardA(),
                text.boardB(), text.boardRole(), tuning, script, expectedA, expectedB, plots, text.notes(), language);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Builds a lab; every text field is required. */
    public static final class Builder {
        private final String name;
        private String title;
        private String summary;
        private String goal;
        private final List<String> predict = new ArrayList<>();
        private final List<String> questions = new ArrayList<>();
        private String boardA = "client";
        private String boardB = "server";
        private String boardRole;
        private UnaryOperator<StackConfig.Builder> tuning = b -> b;
        private LabScript script;
        private final List<Step> expectedA = new ArrayList<>();
        private final List<Step> expectedB = new ArrayList<>();
        private final Set<LabPlot> plots = EnumSet.noneOf(LabPlot.class);
        private final List<String> notes = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder title(String text) {
            title = text;
            return this;
        }

        public Builder summary(String text) {
            summary = text;
            return this;
        }

        public Builder goal(String text) {
            goal = text;
            return this;
        }

        public Builder predict(String... texts) {
            predict.addAll(List.of(texts));
            return this;
        }

        public Builder questions(String... texts) {
            questions.addAll(List.of(texts));
            return this;
        }

        /** Title, summary, boards, goal, predictions, questions and board role, all from {@code text}. */
        public Builder text(LabText text) {
            title = text.title();
            summary = text.summary();
            goal = text.goal();
            predict.clear();
            predict.addAll(text.predict());
            questions.clear();
            questions.addAll(text.questions());
            boardA = text.boardA();
            boardB = text.boardB();
            boardRole = text.boardRole();
            notes.clear();
            notes.addAll(text.notes());
            return this;
        }

        public Builder boards(String a, String b) {
            boardA = a;
            boardB = b;
            return this;
        }

        public Builder boardRole(String text) {
            boardRole = text;
            return this;
        }

        public Builder tuning(UnaryOperator<StackConfig.Builder> change) {
            tuning = change;
            return this;
        }

        public Builder script(LabScript scenario) {
            script = scenario;
            return this;
        }

        /**
         * The scenario as scenes: the script runs them in order, and what each scene expects of a
         * side is appended to that side's expected transitions.
         */
        public Builder scenes(Scene... scenes) {
            if (script != null) {
                throw new IllegalStateException("lab " + name + " already has a script");
            }
            Scene all = Scene.sequence(scenes);
            script = all.script();
            expectedA.addAll(all.expectedA());
            expectedB.addAll(all.expectedB());
            return this;
        }

        /** Plots the report draws for this lab (the state diagram and the ladder it always draws). */
        public Builder plots(LabPlot... kinds) {
            plots.addAll(List.of(kinds));
            return this;
        }

        public Builder expectA(Step... steps) {
            expectedA.addAll(List.of(steps));
            return this;
        }

        public Builder expectB(Step... steps) {
            expectedB.addAll(List.of(steps));
            return this;
        }

        public Lab build() {
            if (title == null || summary == null || goal == null || predict.isEmpty() || questions.isEmpty()
                    || boardRole == null || script == null || expectedA.isEmpty() && expectedB.isEmpty()) {
                throw new IllegalStateException("lab " + name + " needs a title, summary, goal, predictions, questions,"
                        + " a board role, a script and expected steps");
            }
            return new Lab(name, title, summary, goal, predict, questions, boardA, boardB, boardRole, tuning, script,
                    expectedA, expectedB, plots, notes, LabLanguage.EN);
        }
    }
}
