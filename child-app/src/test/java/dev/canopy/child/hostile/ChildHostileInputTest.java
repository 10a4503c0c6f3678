package dev.canopy.child.hostile;

import static dev.canopy.core.testing.hostile.CommonRows.BLANK;
import static dev.canopy.core.testing.hostile.CommonRows.INVALID_BODY;
import static dev.canopy.core.testing.hostile.CommonRows.LIMIT;
import static dev.canopy.core.testing.hostile.CommonRows.MALFORMED;
import static dev.canopy.core.testing.hostile.CommonRows.NOT_FOUND;
import static dev.canopy.core.testing.hostile.HostileRequest.delete;
import static dev.canopy.core.testing.hostile.HostileRequest.get;
import static dev.canopy.core.testing.hostile.HostileRequest.post;
import static dev.canopy.core.testing.hostile.HostileRequest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.hostile.CommonRows;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.Credential;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.HostileSuite;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests against every endpoint of a child, over real HTTP, with a real parent
 * in the same JVM: each gets exactly the 4xx problem its row expects, and neither the child's registry
 * nor the parent's copy of it changes. The child holds three services, its limit here.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildHostileInputTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD)
            // No heartbeat or eviction during the run: the child renews every third of this.
            .parentConfig("leases.ttl", "1h")
            .childConfig("region", "us-east")
            .childConfig("leases.ttl", "1h")
            .childConfig("reconcileInterval", "1h")
            .childConfig("limits.maxServicesPerOrchestrator", "3")
            .logLevel("ERROR");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    static final String REGISTER = "/services/$register";
    static final String NOBODY = "01JD5Z9A00000000000000000Z";
    static final String EXAMPLE = "{\"url\":\"http://new:8100\",\"info\":{}}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SuiteClient child;
    private static SuiteClient parent;
    private static HostileSuite suite;
    private static String pay;

    @BeforeAll
    static void threeServicesForwardedToTheParent() {
        // Every request of the run, set-up and reads included, goes through these clients.
        child = new SuiteClient(CHILD.getLocalPort(), CredentialHeaders.TEST_KEYS);
        parent = new SuiteClient(PARENT_PORT, CredentialHeaders.TEST_KEYS);
        List<String> ids = new ArrayList<>();
        for (String name : List.of("pay", "inv", "ship")) {
            var answer = child.sendJson("POST", REGISTER, "{\"url\":\"http://" + name + ":8000\",\"info\":{"
                    + "\"display_name\":\"" + name + "\",\"tags\":[\"a\",{\"b\":1}]}}");
            assertThat(answer.status()).isEqualTo(201);
            ids.add(json(answer.text()).path("id").asText());
        }
        pay = ids.get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode info = json(child.get("/services/info/orchestrator").text());
            return info.path("sync").path("pending_forwards").asInt(-1) == 0
                    && json(parent.get("/api/v1/services").text()).path("count").asInt() == 3;
        });
        suite = new HostileSuite("child-orchestrator", "child", child, ChildHostileInputTest::everything);
    }

    /** The child's services with their leases, its link and sync state, and the parent's copy of it all. */
    static String everything() {
        return child.get("/services").text() + "\n" + child.get("/services/info/orchestrator").text() + "\n"
                + parent.get("/api/v1/hierarchy").text();
    }

    @AfterAll
    static void figures() {
        suite.figures().publish();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithAProblemAndChangesNothing(HostileRequest row) {
        suite.check(row);
    }

    static Stream<HostileRequest> rows() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.addAll(CommonRows.transport("/services"));
        rows.addAll(CommonRows.paths("/services"));
        rows.addAll(CommonRows.admin());
        rows.addAll(CommonRows.eventStream("/services/events"));
        rows.addAll(CommonRows.paging("/services"));
        rows.addAll(CommonRows.jsonBody("POST", REGISTER, EXAMPLE, LIMIT));
        rows.addAll(registrations());
        rows.addAll(idsAndMethods());
        rows.addAll(credentials());
        return rows.stream();
    }

    /** Every change without a key, with a forged key, and with a header that is not a Bearer key. */
    static List<HostileRequest> credentials() {
        String unauthorized = "urn:canopy:problem:unauthorized";
        List<HostileRequest> rows = new ArrayList<>();
        for (String[] change : new String[][] {{"POST", REGISTER, EXAMPLE}, {"PUT", "/services/" + pay + "/$ping", "{}"},
                {"DELETE", "/services/" + pay, null}}) {
            rows.add(change(change).named("no key").as(Credential.NONE).expect(401, unauthorized));
            rows.add(change(change).named("a forged key").as(Credential.FORGED).expect(401, unauthorized));
            rows.add(change(change).named("a Basic credential").as(Credential.NONE)
                    .header("Authorization", "Basic dXM6c2VjcmV0").expect(401, unauthorized));
            rows.add(change(change).named("a child key, which the child does not take").as(Credential.OTHER_CHILD)
                    .expect(401, unauthorized));
        }
        return rows;
    }

    private static HostileRequest change(String[] change) {
        HostileRequest request = HostileRequest.request(change[0], change[1]);
        return change[2] == null ? request : request.json(change[2]);
    }

    static List<HostileRequest> registrations() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(post(REGISTER).named("no body").json("").expect(422, INVALID_BODY).naming("body"));
        rows.add(post(REGISTER).named("a JSON null").json("null").expect(422, INVALID_BODY).naming("body"));
        rows.add(post(REGISTER).named("no url").json("{\"info\":{}}").expect(422, INVALID_BODY).naming("body.url"));
        for (String url : List.of("null", "42", "[\"http://h:1\"]", "{\"href\":\"http://h:1\"}", "false")) {
            rows.add(post(REGISTER).named("url of the wrong type").json("{\"url\":" + url + "}")
                    .expect(422, INVALID_BODY).naming("body.url"));
        }
        rows.addAll(CommonRows.badUrls(REGISTER, "{\"url\":%s}", "body.url"));
        rows.addAll(CommonRows.badInfos(REGISTER, "{\"url\":\"http://new:8100\",\"info\":%s}", "body.info"));
        for (String id : List.of("\"" + NOBODY.toLowerCase() + "\"", "\"../" + NOBODY + "\"", "7", "\"\"")) {
            rows.add(post(REGISTER).named("an id that is not a ULID")
                    .json("{\"url\":\"http://new:8100\",\"id\":" + id + "}")
                    .expect(422, INVALID_BODY).naming("body.id"));
        }
        rows.add(post(REGISTER).named("a field of the parent's registration")
                .json("{\"url\":\"http://new:8100\",\"orchestrator_id\":\"" + NOBODY + "\"}").expect(422, INVALID_BODY)
                .naming("body.orchestrator_id"));
        rows.add(post(REGISTER).named("url given twice")
                .json("{\"url\":\"http://new:8100\",\"url\":\"http://pay:8000\"}")
                .expect(400, MALFORMED));
        rows.add(post(REGISTER).named("a fourth service, beyond the child's limit").json(EXAMPLE)
                .expect(409, "urn:canopy:problem:service-limit-reached"));
        rows.add(post(REGISTER).named("the limit, and an id of the service's own choosing")
                .json("{\"url\":\"http://new:8100\",\"id\":\"" + NOBODY + "\"}")
                .expect(409, "urn:canopy:problem:service-limit-reached"));
        return rows;
    }

    static List<HostileRequest> idsAndMethods() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String id : List.of(NOBODY, NOBODY.toLowerCase(), NOBODY + "0", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
                "%3Cscript%3Ealert(1)%3C%3E", "%20" + NOBODY, "$ne", "'%20OR%201=1--")) {
            String what = id.equals(NOBODY) ? "no such id" : "an id that cannot exist";
            rows.add(get("/services/" + id).named(what).expect(404, NOT_FOUND));
            rows.add(delete("/services/" + id).named(what).expect(404, NOT_FOUND));
            rows.add(put("/services/" + id + "/$ping").named(what).expect(404, NOT_FOUND));
        }
        rows.add(get("/services/" + NOBODY + "%2F..%2Finfo%2Forchestrator").named("an encoded slash inside an id")
                .expect(400, BLANK).outsideContract());
        rows.add(put("/services/PAY/$ping").named("a 70 KB body on a heartbeat that takes none")
                .body(new byte[70_000], "application/json").expect(413, BLANK).outsideContract());
        rows.add(get(REGISTER).named("reading a write-only operation (taken for an id)").expect(404, NOT_FOUND)
                .outsideContract());
        rows.add(put(REGISTER).named("PUT on a POST operation").json(EXAMPLE).expect(405, BLANK).outsideContract());
        rows.add(post("/services/" + NOBODY).named("POST on a service").json(EXAMPLE).expect(405, BLANK)
                .outsideContract());
        rows.add(delete("/services").named("DELETE on the list").expect(405, BLANK).outsideContract());
        rows.add(post("/services/info/orchestrator").named("POST on the orchestrator's info").json("{}")
                .expect(405, BLANK).outsideContract());
        rows.add(get("/services/" + NOBODY + "/$ping").named("GET on a heartbeat").expect(405, BLANK)
                .outsideContract());
        rows.add(post("/openapi/child.yaml").named("POST on the document").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(get("/openapi/parent.yaml").named("another app's document").expect(404, BLANK).outsideContract());
        rows.add(delete("/metrics").named("DELETE on metrics").expect(405, BLANK).outsideContract());
        for (String path : List.of("/services", "/services/info/orchestrator", "/health", "/metrics")) {
            rows.add(get(path).named("an answer only in XML").header("Accept", "application/xml").expect(406, BLANK));
        }
        return rows;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
