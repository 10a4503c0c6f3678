package dev.canopy.example;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.child.invoker.ApiClient;
import dev.canopy.core.CanopyBundle;
import dev.canopy.core.CanopyVersion;
import dev.canopy.core.health.HealthReporter;
import dev.canopy.core.upstream.UpstreamClients;
import dev.canopy.core.upstream.UpstreamLinkHealthCheck;
import dev.canopy.example.managed.ChildRegistration;
import dev.canopy.example.resources.HealthResource;
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
    }

    @Override
    public void run(ExampleServiceConfiguration configuration, Environment environment) {
        String orchestratorUrl = configuration.orchestratorBaseUrl();
        ApiClient orchestratorApi = new ApiClient()
                .setHttpClient(UpstreamClients.build(environment, configuration.getOrchestratorClient(), "orchestrator"))
                .setBasePath(orchestratorUrl)
                .setUserAgent("canopy-example-service/" + CanopyVersion.current());

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("display_name", configuration.getServiceName());
        info.put("version", configuration.getServiceVersion());
        ChildRegistration registration = new ChildRegistration(new ServicesApi(orchestratorApi), orchestratorUrl,
                new LocalServiceRegistration(configuration.getAdvertisedUrl()).info(info),
                environment.lifecycle().scheduledExecutorService("orchestrator-registration").threads(1).build(),
                configuration.getRetry().build(), configuration.getRegistrationDelay().toJavaDuration(),
                configuration.getDeregistrationTimeout().toJavaDuration());
        environment.lifecycle().manage(registration);
        environment.healthChecks().register("orchestrator", new UpstreamLinkHealthCheck(registration));

        environment.jersey().register(new IdentityResource(configuration.getServiceName(),
                configuration.getServiceVersion(), configuration.getAdvertisedUrl(), orchestratorUrl, registration));
        environment.jersey().register(new HealthResource(new HealthReporter(environment.healthChecks())));
    }
}
