package dev.spinet.tcp.scenario;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a test walks one edge of the state diagram (and checks what it emits). The
 * state-test fixture fails the test if the edge was not actually walked; the coverage test fails
 * if some edge of the diagram is declared by no test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Covers.List.class)
public @interface Covers {

    TcpState from();

    TcpState to();

    TransitionCause cause();

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Covers[] value();
    }
}
