package dev.canopy.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.canopy.core.health.HealthResource;
import dev.canopy.core.json.UtcTimestampSerializer;
import dev.canopy.core.logging.CallerDataOnWorkers;
import dev.canopy.core.metrics.MetricsBundle;
import dev.canopy.core.openapi.OpenApiBundle;
import dev.canopy.core.problem.ProblemDetailsBundle;
import dev.canopy.core.validation.CachedParameterNames;
import dev.canopy.core.validation.ContractPatternValidator;
import dev.canopy.core.validation.ShortcutValidator;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.validation.JerseyParameterNameProvider;
import io.dropwizard.jersey.validation.Validators;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;

/**
 * What every Canopy app sets up the same way: ${ENV:-default} in its YAML, JSON that speaks ISO-8601
 * and rejects unknown and repeated fields and mistyped values, problem-details errors,
 * {@code GET /health}, {@code GET /metrics}, and its OpenAPI document with Swagger UI.
 */
public final class CanopyBundle implements ConfiguredBundle<Configuration> {
    private final String apiDocument;
    private final MetricsBundle metrics = new MetricsBundle();

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
        bootstrap.getObjectMapper().registerModule(UtcTimestampSerializer.module());
        readConfigurationWithoutBlackbird(bootstrap);
        bootstrap.setValidatorFactory(validatorFactory());
        bootstrap.addBundle(new ProblemDetailsBundle());
        bootstrap.addBundle(new OpenApiBundle(apiDocument));
        bootstrap.addBundle(metrics);
    }

    /** The app's Prometheus registry, served at {@code GET /metrics}: where it adds its own figures. */
    public PrometheusRegistry metrics() {
        return metrics.registry();
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        CallerDataOnWorkers.skip();
        readRequestsStrictly(environment.getObjectMapper());
        // Read when the server is built, after every run: Jersey's resource methods get this validator.
        environment.setValidator(new ShortcutValidator(environment.getValidator()));
        environment.jersey().register(new HealthResource(environment.healthChecks()));
    }

    private static <T extends Configuration> void readConfigurationWithoutBlackbird(Bootstrap<T> bootstrap) {
        bootstrap.setConfigurationFactoryFactory(new ConfigurationFactoryWithoutBlackbird<>());
    }

    /**
     * Dropwizard's validator (its constraint factory, its JAX-RS parameter names, its value extractors),
     * except that each method's parameter names are read once instead of on every request, and that
     * the contract's commonest patterns are checked by hand ({@link ContractPatternValidator}).
     */
    static ValidatorFactory validatorFactory() {
        HibernateValidatorConfiguration configuration = Validators.newConfiguration();
        ConstraintMapping patterns = configuration.createConstraintMapping();
        patterns.constraintDefinition(Pattern.class).includeExistingValidators(false)
                .validatedBy(ContractPatternValidator.class);
        return configuration.parameterNameProvider(new CachedParameterNames(new JerseyParameterNameProvider()))
                .addMapping(patterns)
                .buildValidatorFactory();
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

    /**
     * Request bodies are read more strictly still. A field given twice must be an error: parsers resolve
     * it differently (first wins, last wins), so two readers of one body could see two registrations;
     * so must anything after the one JSON value, which another reader might take for a second request.
     * And a value of the wrong type is not converted: {@code "1"} is not a count, {@code 1.5} not an
     * integer, {@code 42} not a region. This applies from {@code run} on, once the configuration has been
     * read: Dropwizard hands configuration overrides over as text, which must still become numbers.
     */
    static void readRequestsStrictly(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
