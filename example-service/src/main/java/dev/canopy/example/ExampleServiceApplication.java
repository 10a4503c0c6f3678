package dev.canopy.example;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.core.CanopyBundle;
import dev.canopy.core.auth.AuthBundle;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamLinkHealthCheck;
import dev.canopy.example.managed.ChildRegistration;
import dev.canopy.example.resources.IdentityResource;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal service that registers itself with a child orchestrator. */
public class ExampleServiceApplication extends Application<ExampleServiceConfiguration> {
    public static void main(String[] args) throws Exception {
        new ExampleServiceApplication().run(args);
    }

    @Override
    public String getName() {
        return "example-service";
    }

    @Override
    public void initialize(Bootstrap<ExampleServiceConfiguration> bootstrap) {
        bootstrap.addBundle(new CanopyBundle("example-service"));
        bootstrap.addBundle(new AuthBundle<>("example-service", ExampleServiceConfiguration::getAuth));
    }

    @Override
    public void run(ExampleServiceConfiguration configuration, Environment environment) {
        configuration.getLimits().installBodySizeLimit(environment);
        UpstreamFactory orchestrator = configuration.getOrchestrator();
        String orchestratorUrl = configuration.orchestratorBaseUrl();
        ApiClient orchestratorApi = orchestrator.buildApiClient(environment, "orchestrator", orchestratorUrl);

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("display_name", configuration.getServiceName());
        info.put("version", configuration.getServiceVersion());
        ChildRegistration registration = new ChildRegistration(new ServicesApi(orchestratorApi), orchestratorUrl,
                new LocalServiceRegistration(configuration.effectiveAdvertisedUrl()).info(info), orchestrator,
                orchestrator.buildRegistrationExecutor(environment, "orchestrator-registration"));
        registration.manageIn(environment.lifecycle());
        environment.healthChecks().register("orchestrator", new UpstreamLinkHealthCheck(registration));

        environment.jersey().register(new IdentityResource(configuration.getServiceName(),
                configuration.getServiceVersion(), configuration.effectiveAdvertisedUrl(), orchestratorUrl,
                registration));
    }
}
