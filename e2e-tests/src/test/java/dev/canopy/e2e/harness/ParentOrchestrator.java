package dev.canopy.e2e.harness;

import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.client.parent.HealthApi;
import dev.canopy.client.parent.HierarchyApi;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.client.parent.ServicesApi;
import dev.canopy.client.invoker.ApiClient;
import java.util.ArrayList;
import java.util.List;

/** A running parent orchestrator and its generated clients, acting with the admin key. */
public final class ParentOrchestrator {
    /** The largest page a list answers (its limit, 1 to 1000): the fewest requests for a whole list. */
    private static final int MOST_PER_PAGE = 1000;
    private final AppProcess process;
    private final OrchestratorsApi orchestrators;
    private final ServicesApi services;
    private final HierarchyApi hierarchy;
    private final HealthApi health;

    ParentOrchestrator(AppProcess process, String adminKey) {
        this.process = process;
        ApiClient api = new ApiClient().setHttpClient(process.http()).setBasePath(process.url())
                .setBearerToken(adminKey);
        this.orchestrators = new OrchestratorsApi(api);
        this.services = new ServicesApi(api);
        this.hierarchy = new HierarchyApi(api);
        this.health = new HealthApi(api);
    }

    public AppProcess process() {
        return process;
    }

    public String url() {
        return process.url();
    }

    public OrchestratorsApi orchestrators() {
        return orchestrators;
    }

    public ServicesApi services() {
        return services;
    }

    /** Every orchestrator, page by page: a list answers at most one page (100 unless asked for more). */
    public List<OrchestratorDetail> allOrchestrators() throws ApiException {
        List<OrchestratorDetail> all = new ArrayList<>();
        OrchestratorList page = orchestrators.listOrchestrators(MOST_PER_PAGE, null);
        all.addAll(page.getOrchestrators());
        while (page.getNext() != null) {
            page = orchestrators.listOrchestrators(MOST_PER_PAGE, all.get(all.size() - 1).getId());
            all.addAll(page.getOrchestrators());
        }
        return all;
    }

    /** Every service ({@code orchestratorId} null) or every one that orchestrator holds, page by page. */
    public List<ServiceDetail> allServices(String orchestratorId) throws ApiException {
        List<ServiceDetail> all = new ArrayList<>();
        ServiceList page = services.listServices(orchestratorId, MOST_PER_PAGE, null);
        all.addAll(page.getServices());
        while (page.getNext() != null) {
            page = services.listServices(orchestratorId, MOST_PER_PAGE, all.get(all.size() - 1).getId());
            all.addAll(page.getServices());
        }
        return all;
    }

    public HierarchyApi hierarchy() {
        return hierarchy;
    }

    public HealthApi health() {
        return health;
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
