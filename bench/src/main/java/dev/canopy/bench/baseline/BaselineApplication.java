package dev.canopy.bench.baseline;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The ceiling of our stack: a Dropwizard app served and logged like Canopy's apps whose endpoints do no
 * work of their own. Every benchmark figure is a ratio to it (docs/performance.md).
 */
public class BaselineApplication extends Application<Configuration> {

    public static void main(String[] args) throws Exception {
        new BaselineApplication().run(args);
    }

    @Override
    public String getName() {
        return "bench-baseline";
    }

    @Override
    public void initialize(Bootstrap<Configuration> bootstrap) {
        // The same ${ENV:-default} substitution as CanopyBundle, so the same config style works.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.jersey().register(new NoopResource());
        environment.jersey().register(new HealthResource());
    }
}
