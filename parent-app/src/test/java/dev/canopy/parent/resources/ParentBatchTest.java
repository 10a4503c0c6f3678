package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ServiceChangeBatchResult;
import dev.canopy.api.model.ServiceChangeOutcome;
import dev.canopy.api.model.ServiceChangeResult;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/orchestrators/{id}/services/$batch} over HTTP, with every answer checked against
 * the contract: changes apply in order, all or nothing, only by the orchestrator's own key, within
 * the batch limit (3 here) and the service limit (4 here).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentBatchTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD),
            ConfigOverride.config("limits.maxBatchChanges", "3"),
            ConfigOverride.config("limits.maxServicesPerOrchestrator", "4"),
            ConfigOverride.config("logging.level", "WARN"));

    static final String A = "01JD5Z9A00000000000000000A";
    static final String B = "01JD5Z9A00000000000000000B";
    static final String C = "01JD5Z9A00000000000000000C";
    static final String D = "01JD5Z9A00000000000000000D";
    static final String E = "01JD5Z9A00000000000000000E";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client admin = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));
    private final Client child = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.CHILD));
    private final Client other = TestClients.contractChecked(contract)
            .register(TestKeys.bearer(TestKeys.OTHER_CHILD));
    private ParentHttp asAdmin;
    private ParentHttp asChild;
    private String us;

    @BeforeEach
    void oneChildOfItsOwn() {
        asAdmin = new ParentHttp(admin, APP.getLocalPort());
        asChild = new ParentHttp(child, APP.getLocalPort());
        for (OrchestratorDetail orchestrator : asAdmin.get("/api/v1/orchestrators").readEntity(OrchestratorList.class)
                .getOrchestrators()) {
            assertThat(asAdmin.delete("/api/v1/orchestrators/" + orchestrator.getId()).getStatus()).isEqualTo(200);
        }
        us = asChild.registerOrchestrator("http://us:9001", "us-east", null).getId();
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        admin.close();
        child.close();
        other.close();
    }

    private String batchPath(String orchestratorId) {
        return "/api/v1/orchestrators/" + orchestratorId + "/services/$batch";
    }

    private static String upsert(String id, String url) {
        return "{\"op\":\"upsert\",\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"info\":{\"display_name\":\"svc\"}}";
    }

    private static String remove(String id) {
        return "{\"op\":\"remove\",\"id\":\"" + id + "\"}";
    }

    private static String batch(String... changes) {
        return "{\"changes\":[" + String.join(",", changes) + "]}";
    }

    @Test
    void appliesTheChangesInOrderAndSaysWhatEachDid() {
        asChild.registerService(C, "http://c:1", us);
        Response response = asChild.post(batchPath(us), batch(upsert(A, "http://a:1"), remove(C), remove(A)));
        assertThat(response.getStatus()).isEqualTo(200);
        ServiceChangeBatchResult result = response.readEntity(ServiceChangeBatchResult.class);
        assertThat(result.getResults()).extracting(ServiceChangeResult::getId, ServiceChangeResult::getOutcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, ServiceChangeOutcome.CREATED),
                        org.assertj.core.groups.Tuple.tuple(C, ServiceChangeOutcome.REMOVED),
                        org.assertj.core.groups.Tuple.tuple(A, ServiceChangeOutcome.REMOVED));
        assertThat(result.getServiceCount()).isZero();

        ServiceChangeBatchResult again = asChild.post(batchPath(us),
                batch(upsert(B, "http://b:1"), upsert(B, "http://b:2"), remove(A))).readEntity(
                ServiceChangeBatchResult.class);
        assertThat(again.getResults()).extracting(ServiceChangeResult::getOutcome).containsExactly(
                ServiceChangeOutcome.CREATED, ServiceChangeOutcome.UPDATED, ServiceChangeOutcome.ABSENT);
        ServiceDetail b = asChild.get("/api/v1/services/" + B).readEntity(ServiceDetail.class);
        assertThat(b.getUrl()).as("the later change wins").isEqualTo("http://b:2");
        assertThat(b.getOrchestratorId()).isEqualTo(us);
        assertThat(again.getServicesDigest()).isEqualTo(asChild.get("/api/v1/orchestrators/" + us)
                .readEntity(OrchestratorDetail.class).getSync().getServicesDigest());
    }

    @Test
    void oneInvalidChangeRefusesTheWholeBatchAndNamesIt() {
        String before = asAdmin.hierarchyJson();
        Problem problem = assertProblem(asChild.post(batchPath(us), batch(upsert(A, "http://a:1"),
                upsert(B, "http://b:0"), "{\"op\":\"upsert\",\"id\":\"" + C + "\"}")), 422,
                "urn:canopy:problem:invalid-body");
        assertThat(problem.getInvalidParams()).extracting(InvalidParam::getName)
                .containsExactly("body.changes[1].url", "body.changes[2].url");
        assertProblem(asChild.post(batchPath(us), batch(upsert(A, "http://a:1"),
                "{\"op\":\"remove\",\"id\":\"" + B + "\",\"url\":\"http://b:1\"}")), 422,
                "urn:canopy:problem:invalid-body");
        assertProblem(asChild.post(batchPath(us), batch("{\"op\":\"rename\",\"id\":\"" + A + "\"}")), 422,
                "urn:canopy:problem:invalid-body");
        assertThat(asAdmin.hierarchyJson()).isEqualTo(before);
        assertThat(asAdmin.get("/api/v1/services/" + A).getStatus()).isEqualTo(404);
    }

    @Test
    void aServiceOfAnotherOrchestratorRefusesTheWholeBatch() {
        String eu = new ParentHttp(other, APP.getLocalPort()).registerOrchestrator("http://eu:9002", "eu-west", null)
                .getId();
        new ParentHttp(other, APP.getLocalPort()).registerService(C, "http://c:1", eu);
        String before = asAdmin.hierarchyJson();

        Problem problem = assertProblem(asChild.post(batchPath(us), batch(upsert(A, "http://a:1"), remove(C))), 409,
                "urn:canopy:problem:conflict");

        assertThat(problem.getInvalidParams()).extracting(InvalidParam::getName).containsExactly("body.changes[1].id");
        assertThat(asAdmin.hierarchyJson()).isEqualTo(before);
        assertThat(asAdmin.get("/api/v1/services/" + C).readEntity(ServiceDetail.class).getOrchestratorId())
                .isEqualTo(eu);
    }

    @Test
    void onlyTheOrchestratorsOwnKeyMayChangeItsServices() {
        String before = asAdmin.hierarchyJson();
        assertProblem(new ParentHttp(other, APP.getLocalPort()).post(batchPath(us), batch(upsert(A, "http://a:1"))),
                403, "urn:canopy:problem:forbidden");
        assertProblem(asChild.post(batchPath("01JD5Z9A00000000000000000Z"), batch(upsert(A, "http://a:1"))), 404,
                "urn:canopy:problem:not-found");
        assertThat(asAdmin.hierarchyJson()).isEqualTo(before);
    }

    @Test
    void refusesMoreChangesThanABatchMayListAndMoreServicesThanAChildMayHold() {
        String before = asAdmin.hierarchyJson();
        Problem tooLong = assertProblem(asChild.post(batchPath(us), batch(upsert(A, "http://a:1"),
                upsert(B, "http://b:1"), upsert(C, "http://c:1"), upsert(D, "http://d:1"))), 422,
                "urn:canopy:problem:invalid-body");
        assertThat(tooLong.getInvalidParams()).extracting(InvalidParam::getName).containsExactly("body.changes");
        assertThat(asAdmin.hierarchyJson()).isEqualTo(before);

        asChild.post(batchPath(us), batch(upsert(A, "http://a:1"), upsert(B, "http://b:1"), upsert(C, "http://c:1")));
        String three = asAdmin.hierarchyJson();
        Problem full = assertProblem(asChild.post(batchPath(us), batch(upsert(D, "http://d:1"),
                upsert(E, "http://e:1"))), 409, "urn:canopy:problem:service-limit-reached");
        assertThat(full.getInvalidParams()).extracting(InvalidParam::getName).containsExactly("body.changes[1]");
        assertThat(asAdmin.hierarchyJson()).isEqualTo(three);

        Response roomMade = asChild.post(batchPath(us), batch(remove(A), upsert(D, "http://d:1"),
                upsert(E, "http://e:1")));
        assertThat(roomMade.getStatus()).isEqualTo(200);
        assertThat(asAdmin.get("/api/v1/services?orchestrator_id=" + us).readEntity(ServiceList.class).getCount())
                .isEqualTo(4);
    }
}
