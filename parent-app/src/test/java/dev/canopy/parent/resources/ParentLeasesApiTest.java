package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LeaseStatus;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorLease;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ReconcileResult;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.core.Ids;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leases, heartbeats and complete-set reconciliation at the parent. The TTL is long, so a loaded
 * machine never evicts what a test is still using; {@link ParentLeaseEvictionTest} watches evictions.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentLeasesApiTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("leases.ttl", "30s"),
            ConfigOverride.config("leases.reaperInterval", "100ms"),
            ConfigOverride.config("logging.level", "WARN"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract)
            .register(TestKeys.bearer(TestKeys.ADMIN));
    private ParentHttp http;

    @BeforeEach
    void connect() {
        http = new ParentHttp(client, APP.getLocalPort());
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void aRegistrationSaysHowLongItLivesAndWhereToRenewIt() {
        RegistrationResult registered = http.registerOrchestrator("http://lease-a:9001", "us-east", null);

        assertThat(registered.getTtlSeconds()).isEqualTo(30);
        assertThat(registered.getPingUrl()).isEqualTo("/api/v1/orchestrators/" + registered.getId() + "/$ping");
        Response service = http.post("/api/v1/services/$register",
                ParentHttp.serviceJson(Ids.next(), "http://svc:1", registered.getId()));
        RegistrationResult forwarded = service.readEntity(RegistrationResult.class);
        assertThat(forwarded.getPingUrl()).as("a service lives on its orchestrator's lease")
                .isEqualTo(registered.getPingUrl());

        Response ping = http.put(registered.getPingUrl(), "{}");
        assertThat(ping.getStatus()).isEqualTo(200);
        OrchestratorLease lease = ping.readEntity(OrchestratorLease.class);
        assertThat(lease.getStatus()).isEqualTo(LeaseStatus.ALIVE);
        assertThat(lease.getExpiresAt()).isAfter(lease.getLastPingAt());
        assertThat(Duration.between(lease.getLastPingAt(), lease.getExpiresAt())).isEqualTo(Duration.ofSeconds(30));
        assertThat(lease.getInSync()).isNull();

        ServiceDetail detail = http.get("/api/v1/services/" + forwarded.getId()).readEntity(ServiceDetail.class);
        assertThat(detail.getExpiresAt()).isEqualTo(lease.getExpiresAt());
        assertThat(detail.getLastPingAt()).isEqualTo(lease.getLastPingAt());
    }

    @Test
    void aHeartbeatComparesTheChildsDigestWithTheParentsCopy() {
        String id = http.registerOrchestrator("http://digest:9001", "us-east", null).getId();
        String service = Ids.next();
        http.registerService(service, "http://a:1", id);
        OrchestratorDetail detail = http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class);
        String parentDigest = detail.getSync().getServicesDigest();
        assertThat(parentDigest).isNotEqualTo(ServicesDigest.format(0));

        OrchestratorLease agrees = http.put("/api/v1/orchestrators/" + id + "/$ping",
                "{\"services_digest\":\"" + parentDigest + "\",\"service_count\":1,\"pending_forwards\":0}")
                .readEntity(OrchestratorLease.class);
        assertThat(agrees.getInSync()).isTrue();
        assertThat(agrees.getServicesDigest()).isEqualTo(parentDigest);

        OrchestratorLease differs = http.put("/api/v1/orchestrators/" + id + "/$ping",
                "{\"services_digest\":\"00000000000000ff\",\"pending_forwards\":4}").readEntity(OrchestratorLease.class);
        assertThat(differs.getInSync()).isFalse();
        OrchestratorDetail after = http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class);
        assertThat(after.getSync().getInSync()).isFalse();
        assertThat(after.getSync().getPendingForwards()).isEqualTo(4);
        assertThat(after.getSync().getLastSyncAt()).as("the forward above").isNotNull();
    }

    @Test
    void aCompleteSetReplacesTheParentsCopy() {
        String id = http.registerOrchestrator("http://reconcile:9001", "us-east", null).getId();
        String stale = http.registerService(Ids.next(), "http://stale:1", id);
        String kept = Ids.next();
        String added = Ids.next();
        String set = "{\"services\":[{\"id\":\"" + kept + "\",\"url\":\"http://kept:1\",\"info\":{\"v\":1}},"
                + "{\"id\":\"" + added + "\",\"url\":\"http://added:1\"}]}";

        Response response = http.put("/api/v1/orchestrators/" + id + "/services", set);

        assertThat(response.getStatus()).isEqualTo(200);
        ReconcileResult result = response.readEntity(ReconcileResult.class);
        assertThat(result.getAdded()).isEqualTo(2);
        assertThat(result.getRemoved()).isEqualTo(1);
        assertThat(result.getServiceCount()).isEqualTo(2);
        assertThat(http.get("/api/v1/services?orchestrator_id=" + id).readEntity(ServiceList.class).getServices())
                .extracting(ServiceDetail::getId).containsExactlyInAnyOrder(kept, added);
        assertProblem(http.get("/api/v1/services/" + stale), 404, "urn:canopy:problem:not-found");
        OrchestratorDetail detail = http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class);
        assertThat(detail.getSync().getInSync()).isTrue();
        assertThat(detail.getSync().getServicesDigest()).isEqualTo(result.getServicesDigest());

        ReconcileResult again = http.put("/api/v1/orchestrators/" + id + "/services", set)
                .readEntity(ReconcileResult.class);
        assertThat(Map.of("added", again.getAdded(), "updated", again.getUpdated(), "removed", again.getRemoved()))
                .containsOnly(Map.entry("added", 0), Map.entry("updated", 0), Map.entry("removed", 0));
        assertThat(again.getServicesDigest()).isEqualTo(result.getServicesDigest());
    }

    @Test
    void aSetThatClaimsAnotherChildsServiceChangesNothing() {
        String mine = http.registerOrchestrator("http://mine:9001", "us-east", null).getId();
        String theirs = http.registerOrchestrator("http://theirs:9002", "eu-west", null).getId();
        String mineService = http.registerService(Ids.next(), "http://m:1", mine);
        String theirService = http.registerService(Ids.next(), "http://t:1", theirs);
        String before = http.hierarchyJson();

        Problem conflict = assertProblem(http.put("/api/v1/orchestrators/" + mine + "/services",
                "{\"services\":[{\"id\":\"" + theirService + "\",\"url\":\"http://t:1\"}]}"), 409,
                "urn:canopy:problem:conflict");
        assertThat(conflict.getDetail()).contains(theirService);
        assertProblem(http.put("/api/v1/orchestrators/" + mine + "/services",
                "{\"services\":[{\"id\":\"" + mineService + "\",\"url\":\"http://m:1\"},"
                        + "{\"id\":\"" + mineService + "\",\"url\":\"http://m:2\"}]}"), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(http.put("/api/v1/orchestrators/" + mine + "/services",
                "{\"services\":[{\"id\":\"" + Ids.next() + "\",\"url\":\"gopher://m:1\"}]}"), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(http.put("/api/v1/orchestrators/" + mine + "/services", "{\"services\":{}}"), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(http.put("/api/v1/orchestrators/" + Ids.next() + "/services", "{\"services\":[]}"), 404,
                "urn:canopy:problem:not-found");
        assertThat(http.hierarchyJson()).isEqualTo(before);
    }

    @Test
    void badHeartbeatsAreProblemsAndRenewNothing() {
        String id = http.registerOrchestrator("http://bad-ping:9001", "us-east", null).getId();
        OrchestratorDetail before = http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class);

        assertProblem(http.put("/api/v1/orchestrators/" + id + "/$ping", "{\"services_digest\":\"XYZ\"}"), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(http.put("/api/v1/orchestrators/" + id + "/$ping", "{\"pending_forwards\":-1}"), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(http.put("/api/v1/orchestrators/" + id + "/$ping", "{\"pending_forwards\":"), 400,
                "urn:canopy:problem:malformed-json");
        assertProblem(http.put("/api/v1/orchestrators/" + Ids.next() + "/$ping", "{}"), 404,
                "urn:canopy:problem:not-found");

        OrchestratorDetail after = http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class);
        assertThat(after.getExpiresAt()).isEqualTo(before.getExpiresAt());
    }

    @Test
    void aChildRegisteringAgainWithItsIdKeepsIt() {
        String id = Ids.next();
        Response response = http.post("/api/v1/orchestrators/$register",
                "{\"id\":\"" + id + "\",\"url\":\"http://returning:9001\",\"region\":\"us-east\"}");

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.readEntity(RegistrationResult.class).getId()).isEqualTo(id);
        assertThat(http.get("/api/v1/orchestrators/" + id).getStatus()).isEqualTo(200);
    }
}
