package dev.canopy.core.metrics;

import dev.canopy.api.metrics.MetricsApi;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code GET /metrics}: the app's registry in the format the scraper asks for. The library picks it
 * from the Accept header (OpenMetrics for Prometheus, which asks for it first; the classic text
 * format, {@code text/plain; version=0.0.4}, for anyone else) and writes it. Made per request by
 * Jersey (see {@link MetricsBundle}), which is what gives it the request's headers.
 */
public final class MetricsResource implements MetricsApi {
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats;
    private final HttpHeaders headers;

    @Inject
    public MetricsResource(PrometheusRegistry registry, ExpositionFormats formats, @Context HttpHeaders headers) {
        this.registry = registry;
        this.formats = formats;
        this.headers = headers;
    }

    @Override
    public Response getMetrics() {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        ExpositionFormatWriter writer = formats.findWriter(accept);
        EscapingScheme escaping = accept == null ? EscapingScheme.DEFAULT : EscapingScheme.fromAcceptHeader(accept);
        // Read once, before the answer starts: a collector that fails then is a 500 with a problem,
        // not a cut-off body.
        MetricSnapshots snapshots = registry.scrape();
        StreamingOutput body = out -> writer.write(out, snapshots, escaping);
        // As a header, not a MediaType: Jersey would reorder the parameters of a parsed type.
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, writer.getContentType()).build();
    }
}
