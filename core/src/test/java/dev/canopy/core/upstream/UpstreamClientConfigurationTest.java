package dev.canopy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpstreamClientConfigurationTest {
    @Test
    void aClientBlockThatSetsOneThingKeepsCanopysDefaultsForTheRest() throws Exception {
        UpstreamFactory upstream = read("""
                url: http://parent:9000
                client:
                  timeout: 3s
                """);

        assertThat(upstream.getClient().getTimeout()).isEqualTo(Duration.seconds(3));
        // Dropwizard's own defaults would be 0: a new connection for every call, and a stale check before each.
        assertThat(upstream.getClient().getKeepAlive()).isEqualTo(Duration.seconds(20));
        assertThat(upstream.getClient().getValidateAfterInactivityPeriod()).isEqualTo(Duration.seconds(2));
        assertThat(upstream.getClient().getConnectionTimeout()).isEqualTo(Duration.seconds(2));
    }

    @Test
    void aFileWithoutAClientBlockGetsCanopysDefaults() throws Exception {
        UpstreamFactory upstream = read("url: http://parent:9000\n");

        assertThat(upstream.getClient().getKeepAlive()).isEqualTo(Duration.seconds(20));
        assertThat(upstream.getClient().getTimeout()).isEqualTo(Duration.seconds(5));
    }

    @Test
    void eachUpstreamHasItsOwnDefaults() throws Exception {
        UpstreamFactory first = read("url: http://a:9000\nclient:\n  timeout: 3s\n");
        UpstreamFactory second = read("url: http://b:9000\n");

        assertThat(second.getClient()).isNotSameAs(first.getClient());
        assertThat(second.getClient().getTimeout()).isEqualTo(Duration.seconds(5));
    }

    private static UpstreamFactory read(String yaml) throws Exception {
        return new YamlConfigurationFactory<>(UpstreamFactory.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw")
                .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "upstream.yml");
    }
}
