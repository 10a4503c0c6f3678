package dev.canopy.e2e.harness;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.client.child.HealthApi;
import dev.canopy.client.child.OrchestratorApi;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.client.invoker.ApiException;
import java.util.ArrayList;
import java.util.List;

/** A running child orchestrator and its generated clients, acting with the admin key. */
public final class ChildOrchestrator {
    /** The largest page a list answers (its limit, 1 to 1000): the fewest requests for a whole list. */
    private static final int MOST_PER_PAGE = 1000;
    private final AppProcess process;
    private final Scope scope;
    private final ServicesApi services;
    private final OrchestratorApi orchestrator;
    private final HealthApi health;

    ChildOrchestrator(AppProcess process, Scope scope, String adminKey) {
        this.process = process;
        this.scope = scope;
        ApiClient api = new ApiClient().setHttpClient(process.http()).setBasePath(process.url())
                .setBearerToken(adminKey);
        this.services = new ServicesApi(api);
        this.orchestrator = new OrchestratorApi(api);
        this.health = new HealthApi(api);
    }

    public AppProcess process() {
        return process;
    }

    public Scope scope() {
        return scope;
    }

    /** The url it registers with the parent under (CHILD_HOST and CHILD_PORT). */
    public String url() {
        return process.url();
    }

    public ServicesApi services() {
        return services;
    }

    /** Every service registered here, page by page: a list answers at most one page. */
    public List<LocalService> allServices() throws ApiException {
        List<LocalService> all = new ArrayList<>();
        LocalServiceList page = services.listServices(MOST_PER_PAGE, null);
        all.addAll(page.getServices());
        while (page.getNext() != null) {
            page = services.listServices(MOST_PER_PAGE, all.get(all.size() - 1).getId());
            all.addAll(page.getServices());
        }
        return all;
    }

    public HealthApi health() {
        return health;
    }

    /** {@code GET /services/info/orchestrator}: among others, the id the parent gave this child. */
    public ChildOrchestratorInfo info() throws ApiException {
        return orchestrator.getOrchestratorInfo();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
