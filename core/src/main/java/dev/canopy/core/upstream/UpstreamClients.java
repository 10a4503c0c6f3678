package dev.canopy.core.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.ws.rs.client.Client;

/** HTTP clients for calling an upstream orchestrator, built the Dropwizard way (pooled, metered, managed). */
public final class UpstreamClients {
    private UpstreamClients() {
    }

    /** Timeouts for a peer on the same network, instead of Dropwizard's 500 ms defaults. */
    public static JerseyClientConfiguration defaultConfiguration() {
        JerseyClientConfiguration client = new JerseyClientConfiguration();
        client.setTimeout(Duration.seconds(5));
        client.setConnectionTimeout(Duration.seconds(2));
        client.setConnectionRequestTimeout(Duration.seconds(2));
        // The peer is another Canopy app; gzipping small request bodies would only cost CPU on both sides.
        client.setGzipEnabledForRequests(false);
        // Dropwizard's 0 closes the connection after every call: each forward would open a new one.
        // Below Jetty's 30 s idle timeout, so the peer does not close a connection about to be reused.
        client.setKeepAlive(Duration.seconds(20));
        client.setValidateAfterInactivityPeriod(Duration.seconds(2));
        return client;
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
