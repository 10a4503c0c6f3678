package dev.canopy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamUrlsTest {
    private static final String[] CHILD_SUFFIXES = {"/services/$register", "/services/%24register", "/services"};

    /** What people write for ORCHESTRATOR_URL, including what a shell or compose leaves of `$register`. */
    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost:9001/services/$register",
        "http://localhost:9001/services/%24register",
        "http://localhost:9001/services/",
        "http://localhost:9001/services",
        "http://localhost:9001/",
        "http://localhost:9001",
        "  http://localhost:9001  "
    })
    void everyFormOfTheChildUrlGivesItsBase(String configured) {
        assertThat(UpstreamUrls.baseOf(configured, CHILD_SUFFIXES)).isEqualTo("http://localhost:9001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://parent:9000", "http://parent:9000/", "http://parent:9000/api/v1",
        "http://parent:9000/api/v1/"})
    void theParentUrlMayIncludeTheApiPrefix(String configured) {
        assertThat(UpstreamUrls.baseOf(configured, "/api/v1")).isEqualTo("http://parent:9000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "localhost:9001", "ftp://host/x", "${PARENT_ORCHESTRATOR_URL}", "http://"})
    void refusesWhatIsNotAnAbsoluteHttpUrl(String configured) {
        assertThatThrownBy(() -> UpstreamUrls.baseOf(configured, "/api/v1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void keepsAContextPathThatIsNotASuffix() {
        assertThat(UpstreamUrls.baseOf("https://gw.example:8443/canopy/us/services/$register", CHILD_SUFFIXES))
                .isEqualTo("https://gw.example:8443/canopy/us");
    }
}
