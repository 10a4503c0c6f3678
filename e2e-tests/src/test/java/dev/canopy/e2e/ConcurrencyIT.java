package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.propagates;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.HealthState;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceDeregistration;
import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.client.invoker.ApiResponse;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients registering and deregistering at one child at the same moment: the child must answer
 * every request, stay registered with its parent, and leave the parent holding exactly its services,
 * under the same ids.
 */
class ConcurrencyIT {
    private static final int THREADS = 16;
    private static final int SERVICES_PER_THREAD = 50;

    @RegisterExtension
    static final Topology topology = new Topology("ConcurrencyIT");

    private static ParentOrchestrator parent;
    private static ChildOrchestrator child;

    @BeforeAll
    static void startParentAndChild() {
        parent = topology.startParent();
        child = topology.startChild("child", Scope.region("us-east"));
        topology.awaitHealthy();
        converges().untilAsserted(() -> assertThat(child.info().getOrchestratorId()).isNotNull());
    }

    @Test
    void concurrentRegistrationsAndDeregistrationsLeaveTheChildAndTheParentWithTheSameIds() throws Exception {
        String orchestratorId = child.info().getOrchestratorId();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Queue<String> childTroubles = new ConcurrentLinkedQueue<>();
        List<Registrant> registrants = IntStream.range(0, THREADS)
                .mapToObj(number -> new Registrant(number, failures)).toList();

        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        try {
            watch.scheduleWithFixedDelay(() -> checkChildIsUp(orchestratorId, childTroubles), 0, 100,
                    TimeUnit.MILLISECONDS);

            // A burst outruns the forwarder, so most of these deregistrations overtake their registration.
            allAtOnce(registrants, Registrant::registerAllDeregisteringSome);
            assertThat(failures).as("requests the child failed or answered wrongly").isEmpty();
            assertParentHoldsExactly(orchestratorId, servicesAtChild());

            // These deregister services the parent holds by now.
            allAtOnce(registrants, Registrant::deregisterTheRest);
            assertThat(failures).as("requests the child failed or answered wrongly").isEmpty();
        } finally {
            watch.shutdownNow();
            watch.awaitTermination(5, TimeUnit.SECONDS);
        }

        Map<String, String> expected = new HashMap<>();
        registrants.forEach(registrant -> expected.putAll(registrant.kept));
        assertThat(expected).hasSize(THREADS * SERVICES_PER_THREAD / 2);
        assertThat(servicesAtChild()).as("the child's services, url to id").isEqualTo(expected);
        assertParentHoldsExactly(orchestratorId, expected);

        assertThat(childTroubles).as("moments the child was not healthy or not registered").isEmpty();
        assertThat(child.info().getOrchestratorId()).isEqualTo(orchestratorId);
        assertThat(parent.allOrchestrators())
                .extracting(OrchestratorDetail::getId).containsExactly(orchestratorId);
    }

