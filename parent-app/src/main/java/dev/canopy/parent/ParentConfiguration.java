package dev.canopy.parent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.auth.AuthFactory;
import dev.canopy.core.auth.KeyKind;
import dev.canopy.core.events.EventsFactory;
import io.dropwizard.core.Configuration;
import dev.canopy.core.lease.LeaseFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

public class ParentConfiguration extends Configuration {
    /** How the parent names itself in the hierarchy ({@code parent_id}). */
    @NotBlank
    private String parentId = "parent-orchestrator";

    @NotBlank
    private String displayName = "Parent Orchestrator";

    /** The leases children hold here; a child's services live on its lease. */
    @Valid
    @NotNull
    private LeaseFactory leases = new LeaseFactory();

    /** Body sizes and the services each child may hold. */
    @Valid
    @NotNull
    private ParentLimitsFactory limits = new ParentLimitsFactory();

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

    @JsonProperty
    public ParentLimitsFactory getLimits() {
        return limits;
    }

    @JsonProperty
    public void setLimits(ParentLimitsFactory limits) {
        this.limits = limits;
    }

    /** Keys: children register with a child key, and anything may be done with an admin key. */
    @Valid
    @NotNull
    private AuthFactory auth = new AuthFactory();

    @ValidationMethod(message = "auth: no key a child can register with. Set CANOPY_CHILD_KEYS (and/or "
            + "CANOPY_ADMIN_KEYS), or CANOPY_AUTH=disabled on a trusted network")
    @JsonIgnore
    public boolean isChildKeyConfigured() {
        return !auth.isEnabled() || auth.hasKeyFor(KeyKind.CHILD);
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
    public String getParentId() {
        return parentId;
    }

    @JsonProperty
    public void setParentId(String parentId) {
        this.parentId = parentId;
    }

    @JsonProperty
    public String getDisplayName() {
        return displayName;
    }

    @JsonProperty
    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
