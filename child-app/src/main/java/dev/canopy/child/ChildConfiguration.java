package dev.canopy.child;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.upstream.BackoffFactory;
import dev.canopy.core.upstream.UpstreamClients;
import dev.canopy.core.upstream.UpstreamUrls;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public class ChildConfiguration extends Configuration {
    private static final String LABEL = "^\\s*$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    /** The parent orchestrator's base URL (PARENT_ORCHESTRATOR_URL); {@code /api/v1} may be included. */
    @NotNull
    private String parentUrl;

    /** Blank or a name like {@code us-east}: what the parent accepts as a region or domain. */
    @Pattern(regexp = LABEL)
    private String region;

    @Pattern(regexp = LABEL)
    private String domain;

    /** The URL the parent and its clients reach this child at: http://CHILD_HOST:CHILD_PORT. */
    @NotNull
    @Pattern(regexp = "^https?://[^\\s/?#@]+(/.*)?$")
    private String advertisedUrl = "http://localhost:9001";

    /** How long to wait after start-up before the first registration with the parent. */
    @NotNull
    private Duration registrationDelay = Duration.seconds(2);

    /** How long stopping may wait for the deregistration from the parent. */
    @NotNull
    private Duration deregistrationTimeout = Duration.seconds(5);

    @Valid
    @NotNull
    private BackoffFactory retry = new BackoffFactory();

    @Valid
    @NotNull
    private JerseyClientConfiguration parentClient = UpstreamClients.defaultConfiguration();

    @ValidationMethod(message = "parentUrl must be an absolute http(s) URL: set PARENT_ORCHESTRATOR_URL, e.g. http://localhost:9000")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isParentUrlValid() {
        try {
            parentBaseUrl();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The parent's base URL without a trailing slash or {@code /api/v1}. */
    public String parentBaseUrl() {
        return UpstreamUrls.baseOf(parentUrl, "/api/v1");
    }

    /** The region or domain this orchestrator serves, or {@code default}. */
    public String scopeName() {
        if (getRegion() != null) {
            return getRegion();
        }
        return getDomain() != null ? getDomain() : "default";
    }

    public String level() {
        return getRegion() == null && getDomain() != null ? "domain" : "regional";
    }

    @JsonProperty
    public String getParentUrl() {
        return parentUrl;
    }

    @JsonProperty
    public void setParentUrl(String parentUrl) {
        this.parentUrl = parentUrl;
    }

    /** Blank (an unset ORCHESTRATOR_REGION) means none. */
    @JsonProperty
    public String getRegion() {
        return blankToNull(region);
    }

    @JsonProperty
    public void setRegion(String region) {
        this.region = region;
    }

    @JsonProperty
    public String getDomain() {
        return blankToNull(domain);
    }

    @JsonProperty
    public void setDomain(String domain) {
        this.domain = domain;
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
    public JerseyClientConfiguration getParentClient() {
        return parentClient;
    }

    @JsonProperty
    public void setParentClient(JerseyClientConfiguration parentClient) {
        this.parentClient = parentClient;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
