package dev.spinet.tcp.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.testkit.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential conformance suite: every {@link Catalogue} scenario is played against the
 * Linux kernel's TCP (through a TAP in a namespace, {@link LinuxDriver}) and against Spinet (in
 * simulated time, {@link SpinetDriver}), and each stack's answers are judged against the RFC's.
 * Spinet must give the RFC answer; Linux must too, except where a scenario documents why it does
 * not. The table goes to {@code target/tcp-conformance.md}.
 *
 * <p>Without root, iproute2, python3 or /dev/net/tun the Linux half is skipped with the reason,
 * except under CI=true, where it fails: CI runs as root with those tools.
 */
class DifferentialConformanceTest {

    private static final List<Scenario> SCENARIOS = Catalogue.all();
    private static final Map<Scenario, Transcript> LINUX = new LinkedHashMap<>();
    private static final Map<Scenario, Transcript> SPINET = new LinkedHashMap<>();
    private static LinuxDriver linux;
    private static String linuxUnavailable;
    private static String linuxVersion = "not run";

    @BeforeAll
    static void openLinux() throws Exception {
        linuxUnavailable = Netns.missingPrerequisite("python3");
        if (linuxUnavailable == null && !Libc.isSupportedPlatform()) {
            linuxUnavailable = "needs 64-bit Linux";
        }
        if (linuxUnavailable == null && !Files.exists(Path.of(TapDevice.TUN_PATH))) {
            linuxUnavailable = "needs " + TapDevice.TUN_PATH;
        }
        if (linuxUnavailable != null) {
            return;
        }
        linux = LinuxDriver.open();
        linuxVersion = "kernel " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    @AfterAll
    static void closeLinuxAndWriteTable() throws Exception {
        try {
            if (linux != null) {
                linux.close();
            }
        } finally {
            Path table = ConformanceTable.write(ConformanceTable.render(SCENARIOS, LINUX, SPINET, linuxVersion));
            System.out.println("conformance table: " + table.toAbsolutePath());
        }
    }

    @TestFactory
    Stream<DynamicNode> scenarios() {
        assertTrue(SCENARIOS.size() >= 40, "the suite promises at least 40 scenarios");
        List<DynamicNode> nodes = new ArrayList<>();
        for (int i = 0; i < SCENARIOS.size(); i++) {
            Scenario scenario = SCENARIOS.get(i);
            int portBase = i * 4;
            nodes.add(dynamicContainer(scenario.title(), Stream.of(
                    dynamicTest("Linux", () -> playOnLinux(scenario, portBase)),
                    dynamicTest("Spinet", () -> playOnSpinet(scenario, portBase)))));
        }
        return nodes.stream();
    }

    private static void playOnLinux(Scenario scenario, int portBase) {
        Netns.requireOrSkip(linuxUnavailable == null, linuxUnavailable);
        Transcript transcript = new ScenarioRunner(linux).play(scenario, portBase);
        LINUX.put(scenario, transcript);
        if (transcript.error != null) {
            fail("the Linux run broke down:\n" + transcript);
        }
        if (!transcript.followsRfc() && scenario.linuxDeviation == null) {
            fail("Linux answers otherwise than the RFC and the scenario does not say why:\n" + transcript);
        }
    }

    private static void playOnSpinet(Scenario scenario, int portBase) {
        try (SpinetDriver spinet = new SpinetDriver()) {
            Transcript transcript = new ScenarioRunner(spinet).play(scenario, portBase);
            SPINET.put(scenario, transcript);
            if (!transcript.followsRfc()) {
                fail("Spinet does not give the RFC answer: " + transcript.firstProblem() + "\n" + transcript);
            }
        }
    }
}
