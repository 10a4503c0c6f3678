package dev.canopy.core.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.client.ssl.TlsConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.ws.rs.client.Client;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;

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
     *
     * <p>It is built on its first call, off the path to serving (see {@link OnFirstUseClient}), unless
     * TLS names a key or trust store: those files are read at start-up, so a wrong path or password
     * stops the app instead of failing every call. Either way it is closed when the app stops.
     */
    public static Client build(Environment environment, JerseyClientConfiguration configuration, String name) {
        // What JerseyClientBuilder(environment) would take from the environment, taken now; building
        // later must not add to a lifecycle that has already started.
        ExecutorService executor = environment.lifecycle().executorService("jersey-client-" + name + "-%d")
                .minThreads(configuration.getMinThreads())
                .maxThreads(configuration.getMaxThreads())
                .workQueue(new ArrayBlockingQueue<>(configuration.getWorkQueueSize()))
                .build();
        ObjectMapper mapper = environment.getObjectMapper().copy()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        OnFirstUseClient client = new OnFirstUseClient(() -> new JerseyClientBuilder(environment.metrics())
                .name(environment.getName())
                .using(configuration)
                .using(executor, mapper)
                .using(environment.getValidator())
                .build(name));
        environment.lifecycle().manage(client);
        if (readsStores(configuration.getTlsConfiguration())) {
            client.buildNow();
        }
        return client;
    }

    private static boolean readsStores(TlsConfiguration tls) {
        return tls != null && (tls.getKeyStorePath() != null || tls.getTrustStorePath() != null);
    }
}
