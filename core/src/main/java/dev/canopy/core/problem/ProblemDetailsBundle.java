package dev.canopy.core.problem;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/**
 * Every error an app answers is application/problem+json. Dropwizard's default mappers (which
 * answer {code, message}) are switched off so that these are the only ones.
 */
public final class ProblemDetailsBundle implements ConfiguredBundle<Configuration> {
    @Override
    public void run(Configuration configuration, Environment environment) {
        if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        // Keeps Jersey's own Jackson feature (on the classpath for the generated clients) from
        // registering exception mappers of its own next to these.
        environment.jersey().property("jersey.config.server.jsonFeature", "DropwizardJacksonFeature");
        environment.jersey().register(StrictIntegerParams.class);
        environment.jersey().register(ProblemExceptionMapper.class);
        environment.jersey().register(WebApplicationExceptionMapper.class);
        environment.jersey().register(JsonProblemMapper.class);
        environment.jersey().register(ConstraintViolationProblemMapper.class);
        environment.jersey().register(UnhandledExceptionMapper.class);
        // A client that hangs up mid-answer is not an error worth a stack trace.
        environment.jersey().register(EarlyEofExceptionMapper.class);
        environment.getApplicationContext().setErrorHandler(new ProblemErrorHandler.InContext());
        environment.getAdminContext().setErrorHandler(new ProblemErrorHandler.InContext());
        environment.admin().addFilter("bare-error-status", new BareErrorStatusFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new ProblemErrorHandler()));
    }
}
