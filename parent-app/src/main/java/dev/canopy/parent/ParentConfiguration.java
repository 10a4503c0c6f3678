package dev.canopy.parent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import dev.canopy.core.lease.LeaseFactory;
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

    @JsonProperty
    public ParentLimitsFactory getLimits() {
        return limits;
    }

    @JsonProperty
    public void setLimits(ParentLimitsFactory limits) {
        this.limits = limits;
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
