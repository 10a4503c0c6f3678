package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With its parent away, a child still serves its own services, and says it is degraded. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildWithoutParentTest {
    static final DropwizardAppExtension<ChildConfiguration> CHILD = new DropwizardAppExtension<>(
            ChildApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.serviceKeys", TestKeys.SERVICE),
            ConfigOverride.config("parent.key", TestKeys.CHILD),
            ConfigOverride.config("parent.url", "http://localhost:" + closedPort()),
            ConfigOverride.config("domain", "machine-learning"),
            ConfigOverride.config("parent.registrationDelay", "0s"),
            ConfigOverride.config("parent.retry.initialDelay", "20ms"),
            ConfigOverride.config("parent.retry.maxDelay", "100ms"),
            ConfigOverride.config("logging.level", "ERROR"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("child");
    private final Client client = TestClients.contractChecked(contract)
            .register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void registersServicesWhileTheParentIsAway() {
        Response response = client.target(base()).path("/services/$register").request()
                .post(Entity.json("{\"url\":\"http://train:8004\",\"info\":{\"display_name\":\"ML Training\"}}"));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.readEntity(RegistrationResult.class).getMessage())
                .isEqualTo("Service registered with machine-learning orchestrator");
        assertThat(client.target(base() + "/services").request().get(LocalServiceList.class).getCount()).isEqualTo(1);
    }

    @Test
    void isDegradedNotUnhealthyAndHasNoParentIdYet() {
        await().atMost(Duration.ofSeconds(10)).until(() -> healthOfParentLink().contains("Connection refused")
                || healthOfParentLink().contains("refused"));
        Response health = client.target(base() + "/health").request().get();
        assertThat(health.getStatus()).isEqualTo(200);
        JsonNode report = health.readEntity(JsonNode.class);
        assertThat(report.get("status").asText()).isEqualTo("degraded");
        assertThat(report.get("checks").get("parent").get("state").asText()).isEqualTo("degraded");

        ChildOrchestratorInfo info = client.target(base() + "/services/info/orchestrator").request()
                .get(ChildOrchestratorInfo.class);
        assertThat(info.getOrchestratorId()).isNull();
        assertThat(info.getDomain()).isEqualTo("machine-learning");
        assertThat(info.getRegion()).isNull();
    }

    private String healthOfParentLink() {
        return client.target(base() + "/health").request().get(JsonNode.class)
                .get("checks").get("parent").get("message").asText();
    }

    private static String base() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
