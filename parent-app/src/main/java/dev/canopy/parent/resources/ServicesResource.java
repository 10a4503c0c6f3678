package dev.canopy.parent.resources;

import dev.canopy.api.model.DeregistrationStatus;
import dev.canopy.api.model.ParentServiceRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceDeregistration;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.api.parent.ServicesApi;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.limits.RegistrationLimits;
import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemException;
import dev.canopy.core.problem.ProblemType;
import dev.canopy.core.registry.Page;
import dev.canopy.core.registry.ServiceLimitReachedException;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.Upserted;
import dev.canopy.parent.core.OrchestratorViews;
import dev.canopy.parent.core.ParentRegistry;
import dev.canopy.parent.core.ServiceHeldElsewhereException;
import dev.canopy.parent.core.UnknownOrchestratorException;
import dev.canopy.parent.metrics.ParentMetrics;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ServicesResource implements ServicesApi {
    private static final Logger LOG = LoggerFactory.getLogger(ServicesResource.class);

    private final ParentRegistry registry;
    /** Whose key the request carries: a child key changes only its own orchestrator's services. */
    private final Supplier<Caller> caller;
    private final ParentMetrics metrics;

    public ServicesResource(ParentRegistry registry, Supplier<Caller> caller, ParentMetrics metrics) {
        this.registry = registry;
        this.caller = caller;
        this.metrics = metrics;
    }

    @Override
    public Response registerService(ParentServiceRegistration registration) {
        RegistrationLimits.require(registration.getUrl(), registration.getInfo());
        Upserted<ServiceRecord> result;
        try {
            result = registry.registerService(registration.getId(), registration.getUrl(), registration.getInfo(),
                    registration.getOrchestratorId(), caller.get());
        } catch (UnknownOrchestratorException e) {
            throw new ProblemException(ProblemType.UNKNOWN_ORCHESTRATOR, e.getMessage());
        } catch (ServiceHeldElsewhereException e) {
            throw new ProblemException(ProblemType.CONFLICT, e.getMessage());
        } catch (ServiceLimitReachedException e) {
            throw new ProblemException(ProblemType.SERVICE_LIMIT_REACHED, e.getMessage());
        }
        ServiceRecord service = result.record();
        if (result.created()) {
            metrics.serviceRegistered();
        }
        Events.info(LOG, result.created() ? "service_registered" : "service_updated")
                .with("service_id", service.id()).with("orchestrator_id", service.orchestratorId())
                .with("url", service.url())
                .log(result.created() ? "Service registered" : "Service registered again; updated");
        // A forwarded service lives on its orchestrator's lease: the child's heartbeat renews it.
        RegistrationResult answer = new RegistrationResult(service.id(),
                result.created() ? RegistrationStatus.REGISTERED : RegistrationStatus.UPDATED, service.url(),
                (result.created() ? "Service registered under orchestrator " : "Service updated under orchestrator ")
                        + service.orchestratorId(), registry.ttlSeconds(),
                OrchestratorsResource.pingPath(service.orchestratorId()));
        URI location = URI.create("api/v1/services/" + service.id());
        return (result.created() ? Response.created(location) : Response.ok().location(location))
                .entity(answer).build();
    }

    @Override
    public Response listServices(String orchestratorId, Integer limit, String after) {
        Page<ServiceDetail> page = registry.services(orchestratorId, after, limit)
                .map(record -> OrchestratorViews.service(record, registry));
        String filter = orchestratorId == null ? "" : "orchestrator_id=" + orchestratorId + "&";
        return Response.ok(new ServiceList(page.items().size(), page.items(),
                page.next("/api/v1/services?" + filter + "limit=" + limit))).build();
    }

    @Override
    public Response getService(String id) {
        return registry.service(id)
                .map(record -> Response.ok(OrchestratorViews.service(record, registry), MediaType.APPLICATION_JSON_TYPE).build())
                .orElseThrow(() -> ProblemException.notFound("service", id));
    }

    @Override
    public Response deregisterService(String id) {
        ServiceRecord removed = registry.deregisterService(id, caller.get())
                .orElseThrow(() -> ProblemException.notFound("service", id));
        metrics.serviceDeregistered();
        Events.info(LOG, "service_deregistered").with("service_id", id)
                .with("orchestrator_id", removed.orchestratorId()).log("Service deregistered");
        return Response.ok(new ServiceDeregistration(DeregistrationStatus.DEREGISTERED,
                OrchestratorViews.service(removed, registry))).build();
    }
}
