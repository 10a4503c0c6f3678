package dev.canopy.child;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.auth.AuthFactory;
import dev.canopy.core.auth.KeyKind;
import dev.canopy.core.lease.LeaseFactory;
import dev.canopy.core.events.EventsFactory;
import dev.canopy.core.limits.LimitsFactory;
import dev.canopy.core.tls.AdvertisedUrl;
import dev.canopy.core.upstream.UpstreamFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import java.util.concurrent.TimeUnit;
import io.dropwizard.core.Configuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public class ChildConfiguration extends Configuration {
    /** Blank (an unset variable) or a name the parent accepts as a region or domain, like {@code us-east}. */
    private static final String LABEL = "^\\s*$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    @Pattern(regexp = LABEL)
    private String region;

    @Pattern(regexp = LABEL)
    private String domain;

    /**
     * The URL the parent and its clients reach this child at: http://CHILD_HOST:CHILD_PORT, see
     * {@link #effectiveAdvertisedUrl()}.
     */
    @NotNull
    @Pattern(regexp = "^https?://[^\\s/?#@]+(/.*)?$")
    private String advertisedUrl = "http://localhost:9001";

    /** The parent orchestrator; its url (PARENT_ORCHESTRATOR_URL) may include {@code /api/v1}. */
    @Valid
    @NotNull
    private UpstreamFactory parent = new UpstreamFactory();

    /** The leases services hold here. */
    @Valid
    @NotNull
    private LeaseFactory leases = new LeaseFactory();

    /** Body sizes, and how many services this child may hold. */
    @Valid
    @NotNull
    private LimitsFactory limits = new LimitsFactory();

    /** The change stream: its history, buffers and keep-alive. */
    @Valid
    @NotNull
    private EventsFactory events = new EventsFactory();

    @JsonProperty
    public EventsFactory getEvents() {
        return events;
    }

    @JsonProperty
    public void setEvents(EventsFactory events) {
        this.events = events;
    }

    /** How often the parent's copy is compared with ours (and mended) even when nothing says it differs. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration reconcileInterval = Duration.minutes(5);

    /**
     * The most changes one call to the parent carries: no more than the parent takes in a batch
     * ({@code CANOPY_MAX_BATCH_CHANGES} there, also 500 by default), or every batch is refused.
     */
    @Min(1)
    @Max(100_000)
    private int forwardBatchSize = 500;

    /**
     * How many batches may be on their way to the parent at once. With one, a change that arrives during
     * a call waits for its answer and then for a call of its own; a service's changes never travel in two
     * calls at once, whatever this says.
     */
    @Min(1)
    @Max(16)
    private int forwardCallsInFlight = 2;

    /**
     * How long a batch may wait for more changes while they arrive fast (thousands a second), so that
     * the parent gets fewer, larger calls; at the rates most children see, a change leaves at once.
     * Zero sends every batch at once.
     */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration forwardLinger = Duration.milliseconds(10);

    /** Keys: services register with a service key, and anything may be done with an admin key. */
    @Valid
    @NotNull
    private AuthFactory auth = new AuthFactory();

    @ValidationMethod(message = "auth: no key a service can register with. Set CANOPY_SERVICE_KEYS (and/or "
            + "CANOPY_ADMIN_KEYS), or CANOPY_AUTH=disabled on a trusted network")
    @JsonIgnore
    public boolean isServiceKeyConfigured() {
        return !auth.isEnabled() || auth.hasKeyFor(KeyKind.SERVICE);
    }

    @ValidationMethod(message = "parent.key: no key to present to the parent. Set CANOPY_CHILD_KEY to one of "
            + "the parent's CANOPY_CHILD_KEYS, or CANOPY_AUTH=disabled on a trusted network")
    @JsonIgnore
    public boolean isParentKeyConfigured() {
        return !auth.isEnabled() || parent.hasKey();
    }

    @ValidationMethod(message = "parent.url must be an absolute http(s) URL: set PARENT_ORCHESTRATOR_URL, e.g. http://localhost:9000")
    @JsonIgnore
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
        return parent.baseUrl("/api/v1");
    }

    /** {@code advertisedUrl}, made {@code https://} when this child serves TLS. */
    public String effectiveAdvertisedUrl() {
        return AdvertisedUrl.of(advertisedUrl, getServerFactory());
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
    public UpstreamFactory getParent() {
        return parent;
    }

    @JsonProperty
    public void setParent(UpstreamFactory parent) {
        this.parent = parent;
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
    public LeaseFactory getLeases() {
        return leases;
    }

    @JsonProperty
    public void setLeases(LeaseFactory leases) {
        this.leases = leases;
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
    public int getForwardBatchSize() {
        return forwardBatchSize;
    }

    @JsonProperty
    public void setForwardBatchSize(int forwardBatchSize) {
        this.forwardBatchSize = forwardBatchSize;
    }

    @JsonProperty
    public Duration getForwardLinger() {
        return forwardLinger;
    }

    @JsonProperty
    public void setForwardLinger(Duration forwardLinger) {
        this.forwardLinger = forwardLinger;
    }

    @JsonProperty
    public int getForwardCallsInFlight() {
        return forwardCallsInFlight;
    }

    @JsonProperty
    public void setForwardCallsInFlight(int forwardCallsInFlight) {
        this.forwardCallsInFlight = forwardCallsInFlight;
    }

    @JsonProperty
    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    @JsonProperty
    public void setReconcileInterval(Duration reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
