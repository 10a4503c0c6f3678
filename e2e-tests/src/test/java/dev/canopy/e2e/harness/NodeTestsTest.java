package dev.canopy.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a Node run hands back: its exit code, its output and its log, and a run over time killed with its children. */
class NodeTestsTest {
    private static final Path HERE = Path.of(".").toAbsolutePath().normalize();
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void aRunReturnsItsExitCodeAndTheEndOfItsOutputAndKeepsAllOfItInItsLog() throws Exception {
        NodeTests.Result result = NodeTests.run("NodeTestsTest-exit", HERE, List.of("node", "-e",
                "for (let i = 1; i <= 200; i++) console.log('line ' + i); console.error('to stderr'); process.exit(3)"),
                Map.of(), GENEROUS);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.timedOut()).isFalse();
        assertThat(result.passed()).isFalse();
        assertThat(result.tail().lines()).hasSize(NodeTests.TAIL_LINES).contains("line 200", "to stderr")
                .doesNotContain("line 100");
        String log = Files.readString(result.log(), StandardCharsets.UTF_8);
        assertThat(log).contains("node -e", "line 1\n", "line 200", "to stderr");
        assertThat(result.describe()).contains("exited with 3", result.log().toString(), "line 200");
    }

    @Test
    void theEnvironmentGivenReachesTheCommandAndOnlyItsNamesReachTheLog() throws Exception {
        NodeTests.Result result = NodeTests.run("NodeTestsTest-environment", HERE, List.of("node", "-e",
                "process.exit(process.env.CANOPY_PROBE === process.env.CANOPY_EXPECTED && process.env.PATH ? 0 : 9)"),
                Map.of("CANOPY_PROBE", "secret-value", "CANOPY_EXPECTED", "secret-value"), GENEROUS);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.passed()).isTrue();
        String log = Files.readString(result.log(), StandardCharsets.UTF_8);
        assertThat(log).contains("CANOPY_EXPECTED, CANOPY_PROBE").doesNotContain("secret-value");
    }

    @Test
    void aRunOverItsTimeoutIsKilledWithTheProcessesItStarted() {
        NodeTests.Result result = NodeTests.run("NodeTestsTest-timeout", HERE, List.of("node", "-e",
                "const sleeper = require('node:child_process').spawn('sleep', ['120'], { stdio: 'ignore' });"
                        + " console.log('child ' + sleeper.pid); setTimeout(() => {}, 120000)"),
                Map.of(), Duration.ofSeconds(2));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.passed()).isFalse();
        assertThat(result.elapsed()).isLessThan(GENEROUS);
        long childPid = Long.parseLong(result.tail().lines().filter(line -> line.startsWith("child "))
                .findFirst().orElseThrow(() -> new AssertionError(result.describe())).substring("child ".length()));
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        assertThat(child.isEmpty() || !child.get().isAlive()).as("sleep %d outlived the killed run", childPid).isTrue();
    }
}
