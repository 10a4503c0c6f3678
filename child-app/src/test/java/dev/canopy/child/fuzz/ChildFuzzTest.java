package dev.canopy.child.fuzz;

import static dev.canopy.core.testing.hostile.FuzzArbitraries.idFields;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.ids;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.infos;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.json;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.objectOf;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.segments;
import static dev.canopy.core.testing.hostile.FuzzArbitraries.urls;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.limits.AdvertisedUrls;
import dev.canopy.core.limits.InfoLimits;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.FuzzCheck;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.SuiteClient;
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
 * Random requests against every resource of a child (jqwik, seeded): registrations whose every field
 * is right, of a random type, hostile or missing; random JSON trees; random ids in every path. The
 * child never answers 5xx, refuses with a problem and no change, keeps its contract, stores nothing
 * beyond the contract's limits, and stays up. Its parent is away: only the child is under test here.
 */
class ChildFuzzTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            .build();

    private static final DropwizardTestSupport<ChildConfiguration> APP = new DropwizardTestSupport<>(
            ChildApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.serviceKeys", TestKeys.SERVICE),
            ConfigOverride.config("parent.key", TestKeys.CHILD),
            ConfigOverride.config("parent.url", "http://localhost:1"),
            ConfigOverride.config("parent.registrationDelay", "1h"),
            ConfigOverride.config("leases.ttl", "1h"),
            ConfigOverride.config("logging.level", "OFF"));
    private static SuiteClient client;
    private static FuzzCheck fuzz;

    @BeforeContainer
    static void start() throws Exception {
        APP.before();
        client = new SuiteClient(APP.getLocalPort(), CredentialHeaders.TEST_KEYS);
        fuzz = new FuzzCheck("child-orchestrator (fuzz)", "child", client,
                () -> client.get("/services").text() + "\n" + client.get("/services/info/orchestrator").text(),
                ChildFuzzTest::beyondTheLimits);
    }

    @AfterContainer
    static void stop() {
        fuzz.figures().publish();
        APP.after();
    }

    @Property(tries = 300, seed = "20261126", shrinking = ShrinkingMode.OFF)
    void nothingSentBreaksTheChild(@ForAll("requests") HostileRequest request) {
        fuzz.check(request);
    }

    @Provide
    Arbitrary<HostileRequest> requests() {
        Map<String, Arbitrary<JsonNode>> registration = new LinkedHashMap<>();
        registration.put("url", urls());
        registration.put("info", infos());
        registration.put("id", idFields());
        Arbitrary<HostileRequest> registrations = Combinators.combine(objectOf(registration),
                        Arbitraries.of(true, false))
                .as((body, escape) -> HostileRequest.post("/services/$register").json(write(body, escape)));
        Arbitrary<HostileRequest> trees = Combinators.combine(json(), Arbitraries.of(true, false))
                .as((body, escape) -> HostileRequest.post("/services/$register").json(write(body, escape)));
        Arbitrary<HostileRequest> paths = Combinators.combine(Arbitraries.of("GET /services/%s", "DELETE /services/%s",
                "PUT /services/%s/$ping"), segments()).as((template, segment) -> {
                    String[] parts = String.format(template, segment).split(" ", 2);
                    HostileRequest request = HostileRequest.request(parts[0], parts[1]);
                    return segment.matches("[A-Za-z0-9._~-]+") ? request : request.outsideContract();
                });
        return Arbitraries.frequencyOf(Tuple.of(6, registrations), Tuple.of(2, trees), Tuple.of(3, paths));
    }

    /** What the child holds that the contract would have refused. */
    static List<String> beyondTheLimits(String state) {
        List<String> found = new ArrayList<>();
        try {
            for (JsonNode service : JSON.readTree(state.substring(0, state.indexOf('\n'))).path("services")) {
                String problem = AdvertisedUrls.problemWith(service.path("url").asText());
                if (problem != null) {
                    found.add(service.path("id").asText() + " holds url " + service.path("url") + ", which " + problem);
                }
                Map<String, Object> info = JSON.convertValue(service.path("info"), new TypeReference<>() { });
                String id = service.path("id").asText();
                InfoLimits.violations("info", info).forEach(violation ->
                        found.add(id + " holds " + violation.getName() + ", which " + violation.getReason()));
            }
        } catch (JsonProcessingException e) {
            found.add("the service list is not JSON: " + e.getMessage());
        }
        return found;
    }

    private static String write(JsonNode body, boolean escapeNonAscii) {
        try {
            return (escapeNonAscii ? ESCAPING : JSON).writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
