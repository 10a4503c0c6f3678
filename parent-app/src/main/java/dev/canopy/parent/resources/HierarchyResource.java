package dev.canopy.parent.resources;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.ParentInfo;
import dev.canopy.api.parent.HierarchyApi;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.parent.core.OrchestratorRecord;
import dev.canopy.parent.core.OrchestratorViews;
import dev.canopy.parent.core.ParentRegistry;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

public final class HierarchyResource implements HierarchyApi {
    private final ParentRegistry registry;
    private final String parentId;
    private final ParentInfo parentInfo;

    public HierarchyResource(ParentRegistry registry, String parentId, ParentInfo parentInfo) {
        this.registry = registry;
        this.parentId = parentId;
        this.parentInfo = parentInfo;
    }

    @Override
    public Response getHierarchy() {
        List<HierarchyBranch> branches = new ArrayList<>();
        int total = 0;
        for (OrchestratorRecord orchestrator : registry.orchestrators()) {
            // Count what is listed, so the branch and its service_count agree even mid-update.
            List<ServiceRecord> services = registry.servicesOf(orchestrator.id());
            branches.add(new HierarchyBranch(
                    OrchestratorViews.detail(orchestrator, services.size(), ServicesDigest.ofAll(services)),
                    services.stream().map(service -> OrchestratorViews.service(service, orchestrator)).toList()));
            total += services.size();
        }
        return Response.ok(new Hierarchy(parentId, parentInfo, branches, total)).build();
    }
}
