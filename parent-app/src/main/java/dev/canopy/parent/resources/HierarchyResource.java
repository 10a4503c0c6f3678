package dev.canopy.parent.resources;

import dev.canopy.api.parent.HierarchyApi;
import dev.canopy.parent.core.HierarchyView;
import jakarta.ws.rs.core.Response;

public final class HierarchyResource implements HierarchyApi {
    private final HierarchyView hierarchy;

    public HierarchyResource(HierarchyView hierarchy) {
        this.hierarchy = hierarchy;
    }

    @Override
    public Response getHierarchy(Integer limit, String after) {
        return Response.ok(hierarchy.page(after, limit)).build();
    }

    @Override
    public Response getHierarchySummary() {
        return Response.ok(hierarchy.summary()).build();
    }
}
