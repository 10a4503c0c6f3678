package dev.canopy.example;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.auth.AuthFactory;
import dev.canopy.core.limits.LimitsFactory;
import dev.canopy.core.tls.AdvertisedUrl;
import dev.canopy.core.upstream.UpstreamFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public class ExampleServiceConfiguration extends Configuration {
    @NotBlank
    private String serviceName = "Example Service";

    @NotBlank
    private String serviceVersion = "1.0.0";

    /**
     * Where its orchestrator and clients reach it: http://SERVICE_HOST:SERVICE_PORT, see
     * {@link #effectiveAdvertisedUrl()}.
     */
    @NotNull
    @Pattern(regexp = "^https?://[^\\s/?#@]+(/.*)?$")
    private String advertisedUrl = "http://localhost:8000";

    /**
     * The child orchestrator (ORCHESTRATOR_URL): its base URL, or its {@code /services/$register} URL,
     * also in the forms a shell or compose leaves of it ({@code /services/}, {@code /services}).
     */
    @Valid
    @NotNull
    private UpstreamFactory orchestrator = new UpstreamFactory();

    /** How large a request body may be. */
    @Valid
    @NotNull
    private LimitsFactory limits = new LimitsFactory();

    /** Keys: its own reads (if CANOPY_READ_ACCESS=key) and admin pages; it takes no changes. */
    @Valid
    @NotNull
    private AuthFactory auth = new AuthFactory();

    @ValidationMethod(message = "orchestrator.key: no key to present to the child orchestrator. Set "
            + "CANOPY_SERVICE_KEY to one of the child's CANOPY_SERVICE_KEYS, or CANOPY_AUTH=disabled on a "
            + "trusted network")
    @JsonIgnore
    public boolean isOrchestratorKeyConfigured() {
        return !auth.isEnabled() || orchestrator.hasKey();
    }

    public ExampleServiceConfiguration() {
        orchestrator.setRegistrationDelay(Duration.milliseconds(500));
    }

    @ValidationMethod(message = "orchestrator.url must be an absolute http(s) URL: set ORCHESTRATOR_URL, e.g. http://localhost:9001")
    @JsonIgnore
    public boolean isOrchestratorUrlValid() {
        try {
            orchestratorBaseUrl();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code advertisedUrl}, made {@code https://} when this service serves TLS. */
    public String effectiveAdvertisedUrl() {
        return AdvertisedUrl.of(advertisedUrl, getServerFactory());
    }

    /** The child's base URL, whichever of the accepted forms was configured. */
    public String orchestratorBaseUrl() {
        return orchestrator.baseUrl("/services/$register", "/services/%24register", "/services");
    }

    @JsonProperty
    public String getServiceName() {
        return serviceName;
    }

    @JsonProperty
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    @JsonProperty
    public String getServiceVersion() {
        return serviceVersion;
    }

    @JsonProperty
    public void setServiceVersion(String serviceVersion) {
        this.serviceVersion = serviceVersion;
    }

    @JsonProperty
    public String getAdvertisedUrl() {
        return advertisedUrl;
    }

    @JsonProperty
    public void setAdvertisedUrl(String advertisedUrl) {
        this.advertisedUrl = advertisedUrl;
    }

    @JsonProperty
    public LimitsFactory getLimits() {
        return limits;
    }

    @JsonProperty
    public void setLimits(LimitsFactory limits) {
        this.limits = limits;
    }

    @JsonProperty
    public AuthFactory getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthFactory auth) {
        this.auth = auth;
    }

    @JsonProperty
    public UpstreamFactory getOrchestrator() {
        return orchestrator;
    }

    @JsonProperty
    public void setOrchestrator(UpstreamFactory orchestrator) {
        this.orchestrator = orchestrator;
    }
}
