package dev.canopy.child;

import dev.canopy.api.model.OrchestratorPing;
import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.child.managed.ExpiredServices;
import dev.canopy.child.managed.ParentForwarder;
import dev.canopy.child.managed.ParentRegistration;
import dev.canopy.child.metrics.ChildMetrics;
import dev.canopy.child.resources.EventsResource;
import dev.canopy.child.resources.OrchestratorResource;
import dev.canopy.child.resources.ServicesResource;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.core.CanopyBundle;
import dev.canopy.core.CanopyVersion;
import dev.canopy.core.auth.AuthBundle;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.EventStreams;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Views;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamLinkHealthCheck;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A regional or domain registry: services register here and are forwarded to the parent. */
public class ChildApplication extends Application<ChildConfiguration> {
    private final CanopyBundle canopy = new CanopyBundle("child");
    private final AuthBundle<ChildConfiguration> auth = new AuthBundle<>("child", ChildConfiguration::getAuth);

    public static void main(String[] args) throws Exception {
        new ChildApplication().run(args);
    }

    @Override
    public String getName() {
        return "child-orchestrator";
    }

    @Override
    public void initialize(Bootstrap<ChildConfiguration> bootstrap) {
        bootstrap.addBundle(canopy);
        bootstrap.addBundle(auth);
    }

    @Override
    public void run(ChildConfiguration configuration, Environment environment) {
        configuration.getLimits().installBodySizeLimit(environment);
        UpstreamFactory parent = configuration.getParent();
        String parentUrl = configuration.parentBaseUrl();
        ApiClient parentApi = parent.buildApiClient(environment, "parent", parentUrl);
        OrchestratorsApi parentOrchestrators = new OrchestratorsApi(parentApi);
        ChangeJournal journal = configuration.getEvents().buildJournal(Clock.systemUTC());
        // Each change is journaled under the registry's lock, with the record right after it; its view is built
        // when a stream first sends it.
        ServiceRegistry services = ServiceRegistry.withUniqueUrls(Clock.systemUTC(),
                configuration.getLimits().getMaxServicesPerOrchestrator(),
                (change, service) -> journal.appendView(change.eventType(), "service", () -> Views.local(service)));
        EventStreams streams = configuration.getEvents().buildStreams(environment, environment.getObjectMapper());

        int callsInFlight = configuration.getForwardCallsInFlight();
        ParentForwarder forwarder = new ParentForwarder(services, parentOrchestrators, configuration.getForwardBatchSize(),
                callsInFlight, configuration.getForwardLinger().toJavaDuration(), parent.getRetry().build(),
                environment.lifecycle().executorService("parent-forwarder").minThreads(1).maxThreads(1).build(),
                environment.lifecycle().executorService("parent-forward-call-%d")
                        .minThreads(callsInFlight).maxThreads(callsInFlight).build(),
                environment.lifecycle().scheduledExecutorService("parent-reconcile").threads(1).build(),
                configuration.getReconcileInterval().toJavaDuration(), Clock.systemUTC());
        ChildMetrics metrics = new ChildMetrics(canopy.metrics(), services, forwarder, Instant.now());
        forwarder.reportOutcomesTo(metrics);
        ParentRegistration registration = new ParentRegistration(parentOrchestrators, parentUrl,
                registrationOf(configuration),
                () -> new OrchestratorPing().servicesDigest(services.digest()).serviceCount(services.size())
                        .pendingForwards(forwarder.pending()).stats(metrics.stats()),
                parent, parent.buildRegistrationExecutor(environment, "parent-registration"));
        registration.whenRegistered(forwarder::linkedAs);
        registration.whenParentAnswers(forwarder::parentAnswered);
        forwarder.whenParentForgets(registration::registrationLost);
        // Deregisters from the parent when the server starts stopping; forwards that follow are refused
        // with 404, which no longer brings a registration back.
        registration.manageIn(environment.lifecycle());
        environment.lifecycle().manage(forwarder);
        environment.lifecycle().manage(configuration.getLeases().buildReaper(environment, "lease-reaper",
                new ExpiredServices(services, forwarder, metrics)));
        environment.healthChecks().register("parent", new UpstreamLinkHealthCheck(registration));

        environment.jersey().register(new ServicesResource(services, forwarder, configuration.getLeases(),
                configuration.scopeName(), auth.caller(), metrics));
        environment.jersey().register(new EventsResource(services, journal, streams));
        environment.jersey().register(new OrchestratorResource(registration, forwarder, services, parentUrl,
                configuration.getRegion(), configuration.getDomain()));
    }

    private static OrchestratorRegistration registrationOf(ChildConfiguration configuration) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("display_name", "Child Orchestrator - " + configuration.scopeName());
        info.put("version", CanopyVersion.current());
        info.put("level", configuration.level());
        return new OrchestratorRegistration(configuration.effectiveAdvertisedUrl())
                .info(info)
                .region(configuration.getRegion())
                .domain(configuration.getDomain());
    }
}
