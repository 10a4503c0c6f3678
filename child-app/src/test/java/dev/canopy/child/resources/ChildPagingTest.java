package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.LoneChild;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The child's list of services, one page at a time over HTTP, each answer checked against the contract. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildPagingTest {
    static final DropwizardAppExtension<ChildConfiguration> CHILD = new LoneChild()
            .config("logging.level", "ERROR").app();
    static final String INVALID_PARAMETER = "urn:canopy:problem:invalid-parameter";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("child");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));
    /** The services registered, in registration (so id) order. */
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void elevenServices() {
        for (LocalService stale : get("/services?limit=1000").readEntity(LocalServiceList.class).getServices()) {
            assertThat(client.target(base() + "/services/" + stale.getId()).request().delete().getStatus())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 11; i++) {
            Response response = client.target(base()).path("/services/$register").request()
                    .post(Entity.json("{\"url\":\"http://svc-" + i + ":8000\"}"));
            assertThat(response.getStatus()).isEqualTo(201);
            ids.add(response.readEntity(RegistrationResult.class).getId());
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void followingNextListsEveryServiceOnceInIdOrderAndTheLastPageHasNone() {
        LocalServiceList page = get("/services?limit=4").readEntity(LocalServiceList.class);
        assertThat(page.getNext()).isEqualTo("/services?limit=4&after=" + ids.get(3));
        List<Integer> sizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        while (true) {
            sizes.add(page.getCount());
            page.getServices().forEach(service -> seen.add(service.getId()));
            if (page.getNext() == null) {
                break;
            }
            page = get(page.getNext()).readEntity(LocalServiceList.class);
        }
        assertThat(sizes).containsExactly(4, 4, 3);
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void withoutALimitOnePageHoldsAllElevenAndNamesNoNext() {
        LocalServiceList page = get("/services").readEntity(LocalServiceList.class);
        assertThat(page.getServices()).extracting(LocalService::getId).containsExactlyElementsOf(ids);
        assertThat(page.getNext()).isNull();
    }

    @Test
    void afterTheLastIdThePageIsEmpty() {
        LocalServiceList page = get("/services?after=" + ids.get(10)).readEntity(LocalServiceList.class);
        assertThat(page.getCount()).isZero();
        assertThat(page.getNext()).isNull();
        LocalServiceList exact = get("/services?limit=3&after=" + ids.get(7)).readEntity(LocalServiceList.class);
        assertThat(exact.getServices()).extracting(LocalService::getId).containsExactlyElementsOf(ids.subList(8, 11));
        assertThat(exact.getNext()).as("an exactly full last page").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=abc", "after=nope", "after=01jd5z8q3m7w8y6kx2t4r9b1ce"})
    void aBadPageSizeOrCursorIsA400NamingIt(String query) {
        Response response = get("/services?" + query);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        Problem problem = response.readEntity(Problem.class);
        assertThat(problem.getType()).isEqualTo(INVALID_PARAMETER);
        assertThat(problem.getInvalidParams()).extracting(p -> p.getName())
                .containsExactly("query." + query.substring(0, query.indexOf('=')));
    }

    private Response get(String pathAndQuery) {
        return client.target(base() + pathAndQuery).request().get();
    }

    private static String base() {
        return "http://localhost:" + CHILD.getLocalPort();
    }
}
