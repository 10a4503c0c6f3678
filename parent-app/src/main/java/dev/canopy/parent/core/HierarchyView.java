package dev.canopy.parent.core;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.ParentInfo;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServicesDigest;
import java.util.ArrayList;
import java.util.List;

/** The whole tree as one {@link Hierarchy}: the body of GET /api/v1/hierarchy and of a stream's snapshot. */
public final class HierarchyView {
    private final ParentRegistry registry;
    private final String parentId;
    private final ParentInfo parentInfo;

    public HierarchyView(ParentRegistry registry, String parentId, ParentInfo parentInfo) {
        this.registry = registry;
        this.parentId = parentId;
        this.parentInfo = parentInfo;
    }

    public Hierarchy now() {
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
        return new Hierarchy(parentId, parentInfo, branches, total);
    }
}
