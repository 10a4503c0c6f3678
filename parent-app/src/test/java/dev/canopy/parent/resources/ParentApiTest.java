package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static dev.canopy.parent.resources.ParentHttp.serviceJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.OrchestratorDeregistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceDeregistration;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint and error path of the parent, over HTTP, with every response checked against the contract. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentApiTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("logging.level", "WARN"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract)
            .register(TestKeys.bearer(TestKeys.ADMIN));
    private final Client raw = TestClients.raw();
    private ParentHttp http;

    @BeforeEach
    void startEmpty() {
        http = new ParentHttp(client, APP.getLocalPort());
        // Each test starts from an empty parent: deregistering orchestrators cascades to services.
        for (OrchestratorDetail orchestrator : get("/api/v1/orchestrators").readEntity(OrchestratorList.class)
                .getOrchestrators()) {
            assertThat(delete("/api/v1/orchestrators/" + orchestrator.getId()).getStatus()).isEqualTo(200);
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
        raw.close();
    }

    @Test
    void registersAnOrchestratorWithAnAbsoluteLocation() {
        Response response = post("/api/v1/orchestrators/$register",
                "{\"url\":\"http://us-orchestrator:9001\",\"info\":{\"display_name\":\"US\"},\"region\":\"us-east\"}");

        assertThat(response.getStatus()).isEqualTo(201);
        RegistrationResult result = response.readEntity(RegistrationResult.class);
        assertThat(Ids.isUlid(result.getId())).isTrue();
        assertThat(result.getStatus()).isEqualTo(RegistrationStatus.REGISTERED);
        assertThat(result.getUrl()).isEqualTo("http://us-orchestrator:9001");
        assertThat(result.getMessage()).contains("region us-east");
        assertThat(response.getLocation()).hasToString(base() + "/api/v1/orchestrators/" + result.getId());

        OrchestratorDetail detail = client.target(response.getLocation()).request().get(OrchestratorDetail.class);
        assertThat(detail.getRegion()).isEqualTo("us-east");
        assertThat(detail.getDomain()).isNull();
        assertThat(detail.getInfo()).containsEntry("display_name", "US");
        assertThat(detail.getServiceCount()).isZero();
        assertThat(detail.getRegisteredAt()).isEqualTo(detail.getLastUpdated());
    }

    @Test
    void theSameUrlRegisteringAgainIsUpdatedNotDuplicated() {
        String id = registerOrchestrator("http://ml:9003", null, "machine-learning");
        Response again = post("/api/v1/orchestrators/$register",
                "{\"url\":\"http://ml:9003\",\"info\":{},\"domain\":\"ml\"}");

        assertThat(again.getStatus()).isEqualTo(200);
        RegistrationResult result = again.readEntity(RegistrationResult.class);
        assertThat(result.getId()).isEqualTo(id);
        assertThat(result.getStatus()).isEqualTo(RegistrationStatus.UPDATED);
        assertThat(result.getMessage()).contains("domain ml");
        assertThat(again.getLocation()).hasToString(base() + "/api/v1/orchestrators/" + id);
        OrchestratorList list = get("/api/v1/orchestrators").readEntity(OrchestratorList.class);
        assertThat(list.getCount()).isEqualTo(1);
        assertThat(list.getOrchestrators().get(0).getDomain()).isEqualTo("ml");
    }

    @Test
    void listsOrchestratorsWithTheirServiceCounts() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String eu = registerOrchestrator("http://eu:9002", "eu-west", null);
        registerService(Ids.next(), "http://pay:8001", us);
        registerService(Ids.next(), "http://inv:8002", us);

        OrchestratorList list = get("/api/v1/orchestrators").readEntity(OrchestratorList.class);

        assertThat(list.getCount()).isEqualTo(2);
        assertThat(list.getOrchestrators()).extracting(OrchestratorDetail::getId).containsExactly(us, eu);
        assertThat(list.getOrchestrators()).extracting(OrchestratorDetail::getServiceCount).containsExactly(2, 0);
    }

    @Test
    void keepsTheServiceIdAChildForwards() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String id = Ids.next();

        Response first = post("/api/v1/services/$register", serviceJson(id, "http://pay:8001", us));
        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(first.getLocation()).hasToString(base() + "/api/v1/services/" + id);
        RegistrationResult created = first.readEntity(RegistrationResult.class);
        assertThat(created.getId()).isEqualTo(id);
        assertThat(created.getStatus()).isEqualTo(RegistrationStatus.REGISTERED);
        ServiceDetail before = get("/api/v1/services/" + id).readEntity(ServiceDetail.class);

        Response second = post("/api/v1/services/$register",
                "{\"id\":\"" + id + "\",\"url\":\"http://pay:8001\",\"info\":{\"version\":\"2\"},\"orchestrator_id\":\"" + us + "\"}");
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.readEntity(RegistrationResult.class).getStatus()).isEqualTo(RegistrationStatus.UPDATED);

        ServiceDetail after = get("/api/v1/services/" + id).readEntity(ServiceDetail.class);
        assertThat(after.getOrchestratorId()).isEqualTo(us);
        assertThat(after.getInfo()).containsEntry("version", "2");
        assertThat(after.getRegisteredAt()).isEqualTo(before.getRegisteredAt());
        assertThat(after.getLastUpdated()).isAfterOrEqualTo(before.getLastUpdated());
        assertThat(get("/api/v1/services").readEntity(ServiceList.class).getCount()).isEqualTo(1);
    }

    @Test
    void assignsAnIdWhenTheForwardCarriesNone() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        Response response = post("/api/v1/services/$register",
                "{\"url\":\"http://pay:8001\",\"orchestrator_id\":\"" + us + "\"}");

        assertThat(response.getStatus()).isEqualTo(201);
        String id = response.readEntity(RegistrationResult.class).getId();
        assertThat(Ids.isUlid(id)).isTrue();
        assertThat(get("/api/v1/services/" + id).readEntity(ServiceDetail.class).getInfo()).isEmpty();
    }

    @Test
    void refusesAServiceOfAnUnknownOrchestrator() {
        String before = hierarchyJson();
        Response response = post("/api/v1/services/$register", serviceJson(Ids.next(), "http://pay:8001", Ids.next()));

        assertProblem(response, 404, "urn:canopy:problem:unknown-orchestrator");
        assertThat(hierarchyJson()).isEqualTo(before);
    }

    @Test
    void refusesAServiceIdHeldByAnotherOrchestrator() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String eu = registerOrchestrator("http://eu:9002", "eu-west", null);
        String id = Ids.next();
        registerService(id, "http://pay:8001", us);
        String before = hierarchyJson();

        Response response = post("/api/v1/services/$register", serviceJson(id, "http://pay:8001", eu));

        Problem problem = assertProblem(response, 409, "urn:canopy:problem:conflict");
        assertThat(problem.getDetail()).contains(id).contains(us);
        assertThat(hierarchyJson()).isEqualTo(before);
    }

    @Test
    void filtersServicesByOrchestrator() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String eu = registerOrchestrator("http://eu:9002", "eu-west", null);
        String pay = registerService(Ids.next(), "http://pay:8001", us);
        String inv = registerService(Ids.next(), "http://inv:8002", us);
        String gdpr = registerService(Ids.next(), "http://gdpr:8003", eu);

        ServiceList all = get("/api/v1/services").readEntity(ServiceList.class);
        ServiceList ofUs = get("/api/v1/services?orchestrator_id=" + us).readEntity(ServiceList.class);
        ServiceList ofNobody = get("/api/v1/services?orchestrator_id=" + Ids.next()).readEntity(ServiceList.class);

        assertThat(all.getServices()).extracting(ServiceDetail::getId).containsExactly(pay, inv, gdpr);
        assertThat(all.getCount()).isEqualTo(3);
        assertThat(ofUs.getServices()).extracting(ServiceDetail::getId).containsExactly(pay, inv);
        assertThat(ofUs.getServices()).extracting(ServiceDetail::getOrchestratorId).containsOnly(us);
        assertThat(ofUs.getCount()).isEqualTo(2);
        assertThat(ofNobody.getCount()).isZero();
    }

    @Test
    void refusesAFilterThatIsNotAnId() {
        Problem problem = assertProblem(get("/api/v1/services?orchestrator_id=us-east"), 400,
                "urn:canopy:problem:invalid-parameter");
        assertThat(problem.getInvalidParams()).singleElement()
                .satisfies(param -> assertThat(param.getName()).isEqualTo("query.orchestrator_id"));
    }

    @Test
    void deregistersAService() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String id = registerService(Ids.next(), "http://pay:8001", us);

        Response response = delete("/api/v1/services/" + id);

        assertThat(response.getStatus()).isEqualTo(200);
        ServiceDeregistration body = response.readEntity(ServiceDeregistration.class);
        assertThat(body.getService().getId()).isEqualTo(id);
        assertThat(body.getService().getUrl()).isEqualTo("http://pay:8001");
        assertProblem(get("/api/v1/services/" + id), 404, "urn:canopy:problem:not-found");
        assertProblem(delete("/api/v1/services/" + id), 404, "urn:canopy:problem:not-found");
        assertThat(get("/api/v1/orchestrators/" + us).readEntity(OrchestratorDetail.class).getServiceCount()).isZero();
    }

    @Test
    void deregisteringAnOrchestratorCascadesToItsServices() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String eu = registerOrchestrator("http://eu:9002", "eu-west", null);
        String pay = registerService(Ids.next(), "http://pay:8001", us);
        String inv = registerService(Ids.next(), "http://inv:8002", us);
        String gdpr = registerService(Ids.next(), "http://gdpr:8003", eu);

        Response response = delete("/api/v1/orchestrators/" + us);

        assertThat(response.getStatus()).isEqualTo(200);
        OrchestratorDeregistration body = response.readEntity(OrchestratorDeregistration.class);
        assertThat(body.getOrchestrator().getId()).isEqualTo(us);
        assertThat(body.getServicesRemoved()).isEqualTo(2);
        assertProblem(get("/api/v1/services/" + pay), 404, "urn:canopy:problem:not-found");
        assertProblem(get("/api/v1/services/" + inv), 404, "urn:canopy:problem:not-found");
        assertThat(get("/api/v1/services").readEntity(ServiceList.class).getServices())
                .extracting(ServiceDetail::getId).containsExactly(gdpr);
        assertProblem(get("/api/v1/orchestrators/" + us), 404, "urn:canopy:problem:not-found");
        assertProblem(delete("/api/v1/orchestrators/" + us), 404, "urn:canopy:problem:not-found");
    }

    @Test
    void showsTheWholeHierarchy() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        String ml = registerOrchestrator("http://ml:9003", null, "machine-learning");
        String pay = registerService(Ids.next(), "http://pay:8001", us);
        String inv = registerService(Ids.next(), "http://inv:8002", us);
        String train = registerService(Ids.next(), "http://train:8004", ml);

        Hierarchy hierarchy = get("/api/v1/hierarchy").readEntity(Hierarchy.class);

        assertThat(hierarchy.getParentId()).isEqualTo("parent-orchestrator");
        assertThat(hierarchy.getParentInfo().getDisplayName()).isEqualTo("Parent Orchestrator");
        assertThat(hierarchy.getParentInfo().getLevel().toString()).isEqualTo("global");
        assertThat(hierarchy.getTotalServices()).isEqualTo(3);
        assertThat(hierarchy.getOrchestrators()).hasSize(2);
        assertThat(hierarchy.getOrchestrators().get(0).getOrchestrator().getId()).isEqualTo(us);
        assertThat(hierarchy.getOrchestrators().get(0).getOrchestrator().getServiceCount()).isEqualTo(2);
        assertThat(hierarchy.getOrchestrators().get(0).getServices()).extracting(ServiceDetail::getId)
                .containsExactly(pay, inv);
        assertThat(hierarchy.getOrchestrators().get(1).getOrchestrator().getDomain()).isEqualTo("machine-learning");
        assertThat(hierarchy.getOrchestrators().get(1).getServices()).extracting(ServiceDetail::getId)
                .containsExactly(train);
    }

    @Test
    void writesTimestampsAsIsoUtcStringsAndAbsentValuesAsNull() {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        JsonNode orchestrator = get("/api/v1/orchestrators/" + us).readEntity(JsonNode.class);

        assertThat(orchestrator.get("registered_at").isTextual()).isTrue();
        assertThat(orchestrator.get("registered_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(orchestrator.has("domain")).isTrue();
        assertThat(orchestrator.get("domain").isNull()).isTrue();
    }

    @Test
    void reportsHealthy() {
        Response response = get("/health");
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode report = response.readEntity(JsonNode.class);
        assertThat(report.get("status").asText()).isEqualTo("healthy");
        assertThat(report.get("checks").get("deadlocks").get("state").asText()).isEqualTo("healthy");
    }

    static Stream<Arguments> badRegistrations() {
        String orchestratorPath = "/api/v1/orchestrators/$register";
        String servicePath = "/api/v1/services/$register";
        String known = "01M8A595AF1DYM3V123VW351TP";
        return Stream.of(
                Arguments.of(orchestratorPath, "{\"url\":", 400, "urn:canopy:problem:malformed-json", null),
                Arguments.of(orchestratorPath, "not json at all", 400, "urn:canopy:problem:malformed-json", null),
                Arguments.of(orchestratorPath, "", 422, "urn:canopy:problem:invalid-body", "body"),
                Arguments.of(orchestratorPath, "[]", 422, "urn:canopy:problem:invalid-body", "body"),
                Arguments.of(orchestratorPath, "{}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":null}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":\"/relative\"}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":\"ftp://files:21\"}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://user:pw@host:1\"}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://h/" + "x".repeat(3000) + "\"}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":42}", 422, "urn:canopy:problem:invalid-body", "body.url"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://h:1\",\"info\":\"text\"}", 422, "urn:canopy:problem:invalid-body", "body.info"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://h:1\",\"info\":[1]}", 422, "urn:canopy:problem:invalid-body", "body.info"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://h:1\",\"region\":\"us east\\n\"}", 422, "urn:canopy:problem:invalid-body", "body.region"),
                Arguments.of(orchestratorPath, "{\"url\":\"http://h:1\",\"regoin\":\"us-east\"}", 422, "urn:canopy:problem:invalid-body", "body.regoin"),
                Arguments.of(servicePath, "{\"url\":\"http://h:1\"}", 422, "urn:canopy:problem:invalid-body", "body.orchestrator_id"),
                Arguments.of(servicePath, "{\"url\":\"http://h:1\",\"orchestrator_id\":\"us-east\"}", 422, "urn:canopy:problem:invalid-body", "body.orchestrator_id"),
                Arguments.of(servicePath, "{\"id\":\"" + known.toLowerCase() + "\",\"url\":\"http://h:1\",\"orchestrator_id\":\"" + known + "\"}", 422, "urn:canopy:problem:invalid-body", "body.id"),
                Arguments.of(servicePath, "{\"url\":\"http://h:1\",\"orchestratorId\":\"" + known + "\"}", 422, "urn:canopy:problem:invalid-body", null));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badRegistrations")
    void badBodiesGetAProblemAndChangeNothing(String path, String body, int status, String type, String param) {
        String us = registerOrchestrator("http://us:9001", "us-east", null);
        registerService(Ids.next(), "http://pay:8001", us);
        String before = hierarchyJson();

        Problem problem = assertProblem(post(path, body), status, type);

        if (param != null) {
            assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).contains(param);
        }
        assertThat(problem.getInstance()).isEqualTo(path);
        assertThat(hierarchyJson()).isEqualTo(before);
    }

    @Test
    void refusesABodyThatIsNotJson() {
        String before = hierarchyJson();
        Response response = client.target(base()).path("/api/v1/orchestrators/$register").request()
                .post(Entity.entity("url=http://h:1", "text/plain"));
        Problem problem = assertProblem(response, 415, "about:blank");
        assertThat(problem.getDetail()).contains("text/plain");
        assertThat(hierarchyJson()).isEqualTo(before);
    }

    @Test
    void refusesToAnswerInAMediaTypeItDoesNotSpeak() {
        Response response = client.target(base()).path("/api/v1/orchestrators").request("text/html").get();
        assertProblem(response, 406, "about:blank");
    }

    @Test
    void anIdThatCannotExistIsNotFound() {
        for (String path : List.of("/api/v1/orchestrators/not-a-ulid", "/api/v1/services/01m8a595af1dym3v123vw351tp",
                "/api/v1/services/ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "/api/v1/orchestrators/%3Cscript%3E")) {
            Problem problem = assertProblem(get(path), 404, "urn:canopy:problem:not-found");
            assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).containsOnly("path.id");
        }
        assertProblem(delete("/api/v1/orchestrators/nope"), 404, "urn:canopy:problem:not-found");
    }

    /** Outside the contract on purpose: still problems, never an HTML page or a 5xx. */
    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        for (String path : List.of("/api/v1/orchestrators/%2E%2E", "/api/v1/services/..%2F..%2Fetc", "/api/v1/%00")) {
            Response ambiguous = raw.target(base() + path).request().get();
            assertThat(ambiguous.getStatus()).as(path).isBetween(400, 404);
            assertThat(ambiguous.getMediaType()).as(path).hasToString("application/problem+json");
            assertThat(ambiguous.readEntity(Problem.class).getStatus()).isEqualTo(ambiguous.getStatus());
        }

        Response unknown = raw.target(base()).path("/api/v1/nothing-here").request().get();
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getMediaType()).hasToString("application/problem+json");

        Response wrongMethod = raw.target(base()).path("/api/v1/orchestrators").request()
                .put(Entity.json("{}"));
        assertThat(wrongMethod.getStatus()).isEqualTo(405);
        assertThat(wrongMethod.getHeaderString("Allow")).contains("GET");
        assertThat(wrongMethod.readEntity(Problem.class).getTitle()).isEqualTo("Method Not Allowed");
    }

    @Test
    void servesItsOpenApiDocumentAndSwaggerUi() throws Exception {
        Response document = raw.target(base()).path("/openapi/parent.yaml").request().get();
        assertThat(document.getStatus()).isEqualTo(200);
        assertThat(document.getMediaType().toString()).startsWith("application/yaml");
        JsonNode parsed = new YAMLMapper().readTree(document.readEntity(String.class));
        assertThat(parsed.get("openapi").asText()).startsWith("3.0");
        assertThat(parsed.get("paths").has("/api/v1/hierarchy")).isTrue();
        assertThat(parsed.get("servers").get(0).get("url").asText()).isEqualTo("/");

        Response page = raw.target(base()).path("/swagger-ui/").request().get();
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.readEntity(String.class)).contains("swagger-initializer.js");
        String initializer = raw.target(base()).path("/swagger-ui/swagger-initializer.js").request().get(String.class);
        assertThat(initializer).contains("\"/openapi/parent.yaml\"").doesNotContain("petstore");
        assertThat(raw.target(base()).path("/swagger-ui/swagger-ui-bundle.js").request().get().getStatus()).isEqualTo(200);
    }

    @Test
    void theFilterReallyChecksTraffic() {
        int before = contract.checked();
        get("/api/v1/hierarchy");
        assertThat(contract.checked()).isEqualTo(before + 1);
    }

    // --- helpers ---------------------------------------------------------------------------

    private static String base() {
        return "http://localhost:" + APP.getLocalPort();
    }

    private Response get(String path) {
        return http.get(path);
    }

    private Response delete(String path) {
        return http.delete(path);
    }

    private Response post(String path, String json) {
        return http.post(path, json);
    }

    private String hierarchyJson() {
        return http.hierarchyJson();
    }

    private String registerOrchestrator(String url, String region, String domain) {
        return http.registerOrchestrator(url, region, domain).getId();
    }

    private String registerService(String id, String url, String orchestratorId) {
        return http.registerService(id, url, orchestratorId);
    }
}
