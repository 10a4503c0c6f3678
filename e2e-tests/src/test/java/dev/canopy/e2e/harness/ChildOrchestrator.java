package dev.canopy.e2e.harness;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.client.child.HealthApi;
import dev.canopy.client.child.OrchestratorApi;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.client.invoker.ApiException;

/** A running child orchestrator and its generated clients, acting with the admin key. */
public final class ChildOrchestrator {
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
