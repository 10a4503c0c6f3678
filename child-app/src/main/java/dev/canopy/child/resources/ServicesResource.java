package dev.canopy.child.resources;

import dev.canopy.api.child.ServicesApi;
import dev.canopy.api.model.DeregistrationStatus;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceDeregistration;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.child.managed.ParentForwarder;
import dev.canopy.child.metrics.ChildMetrics;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.lease.LeaseFactory;
import dev.canopy.core.limits.RegistrationLimits;
import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemException;
import dev.canopy.core.problem.ProblemType;
import dev.canopy.core.registry.Page;
import dev.canopy.core.registry.ServiceLimitReachedException;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Upserted;
import dev.canopy.core.registry.Views;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Services register here; each change is answered at once and handed to the forwarder for the parent. */
public final class ServicesResource implements ServicesApi {
    private static final Logger LOG = LoggerFactory.getLogger(ServicesResource.class);

    private final ServiceRegistry services;
    private final ParentForwarder forwarder;
    private final LeaseFactory leases;
    private final String scopeName;
    /** Whose key the request carries: a service key changes only the services it registered. */
    private final Supplier<Caller> caller;
    private final ChildMetrics metrics;

    public ServicesResource(ServiceRegistry services, ParentForwarder forwarder, LeaseFactory leases, String scopeName,
                            Supplier<Caller> caller, ChildMetrics metrics) {
        this.services = services;
        this.forwarder = forwarder;
        this.leases = leases;
        this.scopeName = scopeName;
        this.caller = caller;
        this.metrics = metrics;
    }

    @Override
    public Response registerService(LocalServiceRegistration registration) {
        RegistrationLimits.require(registration.getUrl(), registration.getInfo());
        ServiceRegistry.Registration registered;
        try {
            registered = services.registerUrl(registration.getUrl(), registration.getInfo(), registration.getId(),
                    leases.ttlDuration(), caller.get());
        } catch (ServiceLimitReachedException e) {
            throw new ProblemException(ProblemType.SERVICE_LIMIT_REACHED, e.getMessage());
        }
        registered.displaced().ifPresent(displaced -> {
            forwarder.changed(displaced.id());
            metrics.serviceDeregistered();
            Events.warn(LOG, "service_displaced").with("service_id", displaced.id()).with("url", displaced.url())
                    .log("A service registered again under its own id at a url another id held; that one was removed");
        });
        Upserted<ServiceRecord> result = registered.result();
        ServiceRecord service = result.record();
        forwarder.changed(service.id());
        if (result.created()) {
            metrics.serviceRegistered();
        }
        Events.info(LOG, result.created() ? "service_registered" : "service_updated")
                .with("service_id", service.id()).with("url", service.url())
                .log(result.created() ? "Service registered" : "Service registered again; updated");
        RegistrationResult answer = new RegistrationResult(service.id(),
                result.created() ? RegistrationStatus.REGISTERED : RegistrationStatus.UPDATED, service.url(),
                (result.created() ? "Service registered with " : "Service updated with ") + scopeName + " orchestrator",
                leases.ttlSeconds(), "/services/" + service.id() + "/$ping");
        URI location = URI.create("services/" + service.id());
        return (result.created() ? Response.created(location) : Response.ok().location(location))
                .entity(answer).build();
    }

    @Override
    public Response listServices(Integer limit, String after) {
        Page<LocalService> page = services.page(after, limit).map(Views::local);
        return Response.ok(new LocalServiceList(page.items().size(), page.items(),
                page.next("/services?limit=" + limit))).build();
    }

    @Override
    public Response getService(String id) {
        return services.find(id)
                .map(record -> Response.ok(Views.local(record), MediaType.APPLICATION_JSON_TYPE).build())
                .orElseThrow(() -> ProblemException.notFound("service", id));
    }

    @Override
    public Response pingService(String id) {
        return services.renew(id, leases.ttlDuration(), caller.get())
                .map(renewed -> Response.ok(Views.lease(renewed)).build())
                .orElseThrow(() -> ProblemException.notFound("service", id));
    }

    @Override
    public Response deregisterService(String id) {
        ServiceRecord removed = services.remove(id, caller.get())
                .orElseThrow(() -> ProblemException.notFound("service", id));
        forwarder.changed(id);
        metrics.serviceDeregistered();
        Events.info(LOG, "service_deregistered").with("service_id", id).with("url", removed.url())
                .log("Service deregistered");
        return Response.ok(new LocalServiceDeregistration(DeregistrationStatus.DEREGISTERED, Views.local(removed)))
                .build();
    }
}
