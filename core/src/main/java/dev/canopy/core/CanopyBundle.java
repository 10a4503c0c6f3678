package dev.canopy.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.canopy.core.health.HealthResource;
import dev.canopy.core.openapi.OpenApiBundle;
import dev.canopy.core.problem.ProblemDetailsBundle;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * What every Canopy app sets up the same way: ${ENV:-default} in its YAML, JSON that speaks ISO-8601
 * and rejects unknown fields, problem-details errors, {@code GET /health}, and its OpenAPI document
 * with Swagger UI.
 */
public final class CanopyBundle implements ConfiguredBundle<Configuration> {
    private final String apiDocument;

    /** @param apiDocument the app's document name in api-spec, e.g. {@code parent} */
    public CanopyBundle(String apiDocument) {
        this.apiDocument = apiDocument;
    }

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        // Non-strict: an unset variable without a default stays as written, and validation names it.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        configureJson(bootstrap.getObjectMapper());
        bootstrap.addBundle(new ProblemDetailsBundle());
        bootstrap.addBundle(new OpenApiBundle(apiDocument));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.jersey().register(new HealthResource(environment.healthChecks()));
    }

    /**
     * Servers read strictly: a misspelt optional field (say {@code orchestratorId}) must be an error,
     * not silently dropped. Clients get a tolerant copy, see {@code UpstreamClients}.
     */
    static void configureJson(ObjectMapper mapper) {
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }
}
