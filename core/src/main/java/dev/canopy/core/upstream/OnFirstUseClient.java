package dev.canopy.core.upstream;

import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;

/**
 * A JAX-RS client that is built by its first caller, and closed when the app stops if it ever was.
 *
 * <p>Why: building Dropwizard's client loads Jersey's client runtime, Apache HttpClient and the JVM's
 * TLS stack (metrics-httpclient5 creates its default https socket factory whether or not https is
 * used), about 600 classes. In {@code run} that delayed a child's first answer by about 0.4 s on one
 * core, while its first call upstream comes only after the server serves (docs/performance.md).
 */
final class OnFirstUseClient implements Client, Managed {
    private final Supplier<Client> build;
    private final Object lock = new Object();
    private volatile Client client;
    private boolean closed;

    OnFirstUseClient(Supplier<Client> build) {
        this.build = Objects.requireNonNull(build);
    }

    /** Whether a caller has needed the client yet. */
    boolean isBuilt() {
        return client != null;
    }

    /** Builds the client now, on this thread, if nothing has yet. */
    void buildNow() {
        client();
    }

    private Client client() {
        Client built = client;
        if (built != null) {
            return built;
        }
        synchronized (lock) {
            if (client == null) {
                if (closed) {
                    throw new IllegalStateException("the HTTP client was closed: the app is stopping");
                }
                client = build.get();
            }
            return client;
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (client != null) {
                client.close();
            }
        }
    }

    @Override
    public WebTarget target(String uri) {
        return client().target(uri);
    }

    @Override
    public WebTarget target(URI uri) {
        return client().target(uri);
    }

    @Override
    public WebTarget target(UriBuilder uriBuilder) {
        return client().target(uriBuilder);
    }

    @Override
    public WebTarget target(Link link) {
        return client().target(link);
    }

    @Override
    public Invocation.Builder invocation(Link link) {
        return client().invocation(link);
    }

    @Override
    public SSLContext getSslContext() {
        return client().getSslContext();
    }

    @Override
    public HostnameVerifier getHostnameVerifier() {
        return client().getHostnameVerifier();
    }

    @Override
    public Configuration getConfiguration() {
        return client().getConfiguration();
    }

    @Override
    public Client property(String name, Object value) {
        client().property(name, value);
        return this;
    }

    @Override
    public Client register(Class<?> componentClass) {
        client().register(componentClass);
        return this;
    }

    @Override
    public Client register(Class<?> componentClass, int priority) {
        client().register(componentClass, priority);
        return this;
    }

    @Override
    public Client register(Class<?> componentClass, Class<?>... contracts) {
        client().register(componentClass, contracts);
        return this;
    }

    @Override
    public Client register(Class<?> componentClass, Map<Class<?>, Integer> contracts) {
        client().register(componentClass, contracts);
        return this;
    }

    @Override
    public Client register(Object component) {
        client().register(component);
        return this;
    }

    @Override
    public Client register(Object component, int priority) {
        client().register(component, priority);
        return this;
    }

    @Override
    public Client register(Object component, Class<?>... contracts) {
        client().register(component, contracts);
        return this;
    }

    @Override
    public Client register(Object component, Map<Class<?>, Integer> contracts) {
        client().register(component, contracts);
        return this;
    }
}
