package dev.canopy.parent.resources;

import dev.canopy.api.model.DeregistrationStatus;
import dev.canopy.api.model.OrchestratorDeregistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.parent.OrchestratorsApi;
import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemException;
import dev.canopy.core.registry.Upserted;
import dev.canopy.parent.core.OrchestratorRecord;
import dev.canopy.parent.core.OrchestratorViews;
import dev.canopy.parent.core.ParentRegistry;
import dev.canopy.parent.core.Removal;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class OrchestratorsResource implements OrchestratorsApi {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorsResource.class);

    private final ParentRegistry registry;

    public OrchestratorsResource(ParentRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Response registerOrchestrator(OrchestratorRegistration registration) {
        Upserted<OrchestratorRecord> result = registry.registerOrchestrator(registration.getUrl(),
                registration.getInfo(), registration.getRegion(), registration.getDomain());
        OrchestratorRecord orchestrator = result.record();
        Events.info(LOG, result.created() ? "orchestrator_registered" : "orchestrator_updated")
                .with("orchestrator_id", orchestrator.id()).with("url", orchestrator.url())
                .with("region", orchestrator.region()).with("domain", orchestrator.domain())
                .log(result.created() ? "Orchestrator registered" : "Orchestrator registered again; updated");
        RegistrationResult answer = new RegistrationResult(orchestrator.id(),
                result.created() ? RegistrationStatus.REGISTERED : RegistrationStatus.UPDATED, orchestrator.url(),
                (result.created() ? "Orchestrator registered for " : "Orchestrator updated for ") + orchestrator.scope());
        // Relative: JAX-RS resolves it against the request's base URI into an absolute Location.
        URI location = URI.create("api/v1/orchestrators/" + orchestrator.id());
        return (result.created() ? Response.created(location) : Response.ok().location(location))
                .entity(answer).build();
    }

    @Override
    public Response listOrchestrators() {
        List<OrchestratorDetail> details = registry.orchestrators().stream()
                .map(record -> OrchestratorViews.detail(record, registry)).toList();
        return Response.ok(new OrchestratorList(details.size(), details)).build();
    }

    @Override
    public Response getOrchestrator(String id) {
        return registry.orchestrator(id)
                .map(record -> Response.ok(OrchestratorViews.detail(record, registry)).build())
                .orElseThrow(() -> ProblemException.notFound("orchestrator", id));
    }

    @Override
    public Response deregisterOrchestrator(String id) {
        Removal removal = registry.deregisterOrchestrator(id)
                .orElseThrow(() -> ProblemException.notFound("orchestrator", id));
        Events.info(LOG, "orchestrator_deregistered").with("orchestrator_id", id)
                .with("url", removal.orchestrator().url()).with("services_removed", removal.services().size())
                .log("Orchestrator deregistered with its services");
        return Response.ok(new OrchestratorDeregistration(DeregistrationStatus.DEREGISTERED,
                OrchestratorViews.detail(removal.orchestrator(), removal.services().size()),
                removal.services().size())).build();
    }
}
