package dev.canopy.parent.hostile;

import static dev.canopy.core.testing.hostile.CommonRows.BLANK;
import static dev.canopy.core.testing.hostile.CommonRows.INVALID_BODY;
import static dev.canopy.core.testing.hostile.CommonRows.LIMIT;
import static dev.canopy.core.testing.hostile.CommonRows.MALFORMED;
import static dev.canopy.core.testing.hostile.CommonRows.NOT_FOUND;
import static dev.canopy.core.testing.hostile.HostileRequest.delete;
import static dev.canopy.core.testing.hostile.HostileRequest.get;
import static dev.canopy.core.testing.hostile.HostileRequest.post;
import static dev.canopy.core.testing.hostile.HostileRequest.put;
import static dev.canopy.core.testing.hostile.HostileRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.testing.hostile.CommonRows;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.HostileSuite;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import dev.canopy.core.testing.hostile.Credential;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests against every endpoint of the parent, over real HTTP: each gets
 * exactly the 4xx problem its row expects, and the parent's registry stays byte for byte as it was.
 * The parent holds two children, one of them at its service limit (2 here), so the limit is tried too.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentHostileInputTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD),
            // Nothing may change during the run by itself: no lease runs out.
            ConfigOverride.config("leases.ttl", "1h"),
            ConfigOverride.config("limits.maxServicesPerOrchestrator", "2"),
            ConfigOverride.config("logging.level", "ERROR"));

    static final String US = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";
    static final String EU = "01JD5Z8Q3M7W8Y6KX2T4R9B1CF";
    static final String PAY = "01JD5Z9A00000000000000000A";
    static final String INV = "01JD5Z9A00000000000000000B";
    static final String GDPR = "01JD5Z9A00000000000000000C";
    static final String NOBODY = "01JD5Z9A00000000000000000Z";
    static final String SET_LIMIT = "16MiB";

    static final String UNAUTHORIZED = "urn:canopy:problem:unauthorized";
    static final String FORBIDDEN = "urn:canopy:problem:forbidden";
    static final String REGISTER_ORCHESTRATOR = "/api/v1/orchestrators/$register";
    static final String REGISTER_SERVICE = "/api/v1/services/$register";
    static final String PING_US = "/api/v1/orchestrators/" + US + "/$ping";
    static final String SET_US = "/api/v1/orchestrators/" + US + "/services";
    static final String BATCH_US = "/api/v1/orchestrators/" + US + "/services/$batch";

    private static SuiteClient client;
    private static HostileSuite suite;

    @BeforeAll
    static void twoChildrenOneOfThemFull() {
        // Every request of the run, set-up and reads included, goes through this one client.
        client = new SuiteClient(APP.getLocalPort(), CredentialHeaders.TEST_KEYS);
        assertThat(client.sendJson("POST", REGISTER_ORCHESTRATOR, "{\"id\":\"" + US + "\",\"url\":\"http://us:9001\","
                + "\"region\":\"us-east\",\"info\":{\"display_name\":\"US\"}}").status()).isEqualTo(201);
        assertThat(client.sendJson("POST", REGISTER_ORCHESTRATOR, "{\"id\":\"" + EU + "\",\"url\":\"http://eu:9002\","
                + "\"region\":\"eu-west\"}").status()).isEqualTo(201);
        for (String[] service : new String[][] {{PAY, US}, {INV, US}, {GDPR, EU}}) {
            assertThat(client.sendJson("POST", REGISTER_SERVICE, "{\"id\":\"" + service[0] + "\",\"url\":\"http://"
                    + service[0].toLowerCase() + ":8000\",\"orchestrator_id\":\"" + service[1] + "\",\"info\":{"
                    + "\"display_name\":\"svc\",\"tags\":[\"a\",{\"b\":1}]}}").status()).isEqualTo(201);
        }
        suite = new HostileSuite("parent-orchestrator", "parent", client, ParentHostileInputTest::everything);
    }

    /** The parent's whole state: every child with its lease and sync state, every service with its info. */
    static String everything() {
        return client.get("/api/v1/hierarchy").text();
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
        rows.addAll(CommonRows.transport("/api/v1/orchestrators"));
        rows.addAll(CommonRows.paths("/api/v1/services"));
        rows.addAll(CommonRows.admin());
        rows.addAll(CommonRows.eventStream("/api/v1/events"));
        rows.addAll(CommonRows.jsonBody("POST", REGISTER_ORCHESTRATOR, "{\"url\":\"http://new:9100\",\"info\":{}}",
                LIMIT));
        rows.addAll(CommonRows.jsonBody("POST", REGISTER_SERVICE,
                "{\"url\":\"http://new:9101\",\"orchestrator_id\":\"" + EU + "\"}", LIMIT));
        rows.addAll(CommonRows.jsonBody("PUT", PING_US,
                "{\"services_digest\":\"0000000000000000\",\"service_count\":0}", LIMIT));
        rows.addAll(CommonRows.jsonBody("PUT", SET_US, "{\"services\":[]}", 16 * 1024 * 1024));
        rows.addAll(CommonRows.jsonBody("POST", BATCH_US, "{\"changes\":[]}", 16 * 1024 * 1024));
        rows.addAll(orchestratorRegistrations());
        rows.addAll(serviceRegistrations());
        rows.addAll(heartbeats());
        rows.addAll(completeSets());
        rows.addAll(batches());
        rows.addAll(idsAndQueries());
        rows.addAll(methodsAndMediaTypes());
        rows.addAll(credentials());
        return rows.stream();
    }

    /**
     * Every change without a key, with a forged key, with a header that is not a Bearer key, and with
     * another child's key on entries it does not own (the set-up registered them with the admin key).
     */
    static List<HostileRequest> credentials() {
        List<HostileRequest> changes = List.of(
                post(REGISTER_ORCHESTRATOR).json("{\"url\":\"http://new:9100\"}"),
                post(REGISTER_SERVICE).json("{\"url\":\"http://new:9101\",\"orchestrator_id\":\"" + EU + "\"}"),
                put(PING_US).json("{}"),
                put(SET_US).json("{\"services\":[]}"),
                post(BATCH_US).json("{\"changes\":[]}"),
                delete("/api/v1/orchestrators/" + US),
                delete("/api/v1/services/" + PAY));
        List<HostileRequest> rows = new ArrayList<>();
        for (HostileRequest change : changes) {
            rows.add(copy(change).named("no key").as(Credential.NONE).expect(401, UNAUTHORIZED));
            rows.add(copy(change).named("a forged key").as(Credential.FORGED).expect(401, UNAUTHORIZED));
            rows.add(copy(change).named("a Basic credential").as(Credential.NONE)
                    .header("Authorization", "Basic dXM6c2VjcmV0").expect(401, UNAUTHORIZED));
        }
        for (HostileRequest change : changes.subList(1, changes.size())) {
            rows.add(copy(change).named("another child's key").as(Credential.OTHER_CHILD).expect(403, FORBIDDEN));
        }
        rows.add(post(REGISTER_ORCHESTRATOR).named("another child's key taking this child's id")
                .json("{\"id\":\"" + US + "\",\"url\":\"http://us:9001\",\"region\":\"us-east\"}")
                .as(Credential.OTHER_CHILD).expect(403, FORBIDDEN));
        return rows;
    }

    private static HostileRequest copy(HostileRequest change) {
        HostileRequest copy = HostileRequest.request(change.method(), change.target());
        return change.body().length == 0 ? copy : copy.json(new String(change.body(), StandardCharsets.UTF_8));
    }

    static List<HostileRequest> orchestratorRegistrations() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(post(REGISTER_ORCHESTRATOR).named("no body").json("").expect(422, INVALID_BODY).naming("body"));
        rows.add(post(REGISTER_ORCHESTRATOR).named("a JSON null").json("null").expect(422, INVALID_BODY)
                .naming("body"));
        rows.add(post(REGISTER_ORCHESTRATOR).named("no url").json("{}").expect(422, INVALID_BODY).naming("body.url"));
        for (String url : List.of("null", "42", "[]", "{}", "true", "\"\"")) {
            rows.add(post(REGISTER_ORCHESTRATOR).named("url of the wrong type").json("{\"url\":" + url + "}")
                    .expect(422, INVALID_BODY).naming("body.url"));
        }
        rows.addAll(CommonRows.badUrls(REGISTER_ORCHESTRATOR, "{\"url\":%s}", "body.url"));
        rows.addAll(CommonRows.badInfos(REGISTER_ORCHESTRATOR, "{\"url\":\"http://new:9100\",\"info\":%s}",
                "body.info"));
        for (String region : List.of("\"us east\\n\"", "\"../../etc\"", "\"" + "r".repeat(65) + "\"", "42", "[\"us\"]",
                "\"us-east\\u0000\"", "\"\"")) {
            rows.add(post(REGISTER_ORCHESTRATOR).named("a region that is not a label")
                    .json("{\"url\":\"http://new:9100\",\"region\":" + region + "}").expect(422, INVALID_BODY)
                    .naming("body.region"));
        }
        rows.add(post(REGISTER_ORCHESTRATOR).named("a domain that is not a label")
                .json("{\"url\":\"http://new:9100\",\"domain\":\"<script>\"}").expect(422, INVALID_BODY)
                .naming("body.domain"));
        for (String id : List.of("\"" + US.toLowerCase() + "\"", "\"../../admin\"", "\"" + US + "Z\"", "42", "\"\"")) {
            rows.add(post(REGISTER_ORCHESTRATOR).named("an id that is not a ULID")
                    .json("{\"url\":\"http://new:9100\",\"id\":" + id + "}").expect(422, INVALID_BODY)
                    .naming("body.id"));
        }
        rows.add(post(REGISTER_ORCHESTRATOR).named("a misspelt field")
                .json("{\"url\":\"http://new:9100\",\"regoin\":\"us-east\"}").expect(422, INVALID_BODY)
                .naming("body.regoin"));
        rows.add(post(REGISTER_ORCHESTRATOR).named("prototype pollution")
                .json("{\"url\":\"http://new:9100\",\"__proto__\":{\"admin\":true}}").expect(422, INVALID_BODY)
                .naming("body.__proto__"));
        rows.add(post(REGISTER_ORCHESTRATOR).named("a field named 70 KB long")
                .json("{\"url\":\"http://new:9100\",\"" + "f".repeat(60_000) + "\":1}").expect(400, MALFORMED));
        rows.add(post(REGISTER_ORCHESTRATOR).named("url given twice")
                .json("{\"url\":\"http://new:9100\",\"url\":\"http://us:9001\"}").expect(400, MALFORMED));
        rows.add(post(REGISTER_ORCHESTRATOR).named("an info key given twice")
                .json("{\"url\":\"http://new:9100\",\"info\":{\"a\":1,\"a\":2}}").expect(400, MALFORMED));
        return rows;
    }

    static List<HostileRequest> serviceRegistrations() {
        List<HostileRequest> rows = new ArrayList<>();
        String body = "{\"url\":\"http://new:9101\",\"orchestrator_id\":\"%s\"}";
        rows.add(post(REGISTER_SERVICE).named("no orchestrator_id").json("{\"url\":\"http://new:9101\"}")
                .expect(422, INVALID_BODY).naming("body.orchestrator_id"));
        rows.add(post(REGISTER_SERVICE).named("an orchestrator_id that is not an id")
                .json(String.format(body, "us-east")).expect(422, INVALID_BODY).naming("body.orchestrator_id"));
        rows.add(post(REGISTER_SERVICE).named("an orchestrator_id as an object")
                .json("{\"url\":\"http://new:9101\",\"orchestrator_id\":{\"$ne\":null}}").expect(422, INVALID_BODY)
                .naming("body.orchestrator_id"));
        rows.add(post(REGISTER_SERVICE).named("an orchestrator no one registered")
                .json(String.format(body, NOBODY)).expect(404, "urn:canopy:problem:unknown-orchestrator"));
        rows.add(post(REGISTER_SERVICE).named("taking over another child's service id")
                .json("{\"id\":\"" + GDPR + "\",\"url\":\"http://new:9101\",\"orchestrator_id\":\"" + US + "\"}")
                .expect(409, "urn:canopy:problem:conflict"));
        rows.add(post(REGISTER_SERVICE).named("one service more than the child may hold")
                .json(String.format(body, US)).expect(409, "urn:canopy:problem:service-limit-reached"));
        rows.add(post(REGISTER_SERVICE).named("the limit, and an id of the child's own choosing")
                .json("{\"id\":\"" + NOBODY + "\",\"url\":\"http://new:9101\",\"orchestrator_id\":\"" + US + "\"}")
                .expect(409, "urn:canopy:problem:service-limit-reached"));
        rows.add(post(REGISTER_SERVICE).named("camelCase instead of the contract's names")
                .json("{\"url\":\"http://new:9101\",\"orchestratorId\":\"" + EU + "\"}").expect(422, INVALID_BODY));
        rows.add(post(REGISTER_SERVICE).named("an id that is not a ULID")
                .json("{\"id\":\"" + PAY.toLowerCase() + "\",\"url\":\"http://new:9101\",\"orchestrator_id\":\""
                        + EU + "\"}")
                .expect(422, INVALID_BODY).naming("body.id"));
        rows.addAll(CommonRows.badUrls(REGISTER_SERVICE, "{\"orchestrator_id\":\"" + EU + "\",\"url\":%s}", "body.url")
                .subList(0, 8));
        rows.addAll(CommonRows.badInfos(REGISTER_SERVICE,
                "{\"url\":\"http://new:9101\",\"orchestrator_id\":\"" + EU + "\",\"info\":%s}",
                "body.info").subList(0, 8));
        return rows;
    }

    static List<HostileRequest> heartbeats() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : List.of("\"services_digest\":\"zz\"", "\"services_digest\":\"00000000000000000\"",
                "\"services_digest\":42", "\"service_count\":-1", "\"service_count\":\"1\"", "\"service_count\":1.5",
                "\"service_count\":2147483648", "\"service_count\":1e400", "\"pending_forwards\":-5",
                "\"pending_forwards\":true", "\"in_sync\":true")) {
            rows.add(put(PING_US).named("a heartbeat field out of its type or range").json("{" + field + "}")
                    .expect(field.startsWith("\"in_sync") ? 422 : 422, INVALID_BODY));
        }
        String stats = "\"started_at\":\"2026-11-26T04:00:00Z\",\"services\":1,\"registrations\":1,"
                + "\"deregistrations\":0,\"evictions\":0,\"forwards_failed\":0,\"forwards_pending\":0,"
                + "\"reconciliations\":1";
        for (String[] bad : new String[][] {{"\"registrations\":1", "\"registrations\":-1"},
                {"\"evictions\":0", "\"evictions\":9007199254740992"}, {"\"services\":1", "\"services\":2147483648"},
                {"\"forwards_pending\":0", "\"forwards_pending\":\"0\""}, {"\"reconciliations\":1", "\"reconciliations\":1e400"},
                {"\"started_at\":\"2026-11-26T04:00:00Z\",", ""}, {"2026-11-26T04:00:00Z", "2026-13-45T99:00:00Z"},
                {"\"services\":1", "\"services\":1,\"secret\":1"}}) {
            rows.add(put(PING_US).named("heartbeat figures out of their type or range")
                    .json("{\"stats\":{" + stats.replace(bad[0], bad[1]) + "}}").expect(422, INVALID_BODY));
        }
        rows.add(put(PING_US).named("heartbeat figures that are not an object").json("{\"stats\":[1,2]}")
                .expect(422, INVALID_BODY).naming("body.stats"));
        rows.add(put("/api/v1/orchestrators/" + NOBODY + "/$ping").named("a heartbeat of no one")
                .json("{}").expect(404, NOT_FOUND));
        rows.add(put("/api/v1/orchestrators/" + US.toLowerCase() + "/$ping").named("a heartbeat for a lower-case id")
                .json("{}").expect(404, NOT_FOUND).naming("path.id"));
        return rows;
    }

    static List<HostileRequest> completeSets() {
        List<HostileRequest> rows = new ArrayList<>();
        String entry = "{\"id\":\"%s\",\"url\":\"http://s:1\"}";
        rows.add(put(SET_US).named("no services field").json("{}").expect(422, INVALID_BODY).naming("body.services"));
        rows.add(put(SET_US).named("services as an object").json("{\"services\":{}}").expect(422, INVALID_BODY)
                .naming("body.services"));
        rows.add(put(SET_US).named("services of strings").json("{\"services\":[\"" + PAY + "\"]}")
                .expect(422, INVALID_BODY).naming("body.services[0]"));
        rows.add(put(SET_US).named("an entry without an id or url").json("{\"services\":[{}]}")
                .expect(422, INVALID_BODY).naming("body.services[0].id"));
        rows.add(put(SET_US).named("an entry with a bad url")
                .json("{\"services\":[{\"id\":\"" + PAY + "\",\"url\":\"http://h:0\"}]}").expect(422, INVALID_BODY)
                .naming("body.services[0].url"));
        rows.add(put(SET_US).named("an entry with info nested too deep")
                .json("{\"services\":[{\"id\":\"" + PAY + "\",\"url\":\"http://s:1\","
                        + "\"info\":{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}}]}")
                .expect(422, INVALID_BODY).naming("body.services[0].info.a.b.c.d"));
        rows.add(put(SET_US).named("one id listed twice")
                .json("{\"services\":[" + String.format(entry, PAY) + "," + String.format(entry, PAY) + "]}")
                .expect(422, INVALID_BODY));
        rows.add(put(SET_US).named("more services than one child may hold")
                .json("{\"services\":[" + String.format(entry, PAY) + "," + String.format(entry, INV) + ","
                        + String.format(entry, NOBODY) + "]}").expect(422, INVALID_BODY).naming("body.services"));
        StringJoiner thousands = new StringJoiner(",", "{\"services\":[", "]}");
        for (int i = 0; i < 5_000; i++) {
            thousands.add(String.format(entry, "01JD5ZA" + String.format("%019d", i)));
        }
        rows.add(put(SET_US).named("5000 services in one set").json(thousands.toString()).expect(422, INVALID_BODY)
                .naming("body.services"));
        rows.add(put(SET_US).named("a set claiming another child's service")
                .json("{\"services\":[" + String.format(entry, GDPR) + "]}")
                .expect(409, "urn:canopy:problem:conflict"));
        rows.add(put("/api/v1/orchestrators/" + NOBODY + "/services").named("a set for no one")
                .json("{\"services\":[]}").expect(404, NOT_FOUND));
        return rows;
    }

    static List<HostileRequest> batches() {
        List<HostileRequest> rows = new ArrayList<>();
        String upsert = "{\"changes\":[{\"op\":\"upsert\",\"id\":\"%s\",\"url\":%s}]}";
        rows.add(post(BATCH_US).named("no changes field").json("{}").expect(422, INVALID_BODY).naming("body.changes"));
        rows.add(post(BATCH_US).named("changes as an object").json("{\"changes\":{}}").expect(422, INVALID_BODY)
                .naming("body.changes"));
        rows.add(post(BATCH_US).named("a change without an op").json("{\"changes\":[{\"id\":\"" + PAY + "\"}]}")
                .expect(422, INVALID_BODY).naming("body.changes[0].op"));
        rows.add(post(BATCH_US).named("an op that is not upsert or remove")
                .json("{\"changes\":[{\"op\":\"drop\",\"id\":\"" + PAY + "\"}]}").expect(422, INVALID_BODY)
                .naming("body.changes[0].op"));
        rows.add(post(BATCH_US).named("a change without an id").json("{\"changes\":[{\"op\":\"remove\"}]}")
                .expect(422, INVALID_BODY).naming("body.changes[0].id"));
        rows.add(post(BATCH_US).named("an upsert without a url")
                .json("{\"changes\":[{\"op\":\"upsert\",\"id\":\"" + PAY + "\"}]}").expect(422, INVALID_BODY)
                .naming("body.changes[0].url"));
        rows.add(post(BATCH_US).named("a removal carrying info")
                .json("{\"changes\":[{\"op\":\"remove\",\"id\":\"" + PAY + "\",\"info\":{\"a\":1}}]}")
                .expect(422, INVALID_BODY).naming("body.changes[0].info"));
        rows.add(post(BATCH_US).named("a valid removal, then an upsert with a bad url")
                .json("{\"changes\":[{\"op\":\"remove\",\"id\":\"" + PAY + "\"},"
                        + "{\"op\":\"upsert\",\"id\":\"" + PAY + "\",\"url\":\"http://h:0\"}]}")
                .expect(422, INVALID_BODY).naming("body.changes[1].url"));
        rows.add(post(BATCH_US).named("an upsert with info nested too deep")
                .json("{\"changes\":[{\"op\":\"upsert\",\"id\":\"" + PAY + "\",\"url\":\"http://s:1\","
                        + "\"info\":{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}}]}")
                .expect(422, INVALID_BODY).naming("body.changes[0].info.a.b.c.d"));
        StringJoiner many = new StringJoiner(",", "{\"changes\":[", "]}");
        for (int i = 0; i < 501; i++) {
            many.add("{\"op\":\"remove\",\"id\":\"01JD5ZA" + String.format("%019d", i) + "\"}");
        }
        rows.add(post(BATCH_US).named("501 changes in one batch").json(many.toString()).expect(422, INVALID_BODY)
                .naming("body.changes"));
        rows.add(post(BATCH_US).named("a batch removing another child's service")
                .json("{\"changes\":[{\"op\":\"remove\",\"id\":\"" + GDPR + "\"}]}")
                .expect(409, "urn:canopy:problem:conflict").naming("body.changes[0].id"));
        rows.add(post(BATCH_US).named("a batch beyond the child's service limit")
                .json(String.format(upsert, NOBODY, "\"http://s:1\"")).expect(409,
                        "urn:canopy:problem:service-limit-reached").naming("body.changes[0]"));
        rows.add(post("/api/v1/orchestrators/" + NOBODY + "/services/$batch").named("a batch for no one")
                .json("{\"changes\":[]}").expect(404, NOT_FOUND));
        return rows;
    }

    static List<HostileRequest> idsAndQueries() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String id : List.of(NOBODY, US.toLowerCase(), US + "0", US.substring(1), "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
                "%3Cscript%3Ealert(1)%3C%3E", "01JD5Z8Q3M7W8Y6KX2T4R9B1C%C3%89", "%20" + US, "..%20",
                "'%20OR%201=1--", "$ne")) {
            String expected = id.equals(NOBODY) ? "no such id" : "an id that cannot exist";
            rows.add(get("/api/v1/orchestrators/" + id).named(expected).expect(404, NOT_FOUND));
            rows.add(delete("/api/v1/services/" + id).named(expected).expect(404, NOT_FOUND));
        }
        rows.add(get("/api/v1/services/" + PAY.toLowerCase()).named("a lower-case service id").expect(404, NOT_FOUND)
                .naming("path.id"));
        rows.add(delete("/api/v1/orchestrators/" + NOBODY).named("deregistering no one").expect(404, NOT_FOUND));
        rows.add(delete("/api/v1/orchestrators/" + US.toLowerCase()).named("deregistering a lower-case id")
                .expect(404, NOT_FOUND));
        rows.add(get("/api/v1/orchestrators/" + US + "%2F..%2F" + EU).named("an encoded slash inside an id")
                .expect(400, BLANK).outsideContract());
        rows.add(get("/api/v1/services/%3Cscript%3E%3C%2Fscript%3E").named("markup with an encoded slash as an id")
                .expect(400, BLANK).outsideContract());
        for (String filter : List.of("nope", "", US.toLowerCase(), "%00", "nope&orchestrator_id=" + US,
                "%27%20OR%201%3D1", "%ZZ")) {
            rows.add(get("/api/v1/services?orchestrator_id=" + filter).named("a filter that is not an id")
                    .expect(400, "urn:canopy:problem:invalid-parameter").naming("query.orchestrator_id"));
        }
        rows.addAll(CommonRows.paging("/api/v1/services"));
        rows.addAll(CommonRows.paging("/api/v1/orchestrators"));
        rows.addAll(CommonRows.paging("/api/v1/services?orchestrator_id=" + US + "&"));
        rows.addAll(CommonRows.paging("/api/v1/hierarchy", 100));
        rows.add(delete("/api/v1/services/" + PAY).named("a 70 KB body on a deregistration")
                .body(new byte[70_000], "application/json").expect(413, BLANK).outsideContract());
        return rows;
    }

    static List<HostileRequest> methodsAndMediaTypes() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(get(REGISTER_ORCHESTRATOR).named("reading a write-only operation (taken for an id)")
                .expect(404, NOT_FOUND).outsideContract());
        rows.add(put(REGISTER_SERVICE).named("PUT on a POST operation").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(post("/api/v1/orchestrators/" + US).named("POST on an orchestrator").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(get(PING_US).named("GET on a heartbeat").expect(405, BLANK).outsideContract());
        rows.add(post(SET_US).named("POST on a complete set").json("{\"services\":[]}").expect(405, BLANK)
                .outsideContract());
        rows.add(delete("/api/v1/hierarchy").named("DELETE on the hierarchy").expect(405, BLANK).outsideContract());
        rows.add(delete("/api/v1/hierarchy/summary").named("DELETE on the summary").expect(405, BLANK)
                .outsideContract());
        rows.add(post("/api/v1/hierarchy/summary").named("POST on the summary").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(get("/api/v1/hierarchy/summary/" + US).named("an orchestrator's summary by a path not in the contract")
                .expect(404, BLANK).outsideContract());
        rows.add(post("/api/v1/services").named("POST on the service list").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(post("/health").named("POST on health").json("{}").expect(405, BLANK).outsideContract());
        rows.add(post("/metrics").named("POST on metrics").json("{}").expect(405, BLANK).outsideContract());
        rows.add(post("/openapi/parent.yaml").named("POST on the document").json("{}").expect(405, BLANK)
                .outsideContract());
        rows.add(get("/openapi/%2e%2e/%2e%2e/etc/passwd").named("climbing out of the documents").expect(400, BLANK)
                .outsideContract());
        rows.add(get("/openapi/child.yaml").named("another app's document").expect(404, BLANK).outsideContract());
        rows.add(get("/ui/%2e%2e/%2e%2e/etc/passwd").named("climbing out of the hierarchy page").expect(400, BLANK)
                .outsideContract());
        rows.add(put("/ui/index.html").named("PUT on the hierarchy page").json("{}").expect(405, BLANK)
                .outsideContract());
        for (String path : List.of("/api/v1/hierarchy", "/api/v1/hierarchy/summary", "/api/v1/orchestrators",
                "/api/v1/services",
                "/api/v1/orchestrators/" + US, "/api/v1/services/" + PAY, "/health", "/metrics")) {
            rows.add(get(path).named("an answer only in XML").header("Accept", "application/xml").expect(406, BLANK));
        }
        return rows;
    }
}
