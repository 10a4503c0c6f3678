package dev.canopy.parent.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchySummary;
import dev.canopy.api.model.OrchestratorDeregistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.OrchestratorSummary;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /api/v1/hierarchy/summary over HTTP, each answer checked against the contract: every
 * orchestrator with the count and digest the parent keeps, which must be those of the services it
 * lists for that orchestrator, whatever changed before.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentHierarchySummaryTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("logging.level", "WARN"));
    static final String NOTHING = "0000000000000000";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));
    private ParentHttp http;

    @BeforeEach
    void noOrchestrators() {
        http = new ParentHttp(client, APP.getLocalPort());
        for (OrchestratorSummary entry : summary().getOrchestrators()) {
            assertThat(http.delete("/api/v1/orchestrators/" + entry.getOrchestrator().getId()).getStatus())
                    .isEqualTo(200);
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void withNoOrchestratorItNamesTheParentAndZeroes() {
        HierarchySummary summary = summary();

        assertThat(summary.getParentId()).isEqualTo("parent-orchestrator");
        assertThat(summary.getParentInfo().getDisplayName()).isEqualTo("Parent Orchestrator");
        assertThat(summary.getTotalOrchestrators()).isZero();
        assertThat(summary.getTotalServices()).isZero();
        assertThat(summary.getOrchestrators()).isEmpty();
    }

    @Test
    void oneOrchestratorWithoutServicesHoldsTheEmptySet() {
        String us = http.registerOrchestrator("http://us:9001", "us-east", null).getId();

        HierarchySummary summary = summary();

        assertThat(summary.getTotalOrchestrators()).isEqualTo(1);
        assertThat(summary.getTotalServices()).isZero();
        OrchestratorSummary only = summary.getOrchestrators().get(0);
        assertThat(only.getOrchestrator().getId()).isEqualTo(us);
        assertThat(only.getOrchestrator().getRegion()).isEqualTo("us-east");
        assertThat(only.getOrchestrator().getServiceCount()).isZero();
        assertThat(only.getOrchestrator().getSync().getServicesDigest()).isEqualTo(NOTHING);
        assertThat(only.getServicesUrl()).isEqualTo("/api/v1/services?orchestrator_id=" + us + "&limit=100");
    }

    @Test
    void severalOrchestratorsInIdOrderEachAsItsDetailWithCountsThatAddUp() {
        String us = http.registerOrchestrator("http://us:9001", "us-east", null).getId();
        String eu = http.registerOrchestrator("http://eu:9002", "eu-west", null).getId();
        String ml = http.registerOrchestrator("http://ml:9003", null, "machine-learning").getId();
        for (int i = 0; i < 7; i++) {
            http.registerService(Ids.next(), "http://svc-" + i + ":8000", i < 4 ? us : ml);
        }

        HierarchySummary summary = summary();

        assertThat(summary.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getId())
                .containsExactly(us, eu, ml);
        assertThat(summary.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getServiceCount())
                .containsExactly(4, 0, 3);
        assertThat(summary.getTotalOrchestrators()).isEqualTo(3);
        assertThat(summary.getTotalServices()).isEqualTo(7)
                .isEqualTo(http.get("/api/v1/hierarchy").readEntity(Hierarchy.class).getTotalServices());
        for (OrchestratorSummary entry : summary.getOrchestrators()) {
            String id = entry.getOrchestrator().getId();
            assertThat(entry.getOrchestrator()).as("as GET /api/v1/orchestrators/{id} shows it")
                    .isEqualTo(http.get("/api/v1/orchestrators/" + id).readEntity(OrchestratorDetail.class));
        }
        assertCountsAndDigestsAgreeWithTheServicesListed(summary);
    }

    @Test
    void countsAndDigestsFollowUpdatesRemovalsAndDisplacement() {
        String us = http.registerOrchestrator("http://us:9001", "us-east", null).getId();
        String eu = http.registerOrchestrator("http://eu:9002", "eu-west", null).getId();
        List<String> ofUs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ofUs.add(http.registerService(Ids.next(), "http://us-" + i + ":8000", us));
            http.registerService(Ids.next(), "http://eu-" + i + ":8000", eu);
        }
        String before = summary().getOrchestrators().get(0).getOrchestrator().getSync().getServicesDigest();

        // An update of url and info in place changes the digest, not the count.
        Response updated = http.post("/api/v1/services/$register", "{\"id\":\"" + ofUs.get(0)
                + "\",\"url\":\"http://us-0:9999\",\"info\":{\"version\":\"2\"},\"orchestrator_id\":\"" + us + "\"}");
        assertThat(updated.getStatus()).isEqualTo(200);
        HierarchySummary afterUpdate = summary();
        assertThat(afterUpdate.getOrchestrators().get(0).getOrchestrator().getServiceCount()).isEqualTo(5);
        assertThat(afterUpdate.getOrchestrators().get(0).getOrchestrator().getSync().getServicesDigest())
                .isNotEqualTo(before);
        assertCountsAndDigestsAgreeWithTheServicesListed(afterUpdate);

        assertThat(http.delete("/api/v1/services/" + ofUs.get(1)).getStatus()).isEqualTo(200);
        Response batch = http.post("/api/v1/orchestrators/" + us + "/services/$batch", "{\"changes\":["
                + "{\"op\":\"remove\",\"id\":\"" + ofUs.get(2) + "\"},"
                + "{\"op\":\"upsert\",\"id\":\"" + Ids.next() + "\",\"url\":\"http://us-new:8000\"}]}");
        assertThat(batch.getStatus()).isEqualTo(200);
        HierarchySummary afterRemovals = summary();
        assertThat(afterRemovals.getOrchestrators().get(0).getOrchestrator().getServiceCount()).isEqualTo(4);
        assertThat(afterRemovals.getTotalServices()).isEqualTo(9);
        assertCountsAndDigestsAgreeWithTheServicesListed(afterRemovals);

        // A child registering at eu's url under an id of its own displaces eu and its services.
        String successor = Ids.next();
        Response displacing = http.post("/api/v1/orchestrators/$register",
                "{\"id\":\"" + successor + "\",\"url\":\"http://eu:9002\",\"region\":\"eu-west\"}");
        assertThat(displacing.getStatus()).isEqualTo(201);
        HierarchySummary afterDisplacement = summary();
        assertThat(afterDisplacement.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getId())
                .containsExactly(us, successor);
        assertThat(afterDisplacement.getOrchestrators().get(1).getOrchestrator().getServiceCount()).isZero();
        assertThat(afterDisplacement.getTotalServices()).isEqualTo(4);
        assertCountsAndDigestsAgreeWithTheServicesListed(afterDisplacement);
    }

    @Test
    void aDeregisteredOrchestratorLeavesTheSummaryAndItsAnswerCarriesWhatItHeld() {
        String us = http.registerOrchestrator("http://us:9001", "us-east", null).getId();
        String eu = http.registerOrchestrator("http://eu:9002", "eu-west", null).getId();
        http.registerService(Ids.next(), "http://a:8000", us);
        http.registerService(Ids.next(), "http://b:8000", us);
        http.registerService(Ids.next(), "http://c:8000", eu);
        OrchestratorDetail held = summary().getOrchestrators().get(0).getOrchestrator();

        OrchestratorDeregistration gone = http.delete("/api/v1/orchestrators/" + us)
                .readEntity(OrchestratorDeregistration.class);

        assertThat(gone.getOrchestrator().getServiceCount()).isEqualTo(2).isEqualTo(held.getServiceCount());
        assertThat(gone.getServicesRemoved()).isEqualTo(2);
        assertThat(gone.getOrchestrator().getSync().getServicesDigest()).isEqualTo(held.getSync().getServicesDigest());
        HierarchySummary summary = summary();
        assertThat(summary.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getId()).containsExactly(eu);
        assertThat(summary.getTotalOrchestrators()).isEqualTo(1);
        assertThat(summary.getTotalServices()).isEqualTo(1);
    }

    /** Each entry's count and digest are those of the services its services_url pages list. */
    private void assertCountsAndDigestsAgreeWithTheServicesListed(HierarchySummary summary) {
        int total = 0;
        for (OrchestratorSummary entry : summary.getOrchestrators()) {
            List<ServiceDetail> listed = new ArrayList<>();
            String page = entry.getServicesUrl();
            while (page != null) {
                ServiceList services = http.get(page).readEntity(ServiceList.class);
                listed.addAll(services.getServices());
                page = services.getNext();
            }
            long digest = 0;
            for (ServiceDetail service : listed) {
                digest ^= ServicesDigest.of(service.getId(), service.getUrl(), service.getInfo());
            }
            assertThat(entry.getOrchestrator().getServiceCount()).isEqualTo(listed.size());
            assertThat(entry.getOrchestrator().getSync().getServicesDigest()).isEqualTo(ServicesDigest.format(digest));
            total += listed.size();
        }
        assertThat(summary.getTotalServices()).isEqualTo(total);
        assertThat(summary.getTotalOrchestrators()).isEqualTo(summary.getOrchestrators().size());
    }

    private HierarchySummary summary() {
        Response response = http.get("/api/v1/hierarchy/summary");
        assertThat(response.getStatus()).isEqualTo(200);
        return response.readEntity(HierarchySummary.class);
    }
}
