package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.Hierarchy;
import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.NodeTests;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import dev.canopy.e2e.harness.TopologyKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The parent's live hierarchy page in Debian's headless Chromium, driven by playwright-core from
 * {@code src/test/browser/hierarchy-page.test.mjs}, against a parent whose reads need a key, two
 * children and their services. The browser test checks what the page shows, live changes, the
 * filter and the connection indicator; this class starts the apps and tells it what to expect.
 *
 * <pre>
 * parent (CANOPY_READ_ACCESS=key)
 * ├── us-east child (region)           ── Checkout Service, Payment Service
 * └── machine-learning child (domain)  ── Recommender Service
 * </pre>
 */
class HierarchyPageIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("canopy.e2e.chromium", "/usr/bin/chromium"));
    private static final String READ_KEY = TopologyKeys.random();

    @RegisterExtension
    static final Topology topology = new Topology("HierarchyPageIT")
            .configure(App.PARENT, Map.of("CANOPY_READ_ACCESS", "key", "CANOPY_READ_KEYS", READ_KEY));

    /** What the page must show for one child: its url and scope, and its services' names and urls. */
    record ExpectedBranch(String url, String region, String domain, List<ExpectedService> services) {
    }

    record ExpectedService(String name, String url) {
    }

    @Test
    void thePageShowsTheTreeAndFollowsItLive() throws Exception {
        // CI installs it (.ci/run, ./run-tests.sh); a missing browser must fail this test, not skip it.
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: install Debian's chromium package (apt-get install chromium), or run "
                        + "./run-tests.sh, which does", CHROMIUM)
                .isTrue();
        topology.startParent();
        ChildOrchestrator usEast = topology.startChild("us-east-child", Scope.region("us-east"));
        ChildOrchestrator machineLearning = topology.startChild("machine-learning-child",
                Scope.domain("machine-learning"));
        ExampleService checkout = topology.startExampleService("Checkout Service", usEast.url());
        ExampleService payments = topology.startExampleService("Payment Service", usEast.url());
        ExampleService recommender = topology.startExampleService("Recommender Service", machineLearning.url());
        topology.awaitHealthy();
        converges().untilAsserted(() -> {
            Hierarchy hierarchy = topology.parent().hierarchy().getHierarchy(null, null);
            assertThat(hierarchy.getOrchestrators()).hasSize(2);
            assertThat(hierarchy.getTotalServices()).isEqualTo(3);
        });

        List<ExpectedBranch> expected = List.of(
                new ExpectedBranch(usEast.url(), "us-east", null, List.of(
                        new ExpectedService("Checkout Service", checkout.url()),
                        new ExpectedService("Payment Service", payments.url()))),
                new ExpectedBranch(machineLearning.url(), null, "machine-learning", List.of(
                        new ExpectedService("Recommender Service", recommender.url()))));
        Path screenshot = Path.of(System.getProperty("canopy.e2e.screenshots", "target/browser"))
                .resolve("hierarchy-page.png").toAbsolutePath();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CANOPY_PARENT_URL", topology.parentUrl());
        environment.put("CANOPY_TOPOLOGY", new ObjectMapper().writeValueAsString(expected));
        environment.put("CANOPY_SERVICE_KEY", topology.keys().service());
        environment.put("CANOPY_READ_KEY", READ_KEY);
        environment.put("CANOPY_SCREENSHOT", screenshot.toString());
        environment.put("CHROMIUM", CHROMIUM.toString());

        NodeTests.Result result = NodeTests.run("HierarchyPageIT-browser", browserTests(),
                List.of("node", "--test", "--test-reporter=spec", "hierarchy-page.test.mjs"), environment,
                Duration.ofMinutes(3));

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(screenshot).isNotEmptyFile();
    }

    private static Path browserTests() {
        Path directory = Path.of(System.getProperty("canopy.e2e.browser", "src/test/browser")).toAbsolutePath();
        assertThat(directory.resolve("node_modules/playwright-core"))
                .as("playwright-core is not installed in %s: the build runs npm ci there (mvn verify)", directory)
                .isDirectory();
        return directory;
    }
}
