package dev.canopy.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.problem.ProblemException;
import dev.canopy.core.problem.ProblemExceptionMapper;
import dev.canopy.core.testing.PrometheusText;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each resource method's labels are worked out on its first request and kept: these check that every
 * later request still lands on the series of its own operation, path template and status class,
 * whatever else was asked before it, and that requests no method matched are labelled by method only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RequestDurationsTest {
    private static final String COUNT = RequestDurations.NAME + "_count";

    @Path("/things")
    public static final class Things {
        @GET
        @Path("/{id}")
        public String get(@PathParam("id") String id) {
            if (id.startsWith("missing")) {
                throw ProblemException.notFound("thing", id);
            }
            return id;
        }

        @POST
        public Response add(String body) {
            return Response.status(201).entity(body).build();
        }

        @GET
        @Path("/{id}/parts/{part}")
        public String part(@PathParam("id") String id, @PathParam("part") String part) {
            return id + "/" + part;
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ResourceExtension resources = ResourceExtension.builder()
            .addResource(new Things())
            .addProvider(ProblemExceptionMapper.class)
            .addProvider(new RequestDurations(registry))
            .build();

    @Test
    void labelsEachRequestWithItsOwnOperationTemplateAndStatusClassEveryTime() {
        // Interleaved, so that a label kept from one operation or status could show up on another.
        for (int i = 0; i < 3; i++) {
            assertThat(get("/things/a" + i)).isEqualTo(200);
            assertThat(get("/things/missing" + i)).isEqualTo(404);
            assertThat(get("/things/a" + i + "/parts/p" + i)).isEqualTo(200);
            assertThat(resources.target("/things").request().post(Entity.text("x")).getStatus()).isEqualTo(201);
        }

        PrometheusText metrics = scrape();
        assertThat(count("get", "GET", "/things/{id}", "2xx", metrics)).isEqualTo(3.0);
        assertThat(count("get", "GET", "/things/{id}", "4xx", metrics)).isEqualTo(3.0);
        assertThat(count("part", "GET", "/things/{id}/parts/{part}", "2xx", metrics)).isEqualTo(3.0);
        assertThat(count("add", "POST", "/things", "2xx", metrics)).isEqualTo(3.0);
        assertThat(metrics.samples(COUNT, Map.of())).hasSize(4);
    }

    @Test
    void labelsRequestsNoMethodMatchedByTheirHttpMethodOnly() {
        assertThat(get("/nowhere/at/all")).isEqualTo(404);
        assertThat(get("/nowhere/else")).isEqualTo(404);
        // /things has a POST but no DELETE: Jersey answers 405 without matching a method.
        assertThat(resources.target("/things").request().delete().getStatus()).isEqualTo(405);
        assertThat(resources.target("/things/a").request().method("BREW").getStatus()).isEqualTo(405);

        PrometheusText metrics = scrape();
        assertThat(count(RequestDurations.UNMATCHED, "GET", RequestDurations.UNMATCHED, "4xx", metrics))
                .isEqualTo(2.0);
        assertThat(count(RequestDurations.UNMATCHED, "DELETE", RequestDurations.UNMATCHED, "4xx", metrics))
                .isEqualTo(1.0);
        assertThat(count(RequestDurations.UNMATCHED, "other", RequestDurations.UNMATCHED, "4xx", metrics))
                .isEqualTo(1.0);
        assertThat(metrics.samples(COUNT, Map.of())).hasSize(3);
    }

    @Test
    void countsEveryRequestOnceWhenManyArriveAtOnce() throws Exception {
        int threads = 8;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.add(() -> {
                    for (int i = 0; i < each; i++) {
                        String id = (i % 2 == 0 ? "t" : "missing") + client + "-" + i;
                        assertThat(get("/things/" + id)).isIn(200, 404);
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(clients)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        PrometheusText metrics = scrape();
        assertThat(count("get", "GET", "/things/{id}", "2xx", metrics)).isEqualTo(threads * each / 2.0);
        assertThat(count("get", "GET", "/things/{id}", "4xx", metrics)).isEqualTo(threads * each / 2.0);
        assertThat(metrics.samples(COUNT, Map.of())).hasSize(2);
    }

    private int get(String path) {
        return resources.target(path).request(MediaType.WILDCARD).get().getStatus();
    }

    private static double count(String operation, String method, String route, String statusClass,
                                PrometheusText metrics) {
        return metrics.value(COUNT, Map.of("operation", operation, "method", method, "route", route,
                "status_class", statusClass)).orElseThrow();
    }

    private PrometheusText scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
