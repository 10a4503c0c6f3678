package dev.canopy.parent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The parent's roll-up of what children report with their heartbeats, driven by hand-made pings: the
 * figures appear under the child's labels, bad figures are refused whole and change nothing, a child
 * without figures is still renewed, and a child that leaves leaves the roll-up.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildRollupTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("logging.level", "WARN"));
    private static final String STARTED_AT = "2026-11-26T04:00:00Z";
    private static final String GOOD = "{\"started_at\":\"" + STARTED_AT + "\",\"services\":4,\"registrations\":7,"
            + "\"deregistrations\":3,\"evictions\":1,\"forwards_failed\":2,\"forwards_pending\":1,\"reconciliations\":5}";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void showsEachChildsLatestFiguresUnderItsLabels() {
        String id = register("http://rollup-child:9002", "eu-west", "payments");
        assertThat(ping(id, "{\"service_count\":4,\"stats\":" + GOOD + "}").getStatus()).isEqualTo(200);

        Map<String, String> labels = Map.of("orchestrator_id", id, "region", "eu-west", "domain", "payments");
        PrometheusText metrics = scrape();
        assertThat(metrics.value("canopy_child_services", labels)).hasValue(4.0);
        assertThat(metrics.value("canopy_child_registrations_total", labels)).hasValue(7.0);
        assertThat(metrics.value("canopy_child_deregistrations_total", labels)).hasValue(3.0);
        assertThat(metrics.value("canopy_child_lease_evictions_total", labels)).hasValue(1.0);
        assertThat(metrics.value("canopy_child_forwards_failed_total", labels)).hasValue(2.0);
        assertThat(metrics.value("canopy_child_forwards_pending", labels)).hasValue(1.0);
        assertThat(metrics.value("canopy_child_reconciliations_total", labels)).hasValue(5.0);
        assertThat(metrics.value("canopy_child_start_time_seconds", labels))
                .hasValue((double) Instant.parse(STARTED_AT).getEpochSecond());
        assertThat(metrics.value("canopy_child_last_report_age_seconds", labels)).isPresent();
        assertThat(metrics.value("canopy_child_last_report_age_seconds", labels).getAsDouble()).isBetween(0.0, 30.0);
        assertThat(metrics.help("canopy_child_registrations_total")).isNotBlank();

        // A later heartbeat replaces the figures whole; one without figures (an older child) keeps them.
        assertThat(ping(id, "{\"stats\":" + GOOD.replace("\"registrations\":7", "\"registrations\":9") + "}")
                .getStatus()).isEqualTo(200);
        assertThat(ping(id, "{\"service_count\":4}").getStatus()).isEqualTo(200);
        assertThat(ping(id, null).getStatus()).isEqualTo(200);
        assertThat(scrape().value("canopy_child_registrations_total", labels)).hasValue(9.0);

        assertThat(target("/api/v1/orchestrators/" + id).request().delete().getStatus()).isEqualTo(200);
        assertThat(scrape().samples().stream().filter(s -> s.name().startsWith("canopy_child_"))
                .filter(s -> id.equals(s.labels().get("orchestrator_id")))).isEmpty();
    }

    @Test
    void refusesBadFiguresWith422AndChangesNothing() {
        String id = register("http://rollup-child:9003", "us-east", null);
        assertThat(ping(id, "{\"stats\":" + GOOD + "}").getStatus()).isEqualTo(200);
        Map<String, String> labels = Map.of("orchestrator_id", id, "region", "us-east", "domain", "");
        String before = childSamples(id);
        OrchestratorDetail renewed = target("/api/v1/orchestrators/" + id).request().get(OrchestratorDetail.class);

        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {GOOD.replace("\"registrations\":7", "\"registrations\":-1"), "body.stats.registrations"});
        bad.add(new String[] {GOOD.replace("\"evictions\":1", "\"evictions\":9007199254740992"), "body.stats.evictions"});
        bad.add(new String[] {GOOD.replace("\"services\":4", "\"services\":-4"), "body.stats.services"});
        bad.add(new String[] {GOOD.replace("\"forwards_pending\":1", "\"forwards_pending\":-1"),
                "body.stats.forwards_pending"});
        bad.add(new String[] {GOOD.replace("\"reconciliations\":5", "\"reconciliations\":\"5\""),
                "body.stats.reconciliations"});
        bad.add(new String[] {GOOD.replace("\"forwards_failed\":2", "\"forwards_failed\":2.5"),
                "body.stats.forwards_failed"});
        bad.add(new String[] {GOOD.replace("\"started_at\":\"" + STARTED_AT + "\",", ""), "body.stats.started_at"});
        bad.add(new String[] {GOOD.replace(STARTED_AT, "yesterday"), "body.stats.started_at"});
        bad.add(new String[] {GOOD.replace("}", ",\"colour\":\"red\"}"), "body.stats.colour"});
        bad.add(new String[] {"[]", "body.stats"});
        for (String[] row : bad) {
            Response response = ping(id, "{\"stats\":" + row[0] + "}");
            assertThat(response.getStatus()).as(row[0]).isEqualTo(422);
            assertThat(response.getMediaType()).hasToString("application/problem+json");
            JsonNode problem = response.readEntity(JsonNode.class);
            List<String> names = new ArrayList<>();
            problem.path("invalid_params").forEach(param -> names.add(param.path("name").asText()));
            assertThat(names).as(row[0]).contains(row[1]);
        }

        assertThat(childSamples(id)).isEqualTo(before);
        assertThat(scrape().value("canopy_child_registrations_total", labels)).hasValue(7.0);
        // Refused whole: not even the lease was renewed.
        assertThat(target("/api/v1/orchestrators/" + id).request().get(OrchestratorDetail.class).getLastPingAt())
                .isEqualTo(renewed.getLastPingAt());
    }

    private String childSamples(String id) {
        return scrape().samples().stream().filter(s -> s.name().startsWith("canopy_child_"))
                .filter(s -> !s.name().equals("canopy_child_last_report_age_seconds"))
                .filter(s -> id.equals(s.labels().get("orchestrator_id"))).toList().toString();
    }

    private String register(String url, String region, String domain) {
        String json = "{\"url\":\"" + url + "\",\"info\":{}" + (region == null ? "" : ",\"region\":\"" + region + "\"")
                + (domain == null ? "" : ",\"domain\":\"" + domain + "\"") + "}";
        Response response = target("/api/v1/orchestrators/$register").request().post(Entity.json(json));
        assertThat(response.getStatus()).isEqualTo(201);
        return response.readEntity(RegistrationResult.class).getId();
    }

    private Response ping(String id, String json) {
        WebTarget ping = target("/api/v1/orchestrators/" + id + "/$ping");
        return json == null ? ping.request().put(Entity.json("")) : ping.request().put(Entity.json(json));
    }

    private PrometheusText scrape() {
        Response response = target("/metrics").request("text/plain").get();
        assertThat(response.getStatus()).isEqualTo(200);
        return PrometheusText.parse(response.readEntity(String.class));
    }

    private WebTarget target(String path) {
        return client.target("http://localhost:" + APP.getLocalPort()).path(path);
    }
}