    /** Runs {@code work} for every registrant, each on its own thread, all released at the same moment. */
    private static void allAtOnce(List<Registrant> registrants, Consumer<Registrant> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(registrants.size());
        try {
            CyclicBarrier together = new CyclicBarrier(registrants.size());
            List<Callable<Void>> tasks = registrants.stream().<Callable<Void>>map(registrant -> () -> {
                together.await();
                work.accept(registrant);
                return null;
            }).toList();
            for (Future<Void> task : threads.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                task.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Map<String, String> servicesAtChild() throws Exception {
        return child.allServices().stream()
                .collect(toMap(LocalService::getUrl, LocalService::getId));
    }

    /** Waits for the forwarder to catch up, then compares: the parent must hold {@code expected}, url to id. */
    private static void assertParentHoldsExactly(String orchestratorId, Map<String, String> expected) {
        // Poll a count, a small answer: the full list checked against the contract every 150 ms would take
        // the CPU the child needs to forward.
        try {
            converges().until(() -> parent.orchestrators().getOrchestrator(orchestratorId).getServiceCount()
                    == expected.size());
        } catch (ConditionTimeoutException e) {
            // It never caught up: the exact comparison below shows which services differ.
        }
        propagates().untilAsserted(() -> {
            assertThat(parent.allServices(orchestratorId).stream()
                    .collect(toMap(ServiceDetail::getUrl, ServiceDetail::getId)))
                    .as("the parent's services of this child, url to id").isEqualTo(expected);
            assertThat(parent.allServices(null)).hasSize(expected.size());
        });
    }

    private static void checkChildIsUp(String orchestratorId, Queue<String> troubles) {
        try {
            HealthState health = child.health().getHealth().getStatus();
            String registeredAs = child.info().getOrchestratorId();
            if (health != HealthState.HEALTHY || !orchestratorId.equals(registeredAs)) {
                troubles.add("health " + health + ", registered as " + registeredAs);
            }
        } catch (Exception | AssertionError e) {
            troubles.add(e.toString());
        }
    }

    /** One concurrent client: it owns 50 service urls, and a random half of them is doomed. */
    private static final class Registrant {
        private final int number;
        private final Random random;
        private final Set<Integer> doomed;
        private final Queue<String> failures;
        private final Map<String, String> kept = new HashMap<>();
        private final List<RegistrationResult> toDeregister = new ArrayList<>();

        Registrant(int number, Queue<String> failures) {
            this.number = number;
            this.random = new Random(number);
            this.failures = failures;
            List<Integer> services = new ArrayList<>(IntStream.range(0, SERVICES_PER_THREAD).boxed().toList());
            Collections.shuffle(services, random);
            this.doomed = new HashSet<>(services.subList(0, SERVICES_PER_THREAD / 2));
        }

        /** Registers every service; after each, a one-in-four chance to deregister a doomed one. */
        void registerAllDeregisteringSome() {
            for (int service = 0; service < SERVICES_PER_THREAD; service++) {
                String url = String.format("http://svc-%02d-%02d.concurrency.test:8080", number, service);
                RegistrationResult registered = register(url);
                if (registered != null) {
                    if (doomed.contains(service)) {
                        toDeregister.add(registered);
                    } else {
                        kept.put(url, registered.getId());
                    }
                }
                if (!toDeregister.isEmpty() && random.nextInt(4) == 0) {
                    deregister(toDeregister.remove(random.nextInt(toDeregister.size())));
                }
            }
        }

        void deregisterTheRest() {
            while (!toDeregister.isEmpty()) {
                deregister(toDeregister.remove(random.nextInt(toDeregister.size())));
            }
        }

        private RegistrationResult register(String url) {
            try {
                ApiResponse<RegistrationResult> response = child.services().registerServiceWithHttpInfo(
                        new LocalServiceRegistration(url).info(Map.of("display_name", "Registered by ConcurrencyIT")));
                RegistrationResult result = response.getData();
                if (response.getStatusCode() != 201 || result.getStatus() != RegistrationStatus.REGISTERED
                        || !url.equals(result.getUrl())) {
                    failures.add("register " + url + ": " + response.getStatusCode() + " " + result);
                    return null;
                }
                return result;
            } catch (Exception | AssertionError e) {
                failures.add("register " + url + ": " + e);
                return null;
            }
        }

        private void deregister(RegistrationResult registered) {
            try {
                ApiResponse<LocalServiceDeregistration> response =
                        child.services().deregisterServiceWithHttpInfo(registered.getId());
                if (response.getStatusCode() != 200
                        || !registered.getId().equals(response.getData().getService().getId())) {
                    failures.add("deregister " + registered.getUrl() + ": " + response.getStatusCode() + " "
                            + response.getData());
                }
            } catch (Exception | AssertionError e) {
                failures.add("deregister " + registered.getUrl() + ": " + e);
            }
        }
    }
}
