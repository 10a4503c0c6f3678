package dev.canopy.parent.core;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.HierarchySummary;
import dev.canopy.api.model.OrchestratorSummary;
import dev.canopy.api.model.ParentInfo;
import dev.canopy.core.registry.Holding;
import dev.canopy.core.registry.Page;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServicesDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree as the contract's models: a page of it (GET /api/v1/hierarchy), all of it at once (a
 * stream's snapshot), or its summary without services (GET /api/v1/hierarchy/summary).
 */
public final class HierarchyView {
    /** The page of services an orchestrator's summary points at: the service list's default. */
    static final int SERVICES_PAGE = 100;

    private final ParentRegistry registry;
    private final String parentId;
    private final ParentInfo parentInfo;

    public HierarchyView(ParentRegistry registry, String parentId, ParentInfo parentInfo) {
        this.registry = registry;
        this.parentId = parentId;
        this.parentInfo = parentInfo;
    }

    /** The whole tree in one piece: O(services). A stream's snapshot takes it under the registry's lock. */
    public Hierarchy now() {
        List<HierarchyBranch> branches = registry.orchestrators().stream().map(this::branch).toList();
        return new Hierarchy(parentId, parentInfo, branches, registry.serviceCount(), null);
    }

    /**
     * Up to {@code limit} orchestrators after {@code after} (from the first if null), each with every
     * service it holds; {@code total_services} counts them all, in O(1).
     */
    public Hierarchy page(String after, int limit) {
        Page<HierarchyBranch> page = registry.orchestrators(after, limit).map(this::branch);
        return new Hierarchy(parentId, parentInfo, page.items(), registry.serviceCount(),
                page.next("/api/v1/hierarchy?limit=" + limit));
    }

    /**
     * Every orchestrator with its kept count and digest, no service read: O(orchestrators). Each
     * count and digest come from one {@link Holding}, so they describe one set; the total is their
     * sum, so the answer adds up even while children change.
     */
    public HierarchySummary summary() {
        List<OrchestratorRecord> orchestrators = registry.orchestrators();
        List<OrchestratorSummary> entries = new ArrayList<>(orchestrators.size());
        int total = 0;
        for (OrchestratorRecord orchestrator : orchestrators) {
            Holding held = registry.holdingOf(orchestrator.id());
            entries.add(new OrchestratorSummary(OrchestratorViews.detail(orchestrator, held),
                    "/api/v1/services?orchestrator_id=" + orchestrator.id() + "&limit=" + SERVICES_PAGE));
            total += held.count();
        }
        return new HierarchySummary(parentId, parentInfo, entries.size(), total, entries);
    }

    private HierarchyBranch branch(OrchestratorRecord orchestrator) {
        // Counted from what is listed, not the kept count: the branch walks its services anyway, and
        // so its service_count and digest agree with its list even if a change lands mid-walk.
        List<ServiceRecord> services = registry.servicesOf(orchestrator.id());
        return new HierarchyBranch(
                OrchestratorViews.detail(orchestrator, services.size(), ServicesDigest.ofAll(services)),
                services.stream().map(service -> OrchestratorViews.service(service, orchestrator)).toList());
    }
}
