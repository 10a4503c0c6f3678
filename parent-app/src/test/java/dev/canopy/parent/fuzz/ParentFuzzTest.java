package dev.canopy.parent.fuzz;

import static dev.canopy.core.testing.hostile.FuzzArbitraries.idFields;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.ids;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.infos;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.json;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.labels;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.objectOf;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.segments;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.urls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.core.limits.AdvertisedUrls;
import dev.canopy.core.limits.InfoLimits;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.FuzzCheck;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests against every resource of the parent (jqwik, seeded, so every run sends the same
 * ones): registrations whose every field is right, of a random type, hostile or missing; random JSON
 * trees; random ids in every path. Whatever is sent, the parent never answers 5xx, refuses with a
 * problem and no change, keeps its contract, stores nothing beyond the contract's limits, and stays
 * healthy.
 */
class ParentFuzzTest {
    private static final String US = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";
    private static final String EU = "01JD5Z8Q3M7W8Y6KX2T4R9B1CF";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Non-ASCII as \\u escapes, so that unpaired surrogates reach the server as JSON allows them. */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            .build();

    private static final DropwizardTestSupport<ParentConfiguration> APP = new DropwizardTestSupport<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD),
            ConfigOverride.config("leases.ttl", "1h"),
            ConfigOverride.config("logging.level", "OFF"));
    private static SuiteClient client;
    private static FuzzCheck fuzz;

    @BeforeContainer
    static void twoChildren() throws Exception {
        APP.before();
        client = new SuiteClient(APP.getLocalPort(), CredentialHeaders.TEST_KEYS);
        assertThat(client.sendJson("POST", "/api/v1/orchestrators/$register",
                "{\"id\":\"" + US + "\",\"url\":\"http://us:9001\"}").status()).isEqualTo(201);
        assertThat(client.sendJson("POST", "/api/v1/orchestrators/$register",
                "{\"id\":\"" + EU + "\",\"url\":\"http://eu:9002\"}").status()).isEqualTo(201);
        fuzz = new FuzzCheck("parent-orchestrator (fuzz)", "parent", client,
                () -> client.get("/api/v1/hierarchy").text(), ParentFuzzTest::beyondTheLimits);
    }

    @AfterContainer
    static void stop() {
        fuzz.figures().publish();
        APP.after();
    }

    @Property(tries = 300, seed = "20261126", shrinking = ShrinkingMode.OFF)
    void nothingSentBreaksTheParent(@ForAll("requests") HostileRequest request) {
        fuzz.check(request);
    }

    @Provide
    Arbitrary<HostileRequest> requests() {
        Arbitrary<JsonNode> children = Arbitraries.of(US, EU).map(NODES::textNode);
        Arbitrary<JsonNode> anyId = idFields();
        Map<String, Arbitrary<JsonNode>> orchestrator = new LinkedHashMap<>();
        orchestrator.put("url", urls());
        orchestrator.put("info", infos());
        orchestrator.put("region", labels());
        orchestrator.put("domain", labels());
        orchestrator.put("id", anyId);
        Map<String, Arbitrary<JsonNode>> service = new LinkedHashMap<>();
        service.put("url", urls());
        service.put("orchestrator_id", Arbitraries.oneOf(children, anyId));
        service.put("info", infos());
        service.put("id", anyId);
        Map<String, Arbitrary<JsonNode>> entry = Map.of("id", anyId, "url", urls(), "info", infos());
        Arbitrary<JsonNode> entries = objectOf(entry).map(JsonNode.class::cast).list().ofMaxSize(4).map(list -> {
            var array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
        Map<String, Arbitrary<JsonNode>> ping = Map.of(
                "services_digest", Arbitraries.strings().withChars("0123456789abcdef").ofLength(16)
                        .map(NODES::textNode),
                "service_count", Arbitraries.integers().between(0, 10).map(NODES::numberNode),
                "pending_forwards", Arbitraries.integers().between(0, 10).map(NODES::numberNode));

        return Arbitraries.frequencyOf(
                Tuple.of(4, bodies("POST", Arbitraries.just("/api/v1/orchestrators/$register"),
                        objectOf(orchestrator))),
                Tuple.of(4, bodies("POST", Arbitraries.just("/api/v1/services/$register"), objectOf(service))),
                Tuple.of(2, bodies("PUT", Arbitraries.of(US, EU).map(id -> "/api/v1/orchestrators/" + id + "/$ping"),
                        objectOf(ping))),
                Tuple.of(2, bodies("PUT", Arbitraries.of(US, EU).map(id -> "/api/v1/orchestrators/" + id + "/services"),
                        objectOf(Map.of("services", entries)))),
                Tuple.of(2, bodies("POST",
                        Arbitraries.of("/api/v1/orchestrators/$register", "/api/v1/services/$register"), json())),
                Tuple.of(3, idPaths()));
    }

    private static Arbitrary<HostileRequest> bodies(String method, Arbitrary<String> paths,
                                                    Arbitrary<? extends JsonNode> bodies) {
        return Combinators.combine(paths, bodies, Arbitraries.of(true, false)).as((path, body, escape) ->
                HostileRequest.request(method, path).json(write(body, escape)));
    }

    private static Arbitrary<HostileRequest> idPaths() {
        return Combinators.combine(Arbitraries.of("GET /api/v1/orchestrators/%s", "DELETE /api/v1/orchestrators/%s",
                "GET /api/v1/services/%s", "DELETE /api/v1/services/%s", "PUT /api/v1/orchestrators/%s/$ping",
                "GET /api/v1/services?orchestrator_id=%s"), segments()).as((template, segment) -> {
                    String[] parts = String.format(template, segment).split(" ", 2);
                    HostileRequest request = HostileRequest.request(parts[0], parts[1]);
                    if (parts[0].equals("PUT")) {
                        request.json("{}");
                    }
                    // An id only of unreserved characters reaches an operation; others Jetty may refuse first.
                    return segment.matches("[A-Za-z0-9._~-]+") ? request : request.outsideContract();
                });
    }

    /** What the parent holds that the contract would have refused. */
    static List<String> beyondTheLimits(String hierarchy) {
        List<String> found = new ArrayList<>();
        try {
            for (JsonNode branch : JSON.readTree(hierarchy).path("orchestrators")) {
                check(branch.path("orchestrator"), found);
                branch.path("services").forEach(service -> check(service, found));
            }
        } catch (JsonProcessingException e) {
            found.add("the hierarchy is not JSON: " + e.getMessage());
        }
        return found;
    }

    private static void check(JsonNode record, List<String> found) {
        String id = record.path("id").asText();
        String problem = AdvertisedUrls.problemWith(record.path("url").asText());
        if (problem != null) {
            found.add(id + " holds url " + record.path("url") + ", which " + problem);
        }
        Map<String, Object> info = JSON.convertValue(record.path("info"), new TypeReference<>() { });
        InfoLimits.violations("info", info)
                .forEach(violation -> found.add(id + " holds " + violation.getName() + ", which "
                        + violation.getReason()));
    }

    private static String write(JsonNode body, boolean escapeNonAscii) {
        try {
            return (escapeNonAscii ? ESCAPING : JSON).writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
