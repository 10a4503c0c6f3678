package dev.canopy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract oracle must fail on what the documents do not say, or it proves nothing. */
class OpenApiContractTest {
    private final OpenApiContract parent = OpenApiContract.of("parent");
    private static final String ORCHESTRATOR = """
            {"id":"01M8A595AF1DYM3V123VW351TP","url":"http://localhost:9001","info":{},"region":"us-east",
             "domain":null,"registered_at":"2026-11-25T20:10:17.29Z","last_updated":"2026-11-25T20:10:17.29Z",
             "service_count":0,"status":"alive","last_ping_at":"2026-11-25T20:10:17.29Z",
             "expires_at":"2026-11-25T20:10:47.29Z",
             "sync":{"last_sync_at":null,"pending_forwards":null,"in_sync":null,"services_digest":"0000000000000000"}}""";

    @Test
    void acceptsADocumentedResponse() {
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 200,
                "application/json", ORCHESTRATOR)).isEmpty();
    }

    @Test
    void rejectsAnUndocumentedField() {
        String withExtra = ORCHESTRATOR.replace("\"service_count\":0", "\"service_count\":0,\"secret\":1");
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 200,
                "application/json", withExtra)).isNotEmpty();
    }

    @Test
    void rejectsAMissingRequiredFieldAndAWrongType() {
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 200,
                "application/json", ORCHESTRATOR.replace("\"region\":\"us-east\",", ""))).isNotEmpty();
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 200,
                "application/json", ORCHESTRATOR.replace("\"2026-11-25T20:10:17.29Z\"", "1795637417"))).isNotEmpty();
    }

    @Test
    void rejectsAnUndocumentedStatusPathOrContentType() {
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 500,
                "application/problem+json", "{\"type\":\"x\",\"title\":\"x\",\"status\":500}")).isNotEmpty();
        assertThat(parent.violations("GET", "/api/v1/nowhere", 200, "application/json", "{}")).isNotEmpty();
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 200,
                "text/html", ORCHESTRATOR)).isNotEmpty();
    }

    @Test
    void checksProblemsToo() {
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 404,
                "application/problem+json",
                "{\"type\":\"urn:canopy:problem:not-found\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"No orchestrator\",\"instance\":\"/x\",\"invalid_params\":null}")).isEmpty();
        assertThat(parent.violations("GET", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 404,
                "application/problem+json", "{\"code\":404,\"message\":\"HTTP 404 Not Found\"}")).isNotEmpty();
    }

    @Test
    void aRefusalForWantOfAKeyMustCarryItsChallenge() {
        String problem = "{\"type\":\"urn:canopy:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"This operation needs a key\",\"instance\":\"/x\",\"invalid_params\":null}";
        assertThat(parent.violations("DELETE", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 401,
                "application/problem+json", problem, Map.of())).isNotEmpty();
        assertThat(parent.violations("DELETE", "/api/v1/orchestrators/01M8A595AF1DYM3V123VW351TP", 401,
                "application/problem+json", problem, Map.of("WWW-Authenticate", List.of("Bearer realm=\"canopy\""))))
                .isEmpty();
    }
}
