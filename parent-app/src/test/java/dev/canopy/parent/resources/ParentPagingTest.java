package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.Problem;
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
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parent's lists, one page at a time over HTTP, each answer checked against the contract. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentPagingTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("logging.level", "WARN"));
    static final String INVALID_PARAMETER = "urn:canopy:problem:invalid-parameter";
    static final String BEYOND_ANY_ID = "7ZZZZZZZZZZZZZZZZZZZZZZZZZ";

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));
    private ParentHttp http;
    private String us;
    /** Every service registered, in registration (so id) order, and those of {@link #us}. */
    private final List<String> all = new ArrayList<>();
    private final List<String> ofUs = new ArrayList<>();

    /** Two children; 25 services, every third one held by the US child. */
    @BeforeEach
    void twoChildrenWithTwentyFiveServices() {
        http = new ParentHttp(client, APP.getLocalPort());
        String after = null;
        do {
            OrchestratorList page = http.get("/api/v1/orchestrators?limit=1000" + (after == null ? "" : "&after=" + after))
                    .readEntity(OrchestratorList.class);
            for (OrchestratorDetail orchestrator : page.getOrchestrators()) {
                assertThat(http.delete("/api/v1/orchestrators/" + orchestrator.getId()).getStatus()).isEqualTo(200);
            }
            after = page.getNext() == null ? null : page.getOrchestrators().get(page.getCount() - 1).getId();
        } while (after != null);
        us = http.registerOrchestrator("http://us:9001", "us-east", null).getId();
        String eu = http.registerOrchestrator("http://eu:9002", "eu-west", null).getId();
        for (int i = 0; i < 25; i++) {
            String holder = i % 3 == 0 ? us : eu;
            String id = http.registerService(Ids.next(), "http://svc-" + i + ":8000", holder);
            all.add(id);
            if (holder.equals(us)) {
                ofUs.add(id);
            }
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void followingNextFromTheFirstPageListsEveryServiceOnceInIdOrder() {
        ServiceList first = services("/api/v1/services?limit=10");
        assertThat(first.getCount()).isEqualTo(10);
        assertThat(first.getNext()).isEqualTo("/api/v1/services?limit=10&after=" + all.get(9));

        List<Integer> sizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        ServiceList page = first;
        while (true) {
            sizes.add(page.getCount());
            assertThat(page.getServices()).hasSize(page.getCount());
            page.getServices().forEach(service -> seen.add(service.getId()));
            if (page.getNext() == null) {
                break;
            }
            page = services(page.getNext());
        }

        assertThat(sizes).containsExactly(10, 10, 5);
        assertThat(seen).containsExactlyElementsOf(all);
    }

    @Test
    void aLastPageThatIsExactlyFullNamesNoNext() {
        ServiceList page = services("/api/v1/services?limit=5&after=" + all.get(19));
        assertThat(page.getServices()).extracting(ServiceDetail::getId).containsExactlyElementsOf(all.subList(20, 25));
        assertThat(page.getNext()).isNull();
    }

    @Test
    void withoutALimitAPageHoldsAHundred() {
        for (int i = 25; i < 101; i++) {
            all.add(http.registerService(Ids.next(), "http://more-" + i + ":8000", us));
        }
        ServiceList first = services("/api/v1/services");
        assertThat(first.getCount()).isEqualTo(100);
        assertThat(first.getNext()).isEqualTo("/api/v1/services?limit=100&after=" + all.get(99));
        ServiceList last = services(first.getNext());
        assertThat(last.getServices()).extracting(ServiceDetail::getId).containsExactly(all.get(100));
        assertThat(last.getNext()).isNull();
    }

    @Test
    void aFilterAndPagesCombineAndNextKeepsTheFilter() {
        ServiceList first = services("/api/v1/services?orchestrator_id=" + us + "&limit=4");
        assertThat(first.getServices()).extracting(ServiceDetail::getId).containsExactlyElementsOf(ofUs.subList(0, 4));
        assertThat(first.getNext()).isEqualTo("/api/v1/services?orchestrator_id=" + us + "&limit=4&after=" + ofUs.get(3));
        ServiceList second = services(first.getNext());
        assertThat(second.getServices()).extracting(ServiceDetail::getId).containsExactlyElementsOf(ofUs.subList(4, 8));
        ServiceList third = services(second.getNext());
        assertThat(third.getServices()).extracting(ServiceDetail::getId).containsExactlyElementsOf(ofUs.subList(8, 9));
        assertThat(third.getNext()).isNull();
        assertThat(first.getServices()).allSatisfy(service -> assertThat(service.getOrchestratorId()).isEqualTo(us));
    }

    @Test
    void afterNeedNotBeAnIdStillRegisteredAndBeyondTheEndThePageIsEmpty() {
        assertThat(http.delete("/api/v1/services/" + all.get(4)).getStatus()).isEqualTo(200);
        ServiceList resumed = services("/api/v1/services?limit=2&after=" + all.get(4));
        assertThat(resumed.getServices()).extracting(ServiceDetail::getId).containsExactly(all.get(5), all.get(6));

        ServiceList beyond = services("/api/v1/services?after=" + BEYOND_ANY_ID);
        assertThat(beyond.getCount()).isZero();
        assertThat(beyond.getServices()).isEmpty();
        assertThat(beyond.getNext()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "2147483648", "abc", "1.5", "1e2", "", "%2B5", "%EF%BC%91"})
    void aLimitOutsideOneToAThousandIsA400NamingIt(String limit) {
        for (String list : List.of("/api/v1/services", "/api/v1/orchestrators")) {
            Problem problem = assertProblem(http.get(list + "?limit=" + limit), 400, INVALID_PARAMETER);
            assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).containsExactly("query.limit");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "01jd5z8q3m7w8y6kx2t4r9b1ce", "01JD5Z8Q3M7W8Y6KX2T4R9B1C", "%27%20OR%201%3D1"})
    void anAfterThatIsNotAUlidIsA400NamingIt(String after) {
        for (String list : List.of("/api/v1/services", "/api/v1/orchestrators")) {
            Problem problem = assertProblem(http.get(list + "?after=" + after), 400, INVALID_PARAMETER);
            assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).containsExactly("query.after");
        }
    }

    @Test
    void orchestratorsComeInPagesToo() {
        List<String> orchestrators = new ArrayList<>(List.of(us,
                http.get("/api/v1/orchestrators").readEntity(OrchestratorList.class).getOrchestrators().get(1).getId()));
        for (int i = 0; i < 3; i++) {
            orchestrators.add(http.registerOrchestrator("http://child-" + i + ":9100", null, null).getId());
        }
        OrchestratorList first = http.get("/api/v1/orchestrators?limit=2").readEntity(OrchestratorList.class);
        assertThat(first.getOrchestrators()).extracting(OrchestratorDetail::getId)
                .containsExactlyElementsOf(orchestrators.subList(0, 2));
        assertThat(first.getNext()).isEqualTo("/api/v1/orchestrators?limit=2&after=" + orchestrators.get(1));
        OrchestratorList second = http.get(first.getNext()).readEntity(OrchestratorList.class);
        assertThat(second.getOrchestrators()).extracting(OrchestratorDetail::getId)
                .containsExactlyElementsOf(orchestrators.subList(2, 4));
        OrchestratorList third = http.get(second.getNext()).readEntity(OrchestratorList.class);
        assertThat(third.getOrchestrators()).extracting(OrchestratorDetail::getId).containsExactly(orchestrators.get(4));
        assertThat(third.getNext()).isNull();
        OrchestratorList beyond = http.get("/api/v1/orchestrators?after=" + BEYOND_ANY_ID)
                .readEntity(OrchestratorList.class);
        assertThat(beyond.getOrchestrators()).isEmpty();
        assertThat(beyond.getNext()).isNull();
    }

    @Test
    void theHierarchyComesSomeOrchestratorsAtATimeEachWithAllItsServices() {
        List<String> orchestrators = twoMoreChildrenOneWithAService();
        for (int limit : List.of(1, 2)) {
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            Hierarchy page = hierarchy("/api/v1/hierarchy?limit=" + limit);
            while (true) {
                sizes.add(page.getOrchestrators().size());
                assertThat(page.getTotalServices()).as("every service, on the page or not").isEqualTo(26);
                for (HierarchyBranch branch : page.getOrchestrators()) {
                    String id = branch.getOrchestrator().getId();
                    seen.add(id);
                    assertThat(branch.getServices()).extracting(ServiceDetail::getId)
                            .containsExactlyElementsOf(everyServiceOf(id));
                    assertThat(branch.getOrchestrator().getServiceCount()).isEqualTo(branch.getServices().size());
                }
                if (page.getNext() == null) {
                    break;
                }
                assertThat(page.getNext()).isEqualTo("/api/v1/hierarchy?limit=" + limit + "&after="
                        + seen.get(seen.size() - 1));
                page = hierarchy(page.getNext());
            }
            assertThat(seen).as("limit " + limit).containsExactlyElementsOf(orchestrators);
            assertThat(sizes).as("limit " + limit).containsExactlyElementsOf(limit == 1 ? List.of(1, 1, 1, 1)
                    : List.of(2, 2));
        }
    }

    @Test
    void aHierarchyPageThatEndsExactlyFullNamesNoNextAndBeyondTheEndItIsEmpty() {
        List<String> orchestrators = twoMoreChildrenOneWithAService();
        Hierarchy last = hierarchy("/api/v1/hierarchy?limit=2&after=" + orchestrators.get(1));
        assertThat(last.getOrchestrators()).extracting(branch -> branch.getOrchestrator().getId())
                .containsExactlyElementsOf(orchestrators.subList(2, 4));
        assertThat(last.getNext()).isNull();

        Hierarchy beyond = hierarchy("/api/v1/hierarchy?after=" + BEYOND_ANY_ID);
        assertThat(beyond.getOrchestrators()).isEmpty();
        assertThat(beyond.getNext()).isNull();
        assertThat(beyond.getTotalServices()).isEqualTo(26);
    }

    @Test
    void withoutALimitTheHierarchyHoldsAHundredOrchestratorsSoASmallEstateComesWhole() {
        Hierarchy whole = hierarchy("/api/v1/hierarchy");
        assertThat(whole.getOrchestrators()).hasSize(2);
        assertThat(whole.getNext()).isNull();

        List<String> orchestrators = new ArrayList<>(List.of(us, whole.getOrchestrators().get(1).getOrchestrator().getId()));
        for (int i = 0; i < 99; i++) {
            orchestrators.add(http.registerOrchestrator("http://child-" + i + ":9100", null, null).getId());
        }
        Hierarchy first = hierarchy("/api/v1/hierarchy");
        assertThat(first.getOrchestrators()).extracting(branch -> branch.getOrchestrator().getId())
                .containsExactlyElementsOf(orchestrators.subList(0, 100));
        assertThat(first.getNext()).isEqualTo("/api/v1/hierarchy?limit=100&after=" + orchestrators.get(99));
        Hierarchy second = hierarchy(first.getNext());
        assertThat(second.getOrchestrators()).extracting(branch -> branch.getOrchestrator().getId())
                .containsExactly(orchestrators.get(100));
        assertThat(second.getNext()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "1000", "2147483648", "abc", "1.5", "", "%2B5", "%EF%BC%91"})
    void aHierarchyPageOutsideOneToAHundredIsA400NamingTheLimit(String limit) {
        Problem problem = assertProblem(http.get("/api/v1/hierarchy?limit=" + limit), 400, INVALID_PARAMETER);
        assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).containsExactly("query.limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "01jd5z8q3m7w8y6kx2t4r9b1ce", "01JD5Z8Q3M7W8Y6KX2T4R9B1C", "%27%20OR%201%3D1"})
    void aHierarchyCursorThatIsNotAUlidIsA400NamingIt(String after) {
        Problem problem = assertProblem(http.get("/api/v1/hierarchy?after=" + after), 400, INVALID_PARAMETER);
        assertThat(problem.getInvalidParams()).extracting(p -> p.getName()).containsExactly("query.after");
    }

    /** The fixture's two children and two more, the last holding one service: all four in id order. */
    private List<String> twoMoreChildrenOneWithAService() {
        List<String> orchestrators = new ArrayList<>(List.of(us,
                http.get("/api/v1/orchestrators").readEntity(OrchestratorList.class).getOrchestrators().get(1).getId()));
        orchestrators.add(http.registerOrchestrator("http://child-a:9100", null, null).getId());
        orchestrators.add(http.registerOrchestrator("http://child-b:9101", null, "ml").getId());
        all.add(http.registerService(Ids.next(), "http://svc-b:8000", orchestrators.get(3)));
        return orchestrators;
    }

    private List<String> everyServiceOf(String orchestratorId) {
        List<String> ids = new ArrayList<>();
        String page = "/api/v1/services?orchestrator_id=" + orchestratorId + "&limit=1000";
        while (page != null) {
            ServiceList list = services(page);
            list.getServices().forEach(service -> ids.add(service.getId()));
            page = list.getNext();
        }
        return ids;
    }

    private Hierarchy hierarchy(String pathAndQuery) {
        Response response = http.get(pathAndQuery);
        assertThat(response.getStatus()).isEqualTo(200);
        return response.readEntity(Hierarchy.class);
    }

    private ServiceList services(String pathAndQuery) {
        Response response = http.get(pathAndQuery);
        assertThat(response.getStatus()).isEqualTo(200);
        return response.readEntity(ServiceList.class);
    }
}
