package dev.canopy.parent;

import dev.canopy.api.model.ParentInfo;
import dev.canopy.core.CanopyBundle;
import dev.canopy.core.CanopyVersion;
import dev.canopy.core.auth.AuthBundle;
import dev.canopy.parent.core.ExpiredOrchestrators;
import dev.canopy.parent.core.ParentRegistry;
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
        bootstrap.addBundle(new CanopyBundle("parent"));
        bootstrap.addBundle(auth);
        bootstrap.addBundle(new HierarchyPageBundle());
    }

    @Override
    public void run(ParentConfiguration configuration, Environment environment) {
        configuration.getLimits().installBodySizeLimit(environment);
        ParentRegistry registry = new ParentRegistry(Clock.systemUTC(), configuration.getLeases().ttlDuration(),
                configuration.getLimits().getMaxServicesPerOrchestrator());
        environment.lifecycle().manage(configuration.getLeases().buildReaper(environment, "lease-reaper",
                new ExpiredOrchestrators(registry)));
        ParentInfo parentInfo = new ParentInfo(configuration.getDisplayName(), ParentInfo.LevelEnum.GLOBAL,
                CanopyVersion.current());

        environment.jersey().register(new OrchestratorsResource(registry, auth.caller()));
        environment.jersey().register(new ServicesResource(registry, auth.caller()));
        environment.jersey().register(new HierarchyResource(registry, configuration.getParentId(), parentInfo));
    }
}
