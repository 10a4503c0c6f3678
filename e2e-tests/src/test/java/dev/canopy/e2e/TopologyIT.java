package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.propagates;
import static java.util.stream.Collectors.toMap;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.OrchestratorDeregistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One tree of real processes, taken through its life in order: built (one child before its parent),
 * queried, changed at the leaves, its parent crashed and restarted, then pruned from the bottom up.
 * Each step starts from the state the previous one left.
 *
 * <pre>
 * parent
 * ├── us-east child (region)           ── checkout, payments
 * ├── eu-west child (region)           ── catalog
 * └── machine-learning child (domain)  ── recommender
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIT {
    @RegisterExtension
    static final Topology topology = new Topology("TopologyIT");

    private static ChildOrchestrator usEast;
    private static ChildOrchestrator euWest;
    private static ChildOrchestrator machineLearning;
    private static ExampleService checkout;
    private static ExampleService payments;
    private static ExampleService catalog;
    private static ExampleService recommender;

    /** A service as the tree places it: its url, and the id of the child orchestrator holding it. */
    record Placement(String url, String orchestratorId) {
    }

    /** One branch of the parent's hierarchy, keyed by the child's url. */
    record Branch(String region, String domain, Set<String> serviceUrls) {
    }

    @BeforeAll
    static void startOneChildAndItsServicesBeforeTheParent() {
        usEast = topology.startChild("us-east-child", Scope.region("us-east"));
        // Each service names its child in another of the forms ORCHESTRATOR_URL accepts.
        checkout = topology.startExampleService("checkout", usEast.url());
        payments = topology.startExampleService("payments", usEast.url() + "/services/$register");
        topology.awaitHealthy();
    }

    @Test
    @Order(1)
    void withoutItsParentAChildServesItsServicesAndReportsItselfUnregistered() throws Exception {
        HealthReport health = converges().until(usEast.health()::getHealth, TopologyIT::failedToReachTheParent);

        assertThat(health.getStatus()).isEqualTo(HealthState.DEGRADED);
        converges().untilAsserted(() ->
                assertThat(urlsAt(usEast)).containsExactlyInAnyOrder(checkout.url(), payments.url()));
        assertThat(usEast.info().getOrchestratorId()).isNull();
    }

    @Test
    @Order(2)
    void aChildStartedBeforeItsParentRegistersOnceTheParentIsUp() throws Exception {
        // Nothing listens on the parent's port yet; the child has tried it, and keeps trying.
        converges().until(usEast.health()::getHealth, TopologyIT::failedToReachTheParent);

        topology.startParent();
        euWest = topology.startChild("eu-west-child", Scope.region("eu-west"));
        machineLearning = topology.startChild("machine-learning-child", Scope.domain("machine-learning"));
        catalog = topology.startExampleService("catalog", euWest.url() + "/services/");
        recommender = topology.startExampleService("recommender", machineLearning.url() + "/services");
        topology.awaitHealthy();

        converges().untilAsserted(() -> {
            assertThat(usEast.health().getHealth().getStatus()).isEqualTo(HealthState.HEALTHY);
            String id = usEast.info().getOrchestratorId();
            assertThat(id).as("the id the parent gave the us-east child").isNotNull();
            assertThat(parent().orchestrators().getOrchestrator(id).getUrl()).isEqualTo(usEast.url());
        });
    }

    @Test
    @Order(3)
    void theHierarchyConvergesToExactlyTheChildrenAndTheirServices() {
        converges().untilAsserted(() -> {
            Hierarchy hierarchy = parent().hierarchy().getHierarchy(null, null);
            assertThat(branchesByChildUrl(hierarchy)).isEqualTo(Map.of(
                    usEast.url(), new Branch("us-east", null, Set.of(checkout.url(), payments.url())),
                    euWest.url(), new Branch("eu-west", null, Set.of(catalog.url())),
                    machineLearning.url(), new Branch(null, "machine-learning", Set.of(recommender.url()))));
            assertThat(hierarchy.getTotalServices()).isEqualTo(4);
            assertThat(hierarchy.getOrchestrators()).allSatisfy(branch ->
                    assertThat(branch.getOrchestrator().getServiceCount()).isEqualTo(branch.getServices().size()));
        });
    }

    @Test
    @Order(4)
    void everyServiceHasOneIdAtItsChildAtTheParentAndInItsOwnIdentity() {
        List<ChildOrchestrator> children = List.of(usEast, euWest, machineLearning);
        converges().untilAsserted(() -> {
            Map<String, Placement> atChildren = placementsAt(children);
            assertThat(atChildren.values()).extracting(Placement::url).containsExactlyInAnyOrder(
                    checkout.url(), payments.url(), catalog.url(), recommender.url());
            assertThat(placementsAtParent()).isEqualTo(atChildren);

            for (ChildOrchestrator child : children) {
                String orchestratorId = child.info().getOrchestratorId();
                assertThat(idsAtParentHeldBy(orchestratorId)).as("services the parent lists for %s", child)
                        .isEqualTo(idsAt(child));
            }
            for (ExampleService service : List.of(checkout, payments, catalog, recommender)) {
                ChildOrchestrator child = childOf(service);
                assertThat(service.identity().getServiceId()).as("the id %s knows itself by", service)
                        .isEqualTo(idAt(child, service.url()));
            }
        });
    }

    @Test
    @Order(5)
    void aServiceDeregisteredAtItsChildIsGoneFromTheParent() throws Exception {
        String url = "http://ad-hoc.e2e.test:8080";
        String id = machineLearning.services().registerService(registration(url)).getId();
        String orchestratorId = machineLearning.info().getOrchestratorId();
        propagates().untilAsserted(() -> assertThat(placementsAtParent()).containsEntry(id,
                new Placement(url, orchestratorId)));

        assertThat(machineLearning.services().deregisterService(id).getService().getId()).isEqualTo(id);

        propagates().untilAsserted(() -> {
            assertThat(placementsAtParent()).doesNotContainKey(id)
                    .isEqualTo(placementsAt(List.of(usEast, euWest, machineLearning)));
            assertThat(statusOf(() -> parent().services().getService(id))).isEqualTo(404);
        });
    }

    @Test
    @Order(6)
    void afterTheParentRestartsEmptyEachChildReRegistersAndResendsItsServicesWithTheSameIds() throws Exception {
        List<ChildOrchestrator> children = List.of(usEast, euWest, machineLearning);
        Map<String, Placement> before = placementsAtParent();
        Map<ChildOrchestrator, String> orchestratorIdsBefore = new HashMap<>();
        for (ChildOrchestrator child : children) {
            orchestratorIdsBefore.put(child, child.info().getOrchestratorId());
        }

        topology.crashParent();
        topology.startParent();
        topology.awaitHealthy();
        assertThat(parent().hierarchy().getHierarchy(null, null).getOrchestrators())
                .as("a restarted parent remembers nothing").isEmpty();

        // A child learns that its parent forgot it when its next forward or heartbeat is refused with 404.
        Set<String> newIds = new HashSet<>();
        for (ChildOrchestrator child : children) {
            RegistrationResult result = child.services()
                    .registerService(registration("http://after-restart.e2e.test/" + child.scope().label()));
            assertThat(result.getStatus()).isEqualTo(RegistrationStatus.REGISTERED);
            newIds.add(result.getId());
        }

        converges().untilAsserted(() -> {
            assertThat(parent().allOrchestrators())
                    .extracting(OrchestratorDetail::getUrl)
                    .containsExactlyInAnyOrder(usEast.url(), euWest.url(), machineLearning.url());
            for (ChildOrchestrator child : children) {
                String orchestratorId = child.info().getOrchestratorId();
                assertThat(orchestratorId).as("%s registered again, under the id it had", child)
                        .isEqualTo(orchestratorIdsBefore.get(child));
                assertThat(parent().orchestrators().getOrchestrator(orchestratorId).getUrl()).isEqualTo(child.url());
            }
            assertThat(placementsAtParent()).isEqualTo(placementsAt(children));
        });
        Set<String> expectedIds = new HashSet<>(before.keySet());
        expectedIds.addAll(newIds);
        assertThat(placementsAtParent().keySet()).as("the ids from before the crash, and the new ones")
                .isEqualTo(expectedIds);
    }

    @Test
    @Order(7)
    void aServiceStoppedWithSigtermLeavesItsChildAndThenTheParent() throws Exception {
        String id = idAt(usEast, checkout.url());
        assertThat(placementsAtParent()).containsKey(id);

        checkout.process().stop();

        // It deregisters while shutting down, so its child has dropped it by the time it has exited.
        assertThat(urlsAt(usEast)).doesNotContain(checkout.url());
        propagates().untilAsserted(() -> assertThat(placementsAtParent()).doesNotContainKey(id)
                .isEqualTo(placementsAt(List.of(usEast, euWest, machineLearning))));
    }

    @Test
    @Order(8)
    void aChildStoppedWithSigtermTakesItsServicesOffTheParent() throws Exception {
        String orchestratorId = euWest.info().getOrchestratorId();
        Set<String> itsServices = idsAt(euWest);
        assertThat(idsAtParentHeldBy(orchestratorId)).isEqualTo(itsServices).hasSize(2);

        euWest.process().stop();

        propagates().untilAsserted(() -> {
            assertThat(parent().allOrchestrators())
                    .extracting(OrchestratorDetail::getId).doesNotContain(orchestratorId);
            assertThat(placementsAtParent()).doesNotContainKeys(itsServices.toArray(String[]::new))
                    .isEqualTo(placementsAt(List.of(usEast, machineLearning)));
        });
        assertThat(statusOf(() -> parent().orchestrators().getOrchestrator(orchestratorId))).isEqualTo(404);
        assertThat(idsAtParentHeldBy(orchestratorId)).isEmpty();
    }

    @Test
    @Order(9)
    void deregisteringAChildAtTheParentRemovesItsServicesThere() throws Exception {
        String orchestratorId = machineLearning.info().getOrchestratorId();
        Set<String> itsServices = idsAt(machineLearning);
        Set<String> remaining = idsAt(usEast);
        assertThat(idsAtParentHeldBy(orchestratorId)).isEqualTo(itsServices).hasSize(2);

        OrchestratorDeregistration removal = parent().orchestrators().deregisterOrchestrator(orchestratorId);

        assertThat(removal.getOrchestrator().getId()).isEqualTo(orchestratorId);
        assertThat(removal.getOrchestrator().getUrl()).isEqualTo(machineLearning.url());
        assertThat(removal.getServicesRemoved()).isEqualTo(itsServices.size());
        assertThat(parent().allOrchestrators())
                .extracting(OrchestratorDetail::getUrl).containsExactly(usEast.url());
        assertThat(placementsAtParent().keySet()).isEqualTo(remaining);
        assertThat(idsAtParentHeldBy(orchestratorId)).isEmpty();
        Hierarchy hierarchy = parent().hierarchy().getHierarchy(null, null);
        assertThat(hierarchy.getTotalServices()).isEqualTo(remaining.size());
        assertThat(branchesByChildUrl(hierarchy)).containsOnlyKeys(usEast.url());
    }

    /** The child's parent check says it is not registered, and names the attempt that failed. */
    private static boolean failedToReachTheParent(HealthReport health) {
        String parentCheck = health.getChecks().get("parent").getMessage();
        return health.getStatus() == HealthState.DEGRADED && parentCheck.contains("last attempt");
    }

    private static ParentOrchestrator parent() {
        return topology.parent();
    }

    private static ChildOrchestrator childOf(ExampleService service) {
        if (service == checkout || service == payments) {
            return usEast;
        }
        return service == catalog ? euWest : machineLearning;
    }

    private static LocalServiceRegistration registration(String url) {
        return new LocalServiceRegistration(url).info(Map.of("display_name", "Registered by TopologyIT"));
    }

    private static Set<String> urlsAt(ChildOrchestrator child) throws Exception {
        return child.allServices().stream().map(LocalService::getUrl).collect(toSet());
    }

    private static Set<String> idsAt(ChildOrchestrator child) throws Exception {
        return child.allServices().stream().map(LocalService::getId).collect(toSet());
    }

    private static String idAt(ChildOrchestrator child, String url) throws Exception {
        return child.allServices().stream()
                .filter(service -> service.getUrl().equals(url)).map(LocalService::getId)
                .reduce((a, b) -> {
                    throw new AssertionError(child + " holds " + url + " twice: " + a + " and " + b);
                })
                .orElseThrow(() -> new AssertionError(child + " does not hold " + url));
    }

    /** Every service the children hold, by id, placed under the id each child got from the parent. */
    private static Map<String, Placement> placementsAt(List<ChildOrchestrator> children) throws Exception {
        Map<String, Placement> placements = new HashMap<>();
        for (ChildOrchestrator child : children) {
            String orchestratorId = child.info().getOrchestratorId();
            for (LocalService service : child.allServices()) {
                Placement previous = placements.put(service.getId(), new Placement(service.getUrl(), orchestratorId));
                assertThat(previous).as("id %s at two children", service.getId()).isNull();
            }
        }
        return placements;
    }

    private static Map<String, Placement> placementsAtParent() throws ApiException {
        return parent().allServices(null).stream()
                .collect(toMap(ServiceDetail::getId, service -> new Placement(service.getUrl(), service.getOrchestratorId())));
    }

    private static Set<String> idsAtParentHeldBy(String orchestratorId) throws ApiException {
        return parent().allServices(orchestratorId).stream()
                .map(ServiceDetail::getId).collect(toSet());
    }

    private static Map<String, Branch> branchesByChildUrl(Hierarchy hierarchy) {
        Map<String, Branch> branches = new HashMap<>();
        for (HierarchyBranch branch : hierarchy.getOrchestrators()) {
            OrchestratorDetail orchestrator = branch.getOrchestrator();
            Branch previous = branches.put(orchestrator.getUrl(), new Branch(orchestrator.getRegion(),
                    orchestrator.getDomain(), branch.getServices().stream().map(ServiceDetail::getUrl).collect(toSet())));
            assertThat(previous).as("two orchestrators with url %s", orchestrator.getUrl()).isNull();
        }
        return branches;
    }

    /** The HTTP status a parent call failed with. */
    private static int statusOf(ThrowingCallable call) {
        ApiException error = catchThrowableOfType(ApiException.class, call);
        assertThat(error).as("the call should have failed").isNotNull();
        return error.getCode();
    }
}
