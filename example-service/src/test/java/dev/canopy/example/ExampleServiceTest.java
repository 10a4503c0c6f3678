package dev.canopy.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.ServiceIdentity;
import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example service against a real child orchestrator (whose parent is away, which the service
 * never notices): it registers itself, says who it is, and deregisters when it stops.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExampleServiceTest {
    static final DropwizardAppExtension<ChildConfiguration> CHILD = new DropwizardAppExtension<>(
            ChildApplication.class, "../child-app/config.yml", "child",
            ConfigOverride.config("child", "server.connector.port", "0"),
            ConfigOverride.config("child", "auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("child", "auth.serviceKeys", TestKeys.SERVICE),
            ConfigOverride.config("child", "parent.key", TestKeys.CHILD),
            ConfigOverride.config("child", "parent.url", "http://localhost:1"),
            ConfigOverride.config("child", "region", "us-east"),
            ConfigOverride.config("child", "parent.registrationDelay", "1h"),
            // The service renews every third of this: its heartbeat is visible within a test.
            ConfigOverride.config("child", "leases.ttl", "1s"),
            ConfigOverride.config("child", "leases.reaperInterval", "100ms"),
            ConfigOverride.config("child", "logging.level", "ERROR"));

    private final ContractCheckingFilter serviceContract = new ContractCheckingFilter("example-service");
    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final Client serviceClient = TestClients.contractChecked(serviceContract);
    private final Client childClient = TestClients.contractChecked(childContract)
            .register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(serviceContract.violations()).isEmpty();
        assertThat(childContract.violations()).isEmpty();
        serviceClient.close();
        childClient.close();
    }

    /** ORCHESTRATOR_URL as people write it, and as a shell or compose leaves it after eating `$register`. */
    @ParameterizedTest
    @ValueSource(strings = {"%s/services/$register", "%s/services/", "%s/services", "%s"})
    void registersWithItsChildAndDeregistersOnStop(String orchestratorUrlForm) throws Exception {
        String childBase = "http://localhost:" + CHILD.getLocalPort();
        DropwizardTestSupport<ExampleServiceConfiguration> service = new DropwizardTestSupport<>(
                ExampleServiceApplication.class, "config.yml", "service",
                ConfigOverride.config("service", "server.connector.port", "0"),
                ConfigOverride.config("service", "orchestrator.key", TestKeys.SERVICE),
                ConfigOverride.config("service", "serviceName", "US Payment Service"),
                ConfigOverride.config("service", "advertisedUrl", "http://pay.example:8001"),
                ConfigOverride.config("service", "orchestrator.url", orchestratorUrlForm.formatted(childBase)),
                ConfigOverride.config("service", "orchestrator.registrationDelay", "0s"),
                ConfigOverride.config("service", "logging.level", "ERROR"));
        service.before();
        try {
            String serviceBase = "http://localhost:" + service.getLocalPort();
            ServiceIdentity identity = await().atMost(Duration.ofSeconds(15)).until(
                    () -> serviceClient.target(serviceBase + "/").request().get(ServiceIdentity.class),
                    who -> who.getServiceId() != null);

            assertThat(identity.getName()).isEqualTo("US Payment Service");
            assertThat(identity.getVersion()).isEqualTo("1.0.0");
            assertThat(identity.getUrl()).isEqualTo("http://pay.example:8001");
            assertThat(identity.getOrchestratorUrl()).isEqualTo(childBase);
            List<LocalService> atChild = childServices(childBase);
            assertThat(atChild).singleElement().satisfies(registered -> {
                assertThat(registered.getId()).isEqualTo(identity.getServiceId());
                assertThat(registered.getUrl()).isEqualTo("http://pay.example:8001");
                assertThat(registered.getInfo()).containsEntry("display_name", "US Payment Service")
                        .containsEntry("version", "1.0.0");
            });

            Response health = serviceClient.target(serviceBase + "/health").request().get();
            assertThat(health.getStatus()).isEqualTo(200);
            JsonNode report = health.readEntity(JsonNode.class);
            assertThat(report.get("status").asText()).isEqualTo("healthy");
            assertThat(report.get("checks").get("orchestrator").get("message").asText())
                    .contains(identity.getServiceId());
        } finally {
            service.after();
        }
        assertThat(childServices(childBase)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void keepsItsLeaseAndComesBackUnderItsIdWhenItsChildForgetsIt() throws Exception {
        String childBase = "http://localhost:" + CHILD.getLocalPort();
        DropwizardTestSupport<ExampleServiceConfiguration> service = new DropwizardTestSupport<>(
                ExampleServiceApplication.class, "config.yml", "service",
                ConfigOverride.config("service", "server.connector.port", "0"),
                ConfigOverride.config("service", "orchestrator.key", TestKeys.SERVICE),
                ConfigOverride.config("service", "advertisedUrl", "http://faithful.example:8002"),
                ConfigOverride.config("service", "orchestrator.url", childBase),
                ConfigOverride.config("service", "orchestrator.registrationDelay", "0s"),
                ConfigOverride.config("service", "orchestrator.retry.initialDelay", "20ms"),
                ConfigOverride.config("service", "logging.level", "ERROR"));
        service.before();
        try {
            String serviceBase = "http://localhost:" + service.getLocalPort();
            String id = await().atMost(Duration.ofSeconds(15)).until(
                    () -> serviceClient.target(serviceBase + "/").request().get(ServiceIdentity.class).getServiceId(),
                    registered -> registered != null);

            // Three TTLs later it is still there: its heartbeat renews it.
            Thread.sleep(3_000);
            assertThat(childServices(childBase)).extracting(LocalService::getId).containsExactly(id);

            assertThat(childClient.target(childBase + "/services/" + id).request().delete().getStatus()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(childServices(childBase)).extracting(LocalService::getId).containsExactly(id));
        } finally {
            service.after();
        }
        assertThat(childServices(childBase)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aServiceWhoseKeyItsChildRefusesStaysDegradedAndUnregistered() throws Exception {
        String childBase = "http://localhost:" + CHILD.getLocalPort();
        DropwizardTestSupport<ExampleServiceConfiguration> service = new DropwizardTestSupport<>(
                ExampleServiceApplication.class, "config.yml", "service",
                ConfigOverride.config("service", "server.connector.port", "0"),
                ConfigOverride.config("service", "orchestrator.key", TestKeys.OTHER_SERVICE),
                ConfigOverride.config("service", "auth.adminKeys", TestKeys.ADMIN),
                ConfigOverride.config("service", "advertisedUrl", "http://refused.example:8003"),
                ConfigOverride.config("service", "orchestrator.url", childBase),
                ConfigOverride.config("service", "orchestrator.registrationDelay", "0s"),
                ConfigOverride.config("service", "orchestrator.retry.initialDelay", "20ms"),
                ConfigOverride.config("service", "logging.level", "ERROR"));
        service.before();
        try {
            String serviceBase = "http://localhost:" + service.getLocalPort();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode report = serviceClient.target(serviceBase + "/health").request().get(JsonNode.class);
                assertThat(report.get("status").asText()).isEqualTo("degraded");
                assertThat(report.get("checks").get("orchestrator").get("message").asText()).contains("HTTP 401");
            });
            assertThat(serviceClient.target(serviceBase + "/").request().get(ServiceIdentity.class).getServiceId())
                    .isNull();
            assertThat(childServices(childBase)).isEmpty();

            try (Client raw = TestClients.raw()) {
                assertThat(raw.target(serviceBase + "/admin/healthcheck").request().get().getStatus())
                        .as("its admin pages take its admin key").isEqualTo(401);
                assertThat(raw.target(serviceBase + "/admin/healthcheck").request()
                        .header("Authorization", "Bearer " + TestKeys.ADMIN).get().getStatus()).isIn(200, 500);
            }
        } finally {
            service.after();
        }
    }

    @org.junit.jupiter.api.Test
    void refusesToStartWithoutAKeyForItsChild() {
        DropwizardTestSupport<ExampleServiceConfiguration> service = new DropwizardTestSupport<>(
                ExampleServiceApplication.class, "config.yml", "keyless",
                ConfigOverride.config("keyless", "server.connector.port", "0"),
                ConfigOverride.config("keyless", "logging.level", "ERROR"));
        try {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(service::before);
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
                messages.append(cause).append('\n');
            }
            assertThat(messages).contains("CANOPY_SERVICE_KEY");
        } finally {
            service.after();
        }
    }

    private List<LocalService> childServices(String childBase) {
        return childClient.target(childBase + "/services").request().get(LocalServiceList.class).getServices();
    }
}
