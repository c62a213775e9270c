package dev.spinet.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of a lab: what it does on the two simulated boards (a {@link LabScript}) and the
 * transitions that makes each side walk, in order. A lab is a sequence of scenes: its script runs
 * theirs one after the other, and its expected transitions are theirs, concatenated per side
 * ({@link Lab.Builder#scenes}). A scene that only waits or writes a note expects no transition.
 *
 * <p>A scene's steps are those its script causes before it returns; a step that happens later
 * (a TIME_WAIT that ends during the next scene) belongs to the scene that waits for it.
 */
public record Scene(LabScript script, List<Step> expectedA, List<Step> expectedB) {

    public Scene {
        if (script == null) {
            throw new IllegalArgumentException("a scene needs a script");
        }
        expectedA = List.copyOf(expectedA);
        expectedB = List.copyOf(expectedB);
    }

    /** A scene that runs {@code script}; add what it makes each side walk with {@link #a}, {@link #b}, {@link #both}. */
    public static Scene of(LabScript script) {
        return new Scene(script, List.of(), List.of());
    }

    /** A comment in the timeline. */
    public static Scene note(String text) {
        return of(run -> run.note(text));
    }

    /** Lets {@code nanos} of simulated time pass. */
    public static Scene runFor(long nanos) {
        return of(run -> run.runFor(nanos));
    }

    /** This scene, with {@code steps} appended to what side A walks. */
    public Scene a(Step... steps) {
        return a(List.of(steps));
    }

    public Scene a(List<Step> steps) {
        return new Scene(script, concat(expectedA, steps), expectedB);
    }

    /** This scene, with {@code steps} appended to what side B walks. */
    public Scene b(Step... steps) {
        return b(List.of(steps));
    }

    public Scene b(List<Step> steps) {
        return new Scene(script, expectedA, concat(expectedB, steps));
    }

    /** This scene, with {@code steps} appended to what each side walks (a symmetric scene). */
    public Scene both(Step... steps) {
        return both(List.of(steps));
    }

    public Scene both(List<Step> steps) {
        return new Scene(script, concat(expectedA, steps), concat(expectedB, steps));
    }

    /** The scenes one after the other, as one scene. */
    public static Scene sequence(List<Scene> scenes) {
        List<Scene> parts = List.copyOf(scenes);
        List<Step> a = new ArrayList<>();
        List<Step> b = new ArrayList<>();
        for (Scene scene : parts) {
            a.addAll(scene.expectedA);
            b.addAll(scene.expectedB);
        }
        return new Scene(run -> parts.forEach(scene -> scene.script.run(run)), a, b);
    }

    public static Scene sequence(Scene... scenes) {
        return sequence(List.of(scenes));
    }

    private static List<Step> concat(List<Step> first, List<Step> then) {
        List<Step> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }
}
