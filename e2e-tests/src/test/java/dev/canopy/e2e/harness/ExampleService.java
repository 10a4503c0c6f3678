package dev.canopy.e2e.harness;

import dev.canopy.api.model.ServiceIdentity;
import jakarta.ws.rs.core.MediaType;

/** A running example service. Its API has no generated client: one GET is all there is. */
public final class ExampleService {
    private final AppProcess process;
    private final String orchestratorUrl;

    ExampleService(AppProcess process, String orchestratorUrl) {
        this.process = process;
        this.orchestratorUrl = orchestratorUrl;
    }

    public AppProcess process() {
        return process;
    }

    /** The url it registers under (SERVICE_HOST and SERVICE_PORT). */
    public String url() {
        return process.url();
    }

    /** ORCHESTRATOR_URL as it was configured, in any of the accepted forms. */
    public String orchestratorUrl() {
        return orchestratorUrl;
    }

    /** {@code GET /}: its name, url and the id its child orchestrator gave it. */
    public ServiceIdentity identity() {
        return process.http().target(url()).request(MediaType.APPLICATION_JSON).get(ServiceIdentity.class);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
