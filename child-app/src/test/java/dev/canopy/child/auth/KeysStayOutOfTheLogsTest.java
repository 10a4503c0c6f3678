package dev.canopy.child.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.ServiceList;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.CapturedOutput;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A parent and a child at DEBUG, every line they print captured (application logs, request logs, the
 * HTTP client's and Jetty's own debug output) while keys are sent every way: right, wrong, to the
 * admin pages, child to parent. No key, and no hash of one, may appear anywhere.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class KeysStayOutOfTheLogsTest {
    private static final String WRONG_KEY = "not-a-configured-key-7f3e91c2a0d4";
    // Before the apps: their console appenders write to whatever System.out is then.
    private static final CapturedOutput OUTPUT = CapturedOutput.start();
    private static final ParentAndChild APPS = new ParentAndChild()
            .childConfig("region", "us-east")
            .logLevel("DEBUG");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    @AfterAll
    static void stopCapturing() {
        OUTPUT.stop();
    }

    @Test
    void noKeyNorItsHashIsEverPrinted() {
        try (Client client = TestClients.raw()) {
            String child = "http://localhost:" + CHILD.getLocalPort();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.target(child + "/services/info/orchestrator")
                    .request().get(ChildOrchestratorInfo.class).getOrchestratorId() != null);

            for (String key : List.of(TestKeys.SERVICE, WRONG_KEY, TestKeys.CHILD)) {
                client.target(child).path("/services/$register").request()
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                        .post(Entity.json("{\"url\":\"http://pay:8001\",\"info\":{\"display_name\":\"Pay\"}}"))
                        .close();
            }
            client.target(child + "/admin/healthcheck").request()
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestKeys.ADMIN).get().close();
            client.target(child + "/admin/healthcheck").request()
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + WRONG_KEY).get().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.target("http://localhost:" + PARENT_PORT
                    + "/api/v1/services").request().get(ServiceList.class).getCount() == 1);
            // The request log is written asynchronously: wait for the last request's line.
            await().atMost(Duration.ofSeconds(5)).until(() -> OUTPUT.text().contains("\"uri\":\"/api/v1/services\""));
        }

        String printed = OUTPUT.text();
        assertThat(printed).as("it did capture the apps' lines")
                .contains("\"uri\":\"/services/$register\"")
                .contains("\"event\":\"upstream_registered\"")
                .contains("\"event\":\"changes_forwarded\"")
                .contains("\"level\":\"DEBUG\"");
        for (String key : List.of(TestKeys.ADMIN, TestKeys.CHILD, TestKeys.SERVICE, WRONG_KEY)) {
            assertThat(printed).doesNotContain(key).doesNotContain(sha256(key));
        }
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
