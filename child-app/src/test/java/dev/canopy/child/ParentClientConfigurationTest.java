package dev.canopy.child;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

class ParentClientConfigurationTest {
    @Test
    void theClientToTheParentDoesNotCheckItsConnectionBeforeEveryForward() throws Exception {
        // 0 (Dropwizard's default) runs a stale check, a read that waits 1 ms, before each call.
        assertThat(shipped().getParent().getClient().getValidateAfterInactivityPeriod())
                .isGreaterThanOrEqualTo(Duration.seconds(1));
    }

    @Test
    void theClientToTheParentKeepsItsConnectionsBetweenForwards() throws Exception {
        // 0 (Dropwizard's default) closes the connection after every call: each forward connected anew.
        assertThat(shipped().getParent().getClient().getKeepAlive()).isGreaterThan(Duration.seconds(0));
    }

    /** The shipped file as the app reads it: ${VAR:-default} filled in, unset variables left blank. */
    private static ChildConfiguration shipped() throws Exception {
        return new YamlConfigurationFactory<>(ChildConfiguration.class, null, Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)), "config.yml");
    }
}
