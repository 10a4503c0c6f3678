package dev.canopy.parent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.constraints.NotBlank;

public class ParentConfiguration extends Configuration {
    /** How the parent names itself in the hierarchy ({@code parent_id}). */
    @NotBlank
    private String parentId = "parent-orchestrator";

    @NotBlank
    private String displayName = "Parent Orchestrator";

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
