package dev.canopy.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.canopy.core.auth.OperationSecurity.Requirement;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each app's document declares, read the way the apps enforce it. */
class OperationSecurityTest {
    @Test
    void theParentTakesChildKeysForEveryChangeAndReadKeysForReads() {
        assertThat(kindsByOperation("parent")).isEqualTo(Map.ofEntries(
                entry("registerOrchestrator", Set.of(KeyKind.CHILD)),
                entry("pingOrchestrator", Set.of(KeyKind.CHILD)),
                entry("replaceOrchestratorServices", Set.of(KeyKind.CHILD)),
                entry("listOrchestratorServiceDigests", Set.of(KeyKind.CHILD)),
                entry("applyOrchestratorServiceChanges", Set.of(KeyKind.CHILD)),
                entry("deregisterOrchestrator", Set.of(KeyKind.CHILD)),
                entry("registerService", Set.of(KeyKind.CHILD)),
                entry("deregisterService", Set.of(KeyKind.CHILD)),
                entry("listOrchestrators", Set.of(KeyKind.READ)),
                entry("getOrchestrator", Set.of(KeyKind.READ)),
                entry("listServices", Set.of(KeyKind.READ)),
                entry("getService", Set.of(KeyKind.READ)),
                entry("getHierarchy", Set.of(KeyKind.READ)),
                entry("getHierarchySummary", Set.of(KeyKind.READ)),
                entry("streamEvents", Set.of(KeyKind.READ)),
                entry("getMetrics", Set.of(KeyKind.READ))));
        assertThat(OperationSecurity.of("parent").find("getHealth"))
                .hasValueSatisfying(health -> assertThat(health.open()).isTrue());
    }

    @Test
    void aChildTakesServiceKeysForEveryChange() {
        assertThat(kindsByOperation("child")).isEqualTo(Map.of(
                "registerService", Set.of(KeyKind.SERVICE),
                "pingService", Set.of(KeyKind.SERVICE),
                "deregisterService", Set.of(KeyKind.SERVICE),
                "listServices", Set.of(KeyKind.READ),
                "getService", Set.of(KeyKind.READ),
                "getOrchestratorInfo", Set.of(KeyKind.READ),
                "streamEvents", Set.of(KeyKind.READ),
                "getMetrics", Set.of(KeyKind.READ)));
    }

    @Test
    void theExampleServiceOnlyReadsAndEveryAppsMetricsAreARead() {
        assertThat(kindsByOperation("example-service")).isEqualTo(Map.of("getIdentity", Set.of(KeyKind.READ),
                "getMetrics", Set.of(KeyKind.READ)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"parent", "child", "example-service"})
    void theJsonRenderingReadAtStartUpSaysWhatTheServedYamlSays(String document) throws Exception {
        com.fasterxml.jackson.databind.JsonNode served;
        try (InputStream in = OperationSecurity.class.getResourceAsStream("/openapi/" + document + ".yaml")) {
            served = new YAMLMapper().readTree(in);
        }

        assertThat(OperationSecurity.of(document).all())
                .isNotEmpty()
                .isEqualTo(OperationSecurity.of(document, served).all());
    }

    @Test
    void anOperationThatDoesNotDeclareItsSecurityIsRefusedNotOpen() throws Exception {
        assertThatThrownBy(() -> OperationSecurity.of("test", yaml("""
                paths:
                  /things:
                    get:
                      operationId: listThings
                """))).hasMessageContaining("GET /things does not declare its security");
        assertThatThrownBy(() -> OperationSecurity.of("test", yaml("""
                paths:
                  /things:
                    post:
                      operationId: addThing
                      security: [canopyKey: []]
                """))).hasMessageContaining("does not say which kind");
        assertThatThrownBy(() -> OperationSecurity.of("test", yaml("""
                paths:
                  /things:
                    post:
                      operationId: addThing
                      security: [canopyKey: []]
                      x-canopy-keys: [superuser]
                """))).hasMessageContaining("unknown kind of key 'superuser'");
    }

    private static Map<String, Set<KeyKind>> kindsByOperation(String document) {
        return OperationSecurity.of(document).all().values().stream()
                .filter(requirement -> !requirement.open())
                .collect(Collectors.toMap(Requirement::operationId, Requirement::kinds));
    }

    private static com.fasterxml.jackson.databind.JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text);
    }
}
