package dev.canopy.e2e.harness;

import dev.canopy.client.parent.HealthApi;
import dev.canopy.client.parent.HierarchyApi;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.client.parent.ServicesApi;
import dev.canopy.client.invoker.ApiClient;

/** A running parent orchestrator and its generated clients, acting with the admin key. */
public final class ParentOrchestrator {
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
