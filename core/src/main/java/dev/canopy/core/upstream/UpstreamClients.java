package dev.canopy.core.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.client.Client;

/** HTTP clients for calling an upstream orchestrator, built the Dropwizard way (pooled, metered, managed). */
public final class UpstreamClients {
    private UpstreamClients() {
    }

    /**
     * A client that reads tolerantly: a newer upstream may answer with fields this version does not
     * know yet, and that must not break the link.
     */
    public static Client build(Environment environment, JerseyClientConfiguration configuration, String name) {
        return new JerseyClientBuilder(environment)
                .using(configuration)
                .using(environment.getObjectMapper().copy()
                        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
                .build(name);
    }
}
