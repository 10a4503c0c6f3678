package dev.canopy.parent;

import dev.canopy.api.model.ParentInfo;
import dev.canopy.core.CanopyBundle;
import dev.canopy.core.CanopyVersion;
import dev.canopy.core.auth.AuthBundle;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.EventStreams;
import dev.canopy.parent.core.ExpiredOrchestrators;
import dev.canopy.parent.core.HierarchyView;
import dev.canopy.parent.core.ParentRegistry;
import dev.canopy.parent.metrics.ParentMetrics;
import dev.canopy.parent.resources.EventsResource;
import dev.canopy.parent.resources.HierarchyResource;
import dev.canopy.parent.resources.OrchestratorsResource;
import dev.canopy.parent.resources.ServicesResource;
import dev.canopy.parent.ui.HierarchyPageBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;

/** The global registry: child orchestrators register here and forward their services. */
public class ParentApplication extends Application<ParentConfiguration> {
    private final CanopyBundle canopy = new CanopyBundle("parent");
    private final AuthBundle<ParentConfiguration> auth = new AuthBundle<>("parent", ParentConfiguration::getAuth);

    public static void main(String[] args) throws Exception {
        new ParentApplication().run(args);
    }

    @Override
    public String getName() {
        return "parent-orchestrator";
    }

    @Override
    public void initialize(Bootstrap<ParentConfiguration> bootstrap) {
        bootstrap.addBundle(canopy);
        bootstrap.addBundle(auth);
        bootstrap.addBundle(new HierarchyPageBundle());
    }

    @Override
    public void run(ParentConfiguration configuration, Environment environment) {
        configuration.getLimits().installBodySizeLimit(environment);
        ChangeJournal journal = configuration.getEvents().buildJournal(Clock.systemUTC());
        ParentRegistry registry = new ParentRegistry(Clock.systemUTC(), configuration.getLeases().ttlDuration(),
                configuration.getLimits().getMaxServicesPerOrchestrator(), journal);
        EventStreams streams = configuration.getEvents().buildStreams(environment, environment.getObjectMapper());
        ParentMetrics metrics = new ParentMetrics(canopy.metrics(), registry, Clock.systemUTC());
        environment.lifecycle().manage(configuration.getLeases().buildReaper(environment, "lease-reaper",
                new ExpiredOrchestrators(registry, metrics)));
        ParentInfo parentInfo = new ParentInfo(configuration.getDisplayName(), ParentInfo.LevelEnum.GLOBAL,
                CanopyVersion.current());

        environment.jersey().register(new OrchestratorsResource(registry, auth.caller(), metrics,
                configuration.getLimits().getMaxBatchChanges()));
        environment.jersey().register(new ServicesResource(registry, auth.caller(), metrics));
        HierarchyView hierarchy = new HierarchyView(registry, configuration.getParentId(), parentInfo);
        environment.jersey().register(new HierarchyResource(hierarchy));
        environment.jersey().register(new EventsResource(registry, hierarchy, streams));
    }
}
