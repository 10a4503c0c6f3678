package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ServiceDigestEntry;
import dev.canopy.api.model.ServiceDigestPage;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/orchestrators/{id}/services}: a child reads back the parent's copy of its own
 * services a page at a time, as ids and digests, with the key it registered with, and nobody else's.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentCopyPagesTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD),
            ConfigOverride.config("auth.readKeys", TestKeys.READ),
            ConfigOverride.config("logging.level", "ERROR"));
    static final String INVALID_PARAMETER = "urn:canopy:problem:invalid-parameter";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final List<Client> clients = new ArrayList<>();
    private ParentHttp us;
    private String usId;
    /** The US child's services, in id order, and each one's url. */
    private final List<String> ids = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    /** A US child (the child key) with 25 services, and an EU child (another key) with 3. */
    @BeforeEach
    void twoChildren() {
        ParentHttp admin = http(TestKeys.ADMIN);
        for (OrchestratorDetail existing : admin.get("/api/v1/orchestrators?limit=1000")
                .readEntity(dev.canopy.api.model.OrchestratorList.class).getOrchestrators()) {
            admin.delete("/api/v1/orchestrators/" + existing.getId());
        }
        us = http(TestKeys.CHILD);
        usId = us.registerOrchestrator("http://us:9001", "us-east", null).getId();
        for (int i = 0; i < 25; i++) {
            ids.add(us.registerService(Ids.next(), "http://svc-" + i + ":8000", usId));
            urls.add("http://svc-" + i + ":8000");
        }
        ParentHttp eu = http(TestKeys.OTHER_CHILD);
        String euId = eu.registerOrchestrator("http://eu:9002", "eu-west", null).getId();
        for (int i = 0; i < 3; i++) {
            eu.registerService(Ids.next(), "http://eu-svc-" + i + ":8000", euId);
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        clients.forEach(Client::close);
    }

    @Test
    void followingNextListsTheChildsServicesOnceInIdOrderWithTheirDigests() {
        List<Integer> sizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        ServiceDigestPage page = page(us, "/api/v1/orchestrators/" + usId + "/services?limit=10");
        assertThat(page.getNext()).isEqualTo("/api/v1/orchestrators/" + usId + "/services?limit=10&after=" + ids.get(9));
        while (true) {
            sizes.add(page.getCount());
            assertThat(page.getOrchestratorId()).isEqualTo(usId);
            assertThat(page.getServiceCount()).isEqualTo(25);
            for (ServiceDigestEntry entry : page.getServices()) {
                int at = ids.indexOf(entry.getId());
                assertThat(entry.getDigest()).as("the digest of the service as registered")
                        .isEqualTo(ServicesDigest.format(ServicesDigest.of(entry.getId(), urls.get(at),
                                Map.of("display_name", "svc"))));
                seen.add(entry.getId());
            }
            if (page.getNext() == null) {
                break;
            }
            page = page(us, page.getNext());
        }
        assertThat(sizes).containsExactly(10, 10, 5);
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void eachPageCarriesTheDigestOfTheWholeCopyAsTheHeartbeatAnswerGivesIt() {
        ServiceDigestPage page = page(us, "/api/v1/orchestrators/" + usId + "/services");
        OrchestratorDetail detail = us.get("/api/v1/orchestrators/" + usId).readEntity(OrchestratorDetail.class);

        assertThat(page.getCount()).as("100 a page unless limit says otherwise").isEqualTo(25);
        assertThat(page.getNext()).isNull();
        assertThat(page.getServicesDigest()).isEqualTo(detail.getSync().getServicesDigest());
        long xor = 0;
        for (ServiceDigestEntry entry : page.getServices()) {
            xor ^= java.util.HexFormat.fromHexDigitsToLong(entry.getDigest());
        }
        assertThat(ServicesDigest.format(xor)).isEqualTo(page.getServicesDigest());
    }

    @Test
    void aChildThatHoldsNothingHereGetsOneEmptyPage() {
        String emptyId = us.registerOrchestrator("http://empty:9003", null, "ml").getId();

        ServiceDigestPage page = page(us, "/api/v1/orchestrators/" + emptyId + "/services?limit=1");

        assertThat(page.getServices()).isEmpty();
        assertThat(page.getCount()).isZero();
        assertThat(page.getNext()).isNull();
        assertThat(page.getServiceCount()).isZero();
        assertThat(page.getServicesDigest()).isEqualTo("0000000000000000");
    }

    @Test
    void anotherChildsKeyAndAReadKeyAreRefusedAndAnAdminKeyReads() {
        String path = "/api/v1/orchestrators/" + usId + "/services";
        Problem other = assertProblem(http(TestKeys.OTHER_CHILD).get(path), 403, "urn:canopy:problem:forbidden");
        assertThat(other.getDetail()).contains(usId).doesNotContain(TestKeys.OTHER_CHILD);
        assertProblem(http(TestKeys.READ).get(path), 403, "urn:canopy:problem:forbidden");
        assertProblem(http(null).get(path), 401, "urn:canopy:problem:unauthorized");
        assertProblem(http("not-a-key-of-this-parent").get(path), 401, "urn:canopy:problem:unauthorized");

        assertThat(page(http(TestKeys.ADMIN), path).getServiceCount()).isEqualTo(25);
    }

    @Test
    void anOrchestratorNoOneRegisteredIsNotFound() {
        assertProblem(us.get("/api/v1/orchestrators/" + Ids.next() + "/services"), 404,
                "urn:canopy:problem:not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=abc", "limit=1.5", "limit=%2B5"})
    void aPageSizeOutOfRangeIsAProblemNamingIt(String query) {
        Problem problem = assertProblem(us.get("/api/v1/orchestrators/" + usId + "/services?" + query), 400,
                INVALID_PARAMETER);
        assertThat(problem.getInvalidParams()).extracting("name").containsExactly("query.limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "01jd5z8q3m7w8y6kx2t4r9b1ce", "81JD5Z8Q3M7W8Y6KX2T4R9B1CE"})
    void aCursorThatIsNotAUlidIsAProblemNamingIt(String after) {
        Problem problem = assertProblem(us.get("/api/v1/orchestrators/" + usId + "/services?after=" + after), 400,
                INVALID_PARAMETER);
        assertThat(problem.getInvalidParams()).extracting("name").containsExactly("query.after");
    }

    @Test
    void aCursorPastARemovedServiceResumesAfterIt() {
        assertThat(us.delete("/api/v1/services/" + ids.get(4)).getStatus()).isEqualTo(200);

        ServiceDigestPage page = page(us, "/api/v1/orchestrators/" + usId + "/services?limit=3&after=" + ids.get(4));

        assertThat(page.getServices()).extracting(ServiceDigestEntry::getId).containsExactlyElementsOf(ids.subList(5, 8));
        assertThat(page.getServiceCount()).isEqualTo(24);
    }

    @Test
    void readingTheCopyChangesNothing() {
        ParentHttp admin = http(TestKeys.ADMIN);
        String before = admin.hierarchyJson();
        page(us, "/api/v1/orchestrators/" + usId + "/services?limit=7");
        assertThat(admin.hierarchyJson()).isEqualTo(before);
        assertThat(us.put("/api/v1/orchestrators/" + usId + "/services", "{\"services\":[]}").getStatus())
                .as("the complete set still replaces the copy, for clients that send it").isEqualTo(200);
        assertThat(page(us, "/api/v1/orchestrators/" + usId + "/services").getServiceCount()).isZero();
    }

    private ServiceDigestPage page(ParentHttp http, String pathAndQuery) {
        Response response = http.get(pathAndQuery);
        assertThat(response.getStatus()).isEqualTo(200);
        return response.readEntity(ServiceDigestPage.class);
    }

    private ParentHttp http(String key) {
        Client client = TestClients.contractChecked(contract);
        if (key != null) {
            client.register(TestKeys.bearer(key));
        }
        clients.add(client);
        return new ParentHttp(client, APP.getLocalPort());
    }
}
