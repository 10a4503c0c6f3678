package dev.canopy.example.hostile;

import static dev.canopy.core.testing.hostile.CommonRows.BLANK;
import static dev.canopy.core.testing.hostile.HostileRequest.delete;
import static dev.canopy.core.testing.hostile.HostileRequest.get;
import static dev.canopy.core.testing.hostile.HostileRequest.post;
import static dev.canopy.core.testing.hostile.HostileRequest.put;
import static org.awaitility.Awaitility.await;

import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.testing.hostile.CommonRows;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.HostileSuite;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.example.ExampleServiceApplication;
import dev.canopy.example.ExampleServiceConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests against every endpoint of the example service, over real HTTP, with
 * the service registered at a real child: each gets exactly the 4xx problem its row expects, and
 * neither the service's identity nor the child's registry changes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExampleServiceHostileInputTest {
    private static final int CHILD_PORT = freePort();

    static final DropwizardAppExtension<ChildConfiguration> CHILD = new DropwizardAppExtension<>(
            ChildApplication.class, "../child-app/config.yml", "child",
            ConfigOverride.config("child", "server.connector.port", String.valueOf(CHILD_PORT)),
            ConfigOverride.config("child", "auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("child", "auth.serviceKeys", TestKeys.SERVICE),
            ConfigOverride.config("child", "parent.key", TestKeys.CHILD),
            ConfigOverride.config("child", "parent.url", "http://localhost:1"),
            ConfigOverride.config("child", "parent.registrationDelay", "1h"),
            // No heartbeat during the run: the service renews every third of this.
            ConfigOverride.config("child", "leases.ttl", "1h"),
            ConfigOverride.config("child", "logging.level", "OFF"));

    static final DropwizardAppExtension<ExampleServiceConfiguration> SERVICE = new DropwizardAppExtension<>(
            ExampleServiceApplication.class, "config.yml", "service",
            ConfigOverride.config("service", "server.connector.port", "0"),
            ConfigOverride.config("service", "auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("service", "orchestrator.key", TestKeys.SERVICE),
            ConfigOverride.config("service", "orchestrator.url", "http://localhost:" + CHILD_PORT),
            ConfigOverride.config("service", "orchestrator.registrationDelay", "0s"),
            ConfigOverride.config("service", "logging.level", "ERROR"));

    private static SuiteClient service;
    private static SuiteClient child;
    private static HostileSuite suite;

    @BeforeAll
    static void registeredWithItsChild() {
        // Every request of the run, set-up and reads included, goes through these clients.
        service = new SuiteClient(SERVICE.getLocalPort(), CredentialHeaders.TEST_KEYS);
        child = new SuiteClient(CHILD_PORT, CredentialHeaders.TEST_KEYS);
        await().atMost(Duration.ofSeconds(30)).until(() -> !service.get("/").text().contains("\"service_id\":null"));
        suite = new HostileSuite("example-service", "example-service", service,
                ExampleServiceHostileInputTest::everything);
    }

    /** What the service says it is, and the child's record of it. */
    static String everything() {
        return service.get("/").text() + "\n" + child.get("/services").text();
    }

    @AfterAll
    static void figures() {
        suite.figures().publish();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithAProblemAndChangesNothing(HostileRequest row) {
        suite.check(row);
    }

    static Stream<HostileRequest> rows() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.addAll(CommonRows.transport("/"));
        rows.addAll(CommonRows.paths("/static"));
        rows.addAll(CommonRows.admin());
        rows.add(post("/").named("POST on the identity").json("{\"service_id\":\"01JD5Z9A00000000000000000Z\"}")
                .expect(405, BLANK).outsideContract());
        rows.add(put("/").named("PUT on the identity").json("{\"name\":\"evil\"}").expect(405, BLANK)
                .outsideContract());
        rows.add(delete("/").named("DELETE on the identity").expect(405, BLANK).outsideContract());
        rows.add(post("/").named("a 70 KB body on the identity").body(CommonRows.jsonOfSize(70_000), "application/json")
                .expect(413, BLANK).outsideContract());
        rows.add(post("/health").named("POST on health").json("{}").expect(405, BLANK).outsideContract());
        rows.add(put("/metrics").named("PUT on metrics").json("{}").expect(405, BLANK).outsideContract());
        rows.add(post("/openapi/example-service.yaml").named("POST on the document").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(get("/openapi/parent.yaml").named("another app's document").expect(404, BLANK).outsideContract());
        rows.add(get("/swagger-ui/%2e%2e/%2e%2e/etc/passwd").named("climbing out of Swagger UI").expect(400, BLANK)
                .outsideContract());
        rows.add(put("/swagger-ui/index.html").named("PUT on Swagger UI").json("{}").expect(405, BLANK)
                .outsideContract());
        for (String path : List.of("/", "/health", "/metrics")) {
            rows.add(get(path).named("an answer only in XML").header("Accept", "application/xml").expect(406, BLANK));
            rows.add(get(path).named("an answer only in HTML").header("Accept", "text/html").expect(406, BLANK));
        }
        return rows.stream();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
