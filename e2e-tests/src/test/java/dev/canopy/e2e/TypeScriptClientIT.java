package dev.canopy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.NodeTests;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TypeScript client that {@code clients/typescript} generates from the OpenAPI documents and
 * compiles with tsc, run by Node's own test runner against a live parent and child: a client in
 * another language, made from the contract in the same build, works against the apps as they run.
 * The Node tests (clients/typescript/test/) say what they check; this class starts the apps, hands
 * them the urls and keys, and fails with the end of their output when any of them fails.
 */
class TypeScriptClientIT {
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    /** The closing lines of Node's spec reporter: "ℹ pass 14", "ℹ fail 0", ... */
    private static final Pattern SUMMARY_LINE = Pattern.compile("^\\S+ (tests|suites|pass|fail|cancelled|skipped|todo) (\\d+)$");

    @RegisterExtension
    static final Topology topology = new Topology("TypeScriptClientIT");

    @Test
    void theGeneratedTypeScriptClientPassesItsNodeTestsAgainstALiveParentAndChild() {
        ParentOrchestrator parent = topology.startParent();
        ChildOrchestrator child = topology.startChild("us-east-child", Scope.region("us-east"));
        topology.awaitHealthy();

        Path client = clientDirectory();
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        // Files named one by one: node 20 takes no globs, and a directory would also pick up support code.
        List<String> tests = compiledTests(client);
        command.addAll(tests);
        NodeTests.Result result = NodeTests.run("TypeScriptClientIT-node", client, command, Map.of(
                "CANOPY_PARENT_URL", parent.url(),
                "CANOPY_CHILD_URL", child.url(),
                "CANOPY_SERVICE_KEY", topology.keys().service(),
                "CANOPY_ADMIN_KEY", topology.keys().admin()), NODE_TIMEOUT);

        assertThat(result.passed()).as(result.describe()).isTrue();
        Map<String, Integer> summary = summary(result.log());
        assertThat(summary).as("the summary of %s; %s", tests, result.describe())
                .containsEntry("fail", 0).containsEntry("cancelled", 0).containsEntry("skipped", 0)
                .containsEntry("todo", 0);
        assertThat(summary.get("pass")).as("tests passed; %s", result.describe()).isPositive();
        System.out.printf("TypeScriptClientIT: node --test passed %d tests in %d suites from %d files in %d ms%n",
                summary.get("pass"), summary.getOrDefault("suites", 0), tests.size(), result.elapsed().toMillis());
    }

    private static Path clientDirectory() {
        String property = System.getProperty("canopy.e2e.clients.typescript");
        assertThat(property).as("system property canopy.e2e.clients.typescript (set by failsafe)").isNotNull();
        return Path.of(property).toAbsolutePath().normalize();
    }

    /** What tsc compiled from test/*.test.ts; none at all fails, rather than passing with nothing run. */
    private static List<String> compiledTests(Path client) {
        Path compiled = client.resolve("target/dist/test");
        try (Stream<Path> files = Files.list(compiled)) {
            List<String> tests = files.map(Path::getFileName).map(Path::toString)
                    .filter(name -> name.endsWith(".test.js")).sorted()
                    .map(name -> "target/dist/test/" + name).toList();
            assertThat(tests).as("compiled Node tests in %s; the clients/typescript build makes them", compiled)
                    .isNotEmpty();
            return tests;
        } catch (IOException e) {
            throw new UncheckedIOException("No compiled Node tests in " + compiled
                    + "; build clients/typescript first (mvn -B verify does)", e);
        }
    }

    private static Map<String, Integer> summary(Path log) {
        Map<String, Integer> summary = new TreeMap<>();
        try {
            for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList()) {
                Matcher matcher = SUMMARY_LINE.matcher(line.strip());
                if (matcher.matches()) {
                    summary.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return summary;
    }
}
