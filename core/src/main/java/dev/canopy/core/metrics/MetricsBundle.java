package dev.canopy.core.metrics;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.glassfish.jersey.internal.inject.AbstractBinder;

/**
 * {@code GET /metrics} on the application port: one Prometheus registry per app (never the static
 * default one: tests run a parent and a child in one JVM) holding the JVM's figures, everything
 * Dropwizard records in its own MetricRegistry (Jetty's requests and responses, thread pools, HTTP
 * clients), the duration of every request per operation, and whatever the app adds through
 * {@link #registry()}.
 */
public final class MetricsBundle implements ConfiguredBundle<Configuration> {
    /** Dropwizard's own JVM gauges: {@link JvmMetrics} reports the same under Prometheus' standard names. */
    private static final String DROPWIZARD_JVM_PREFIX = "jvm.";

    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** Where an app registers its own {@code canopy_*} figures, from its {@code run} on. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        JvmMetrics.builder().register(registry);
        DropwizardExports.builder().dropwizardRegistry(environment.metrics())
                .metricFilter((name, metric) -> !name.startsWith(DROPWIZARD_JVM_PREFIX))
                .register(registry);
        environment.jersey().register(new RequestDurations(registry));
        // By class: a resource Jersey makes per request gets the request's Accept header injected.
        ExpositionFormats formats = ExpositionFormats.init();
        environment.jersey().register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(registry).to(PrometheusRegistry.class);
                bind(formats).to(ExpositionFormats.class);
            }
        });
        environment.jersey().register(MetricsResource.class);
    }
}
