package dev.canopy.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.jackson.AnnotationSensitivePropertyNamingStrategy;
import io.dropwizard.jackson.CaffeineModule;
import io.dropwizard.jackson.FuzzyEnumModule;
import io.dropwizard.jackson.GuavaExtrasModule;
import io.dropwizard.jackson.Jackson;
import jakarta.validation.Validator;

/**
 * Reads an app's YAML with Dropwizard's mapper ({@link Jackson#newObjectMapper()}) minus its Blackbird
 * module, and with Canopy's JSON settings.
 *
 * <p>Why: Blackbird makes repeated reads of one class faster by generating a hidden class per property
 * the first time the class is read. The configuration is read once, so that is all cost: hundreds of
 * them (a child loaded 768 lambda classes before its first log line, the no-op app 562), 0.12 to 0.17 s
 * of a start-up on one core (docs/performance.md, start-up). Request bodies keep the app's own mapper,
 * Blackbird included.
 */
final class ConfigurationFactoryWithoutBlackbird<T> extends DefaultConfigurationFactoryFactory<T> {
    private final ObjectMapper mapper = mapper();

    /** The same modules, naming and subtype discovery as {@link Jackson#newObjectMapper()}, but Blackbird. */
    static ObjectMapper mapper() {
        ObjectMapper mapper = Jackson.newMinimalObjectMapper()
                .registerModule(new GuavaExtrasModule())
                .registerModule(new CaffeineModule())
                .registerModule(new FuzzyEnumModule())
                .registerModule(new ParameterNamesModule())
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(new AnnotationSensitivePropertyNamingStrategy());
        CanopyBundle.configureJson(mapper);
        return mapper;
    }

    /** Ignores the bootstrap's mapper, which carries Blackbird. */
    @Override
    public ConfigurationFactory<T> create(Class<T> klass, Validator validator, ObjectMapper bootstrapMapper,
            String propertyPrefix) {
        return super.create(klass, validator, mapper, propertyPrefix);
    }
}
