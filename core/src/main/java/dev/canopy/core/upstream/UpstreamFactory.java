package dev.canopy.core.upstream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.core.CanopyVersion;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The orchestrator above an app, in its YAML ({@code parent:} for a child, {@code orchestrator:} for
 * a service): where it is, the key to present there, when to register, how to retry, and the HTTP
 * client that calls it.
 */
public class UpstreamFactory {
    /** What a Bearer credential may be made of (RFC 6750's b64token). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    @NotNull
    private String url;

    /**
     * The key sent to the upstream as {@code Authorization: Bearer <key>} (CANOPY_CHILD_KEY,
     * CANOPY_SERVICE_KEY); blank sends none. Write-only: nothing reads it back out of the configuration.
     */
    private String key;

    /** How long after the server has started serving the first registration is tried. */
    @NotNull
    private Duration registrationDelay = Duration.seconds(2);

    /** How long stopping may wait for the deregistration. */
    @NotNull
    private Duration deregistrationTimeout = Duration.seconds(5);

    @Valid
    @NotNull
    private BackoffFactory retry = new BackoffFactory();

    @Valid
    @NotNull
    private JerseyClientConfiguration client = UpstreamClients.defaultConfiguration();

    /** The upstream's base URL, with any of {@code suffixes} (paths people append) taken off. */
    public String baseUrl(String... suffixes) {
        return UpstreamUrls.baseOf(url, suffixes);
    }

    /**
     * A generated-API client for the upstream at {@code baseUrl}, on a Dropwizard-managed HTTP client,
     * sending the {@link #hasKey key} with every operation the upstream's document says takes one.
     */
    public ApiClient buildApiClient(Environment environment, String name, String baseUrl) {
        ApiClient api = new UpstreamApiClient()
                .setHttpClient(UpstreamClients.build(environment, client, name))
                .setBasePath(baseUrl)
                .setUserAgent("canopy-" + environment.getName() + "/" + CanopyVersion.current());
        return hasKey() ? api.setBearerToken(key.trim()) : api;
    }

    @JsonIgnore
    public boolean hasKey() {
        return key != null && !key.isBlank();
    }

    @ValidationMethod(message = "the key sent upstream (CANOPY_CHILD_KEY, CANOPY_SERVICE_KEY) must be the key "
            + "itself (letters, digits, - . _ ~ + /), not a sha256: hash: the upstream hashes what it is sent")
    @JsonIgnore
    public boolean isKeySendable() {
        return !hasKey() || TOKEN.matcher(key.trim()).matches();
    }

    /** The single thread every registration attempt runs on, stopped with the app. */
    public ScheduledExecutorService buildRegistrationExecutor(Environment environment, String name) {
        return environment.lifecycle().scheduledExecutorService(name).threads(1).build();
    }

    @JsonProperty
    public void setKey(String key) {
        this.key = key;
    }

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public Duration getRegistrationDelay() {
        return registrationDelay;
    }

    @JsonProperty
    public void setRegistrationDelay(Duration registrationDelay) {
        this.registrationDelay = registrationDelay;
    }

    @JsonProperty
    public Duration getDeregistrationTimeout() {
        return deregistrationTimeout;
    }

    @JsonProperty
    public void setDeregistrationTimeout(Duration deregistrationTimeout) {
        this.deregistrationTimeout = deregistrationTimeout;
    }

    @JsonProperty
    public BackoffFactory getRetry() {
        return retry;
    }

    @JsonProperty
    public void setRetry(BackoffFactory retry) {
        this.retry = retry;
    }

    @JsonProperty
    public JerseyClientConfiguration getClient() {
        return client;
    }

    /**
     * A {@code client} block in a config file is laid over {@link UpstreamClients#defaultConfiguration()}
     * rather than replacing it with Dropwizard's defaults, so a file that sets only, say, TLS still
     * keeps its connections between calls.
     */
    @JsonProperty
    @JsonMerge
    public void setClient(JerseyClientConfiguration client) {
        this.client = client;
    }
}
