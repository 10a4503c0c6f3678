package dev.canopy.child.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.RegistrationResult;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.LoneChild;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every service registered twice at once, then deleted twice at once, from eight threads: the child
 * counts each registration and each deregistration exactly once, because it counts the registry's
 * outcome (created, removed), not the requests.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConcurrentCountsTest {
    private static final int SERVICES = 60;

    // No parent answers: counting at the child does not depend on one.
    static final DropwizardAppExtension<ChildConfiguration> CHILD = new LoneChild()
            .config("logging.level", "ERROR")
            .app();

    private final Client client = TestClients.raw().register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void countsEachOutcomeOnceWhateverTheRequestsRace() throws Exception {
        List<Callable<String>> registrations = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String json = "{\"url\":\"http://racing-" + i + ":1\",\"info\":{}}";
            for (int twice = 0; twice < 2; twice++) {
                registrations.add(() -> {
                    Response response = client.target(base()).path("/services/$register").request()
                            .post(Entity.json(json));
                    assertThat(response.getStatus()).isIn(200, 201);
                    return response.readEntity(RegistrationResult.class).getId();
                });
            }
        }
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ids.addAll(runAll(registrations));
        assertThat(ids).hasSize(SERVICES);

        PrometheusText afterRegistering = scrape();
        assertThat(afterRegistering.value("canopy_service_registrations_total")).hasValue((double) SERVICES);
        assertThat(afterRegistering.value("canopy_services")).hasValue((double) SERVICES);

        List<Callable<Integer>> deletions = new ArrayList<>();
        for (String id : ids) {
            for (int twice = 0; twice < 2; twice++) {
                deletions.add(() -> client.target(base() + "/services/" + id).request().delete().getStatus());
            }
        }
        List<Integer> statuses = runAll(deletions);
        assertThat(Collections.frequency(statuses, 200)).isEqualTo(SERVICES);
        assertThat(Collections.frequency(statuses, 404)).isEqualTo(SERVICES);

        PrometheusText afterDeleting = scrape();
        assertThat(afterDeleting.value("canopy_service_deregistrations_total")).hasValue((double) SERVICES);
        assertThat(afterDeleting.value("canopy_services")).hasValue(0.0);
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        List<Callable<T>> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled, new java.util.Random(20261126));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(shuffled, 60, TimeUnit.SECONDS)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private PrometheusText scrape() {
        Response response = client.target(base() + "/metrics").request("text/plain").get();
        assertThat(response.getStatus()).isEqualTo(200);
        return PrometheusText.parse(response.readEntity(String.class));
    }

    private static String base() {
        return "http://localhost:" + CHILD.getLocalPort();
    }
}
