package dev.spinet.lab.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import dev.spinet.tcp.TcpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuizTest {

    @Test
    void everyLabHasAQuizAnsweredByItsRunInBothLanguages() {
        Set<QuizValue.Kind> kinds = EnumSet.noneOf(QuizValue.Kind.class);
        int questions = 0;
        for (Lab lab : LabCatalogue.standard().labs()) {
            Quiz quiz = Quiz.load(lab.name());
            LabResult run = LabRun.run(lab, 1);
            List<QuizValue> answers = quiz.answers(run);
            for (int i = 0; i < answers.size(); i++) {
                QuizQuestion question = quiz.questions().get(i);
                kinds.add(answers.get(i).kind());
                assertFalse(question.english().isBlank(), lab.name() + " " + question.id());
                assertTrue(question.chinese().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                        lab.name() + " " + question.id() + " has no Chinese wording: " + question.chinese());
                assertTrue(answers.get(i).accepts(answers.get(i).toString()), "the printed answer is accepted");
                questions++;
            }
        }
        assertEquals(EnumSet.allOf(QuizValue.Kind.class), kinds, "states, edges and numbers are all asked");
        assertTrue(questions >= 3 * 13, questions + " questions");
    }

    @Test
    void stateAndEdgeAnswersAreTheLabsExpectedSteps() {
        // A quiz answer about step N is what the lab expects of step N (the run walks the expected steps).
        for (Lab lab : LabCatalogue.standard().labs()) {
            LabResult run = LabRun.run(lab, 1);
            for (QuizQuestion question : Quiz.load(lab.name()).questions()) {
                QuizExpression e = question.answer();
                if (e.op() == QuizExpression.Op.STATE || e.op() == QuizExpression.Op.EDGE) {
                    var step = lab.expected(e.side()).get(e.index() - 1);
                    QuizValue value = e.evaluate(run);
                    assertEquals(step.to(), value.to(), lab.name() + " " + question.id());
                    if (e.op() == QuizExpression.Op.EDGE) {
                        assertEquals(step.from(), value.from(), lab.name() + " " + question.id());
                    }
                }
            }
        }
    }

    @Test
    void answersFollowTheRunNotTheSeed() {
        Lab handshake = LabCatalogue.standard().lab("handshake");
        Quiz quiz = Quiz.load("handshake");
        assertEquals(quiz.answers(LabRun.run(handshake, 1)), quiz.answers(LabRun.run(handshake, 99)),
                "relative sequence numbers do not depend on the ISNs");
    }

    @Test
    void sequenceNumbersAreRelativeToTheIsnAsWiresharkShowsThem() {
        LabResult run = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        // RFC 9293 3.4: the SYN occupies one sequence number, so the SYN+ACK acknowledges ISN + 1.
        assertEquals(QuizValue.number(1), QuizExpression.parse("ack B S. 1").evaluate(run));
        assertEquals(QuizValue.number(0), QuizExpression.parse("seq A S 1").evaluate(run));
        assertEquals(QuizValue.number(1), QuizExpression.parse("frames A S").evaluate(run));
    }

    @Test
    void statesAreAcceptedHoweverTheyAreWritten() {
        QuizValue synReceived = QuizValue.state(TcpState.SYN_RECEIVED);
        for (String typed : List.of("SYN_RECEIVED", "syn-received", " Syn Received ", "SYN-RCVD", "syn_recv")) {
            assertTrue(synReceived.accepts(typed), typed);
        }
        assertFalse(synReceived.accepts("SYN_SENT"));
        assertFalse(synReceived.accepts(""));
        QuizValue edge = QuizValue.edge(TcpState.FIN_WAIT_1, TcpState.CLOSING);
        assertTrue(edge.accepts("FIN-WAIT-1 -> CLOSING"));
        assertTrue(edge.accepts("fin_wait_1→closing"));
        assertFalse(edge.accepts("CLOSING->FIN_WAIT_1"), "direction matters");
        assertFalse(edge.accepts("FIN_WAIT_1"));
        assertTrue(QuizValue.number(8).accepts(" 8 "));
        assertFalse(QuizValue.number(8).accepts("eight"));
    }

    @Test
    void malformedQuizzesNameTheLine() {
        assertEquals("x.quiz line 3: unknown key 'fr' (en, zh, answer)", assertThrows(IllegalArgumentException.class,
                () -> Quiz.parse("x", "question: q\nen: E\nfr: F\n")).getMessage());
        assertEquals("x.quiz line 1: question q needs en, zh and answer", assertThrows(IllegalArgumentException.class,
                () -> Quiz.parse("x", "question: q\nen: E\nanswer: state A 1\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Quiz.parse("x", "question: q\nen: E\nzh: 中\nanswer: colour A 1\n")).getMessage()
                .startsWith("x.quiz line 4: unknown answer form 'colour'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Quiz.parse("x", "question: q\nen: E\nzh: 中\nanswer: state C 1\n")).getMessage()
                .contains("the side is A or B"));
    }

    @Test
    void aStepTheRunDoesNotHaveIsAClearError() {
        LabResult run = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        assertEquals("state A 9: A made only 2 transitions",
                assertThrows(IllegalStateException.class, () -> QuizExpression.parse("state A 9").evaluate(run)).getMessage());
    }
}
