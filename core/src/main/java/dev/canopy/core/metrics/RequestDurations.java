package dev.canopy.core.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request Jersey serves, whatever its resource method (Dropwizard's own timers only cover
 * methods annotated {@code @Timed}, which generated interfaces are not): a histogram per operation,
 * labelled with the path template it matched ({@code /api/v1/services/{id}}, never the id itself, so
 * the label set stays as small as the API) and the class of its status.
 */
public final class RequestDurations implements ApplicationEventListener {
    static final String NAME = "canopy_http_request_duration_seconds";
    /** What a request that matched no resource method is labelled with: its raw path is the client's choice. */
    static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final Histogram durations;

    public RequestDurations(PrometheusRegistry registry) {
        this.durations = Histogram.builder().name(NAME)
                .help("Time to answer an HTTP request, by operation, path template and status class")
                .unit(Unit.SECONDS).labelNames("operation", "method", "route", "status_class")
                .classicOnly().register(registry);
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // Nothing to do when the application starts or stops.
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long started = System.nanoTime();
        return event -> {
            if (event.getType() == RequestEvent.Type.FINISHED) {
                record(event, System.nanoTime() - started);
            }
        };
    }

    private void record(RequestEvent event, long nanos) {
        ExtendedUriInfo uri = event.getUriInfo();
        ResourceMethod method = uri == null ? null : uri.getMatchedResourceMethod();
        String operation = method == null ? UNMATCHED : method.getInvocable().getDefinitionMethod().getName();
        String route = method == null ? UNMATCHED : template(uri.getMatchedTemplates());
        String httpMethod = method != null ? method.getHttpMethod() : knownOrOther(event.getContainerRequest().getMethod());
        ContainerResponse response = event.getContainerResponse();
        // No response at all means an exception escaped every mapper: the container answers 500.
        int status = response == null ? 500 : response.getStatus();
        durations.labelValues(operation, httpMethod, route, (status / 100) + "xx").observe(nanos / 1e9);
    }

    /** The templates Jersey matched, innermost first, joined from the root into one path template. */
    static String template(List<UriTemplate> matched) {
        StringBuilder path = new StringBuilder();
        for (int i = matched.size() - 1; i >= 0; i--) {
            String part = matched.get(i).getTemplate();
            if (part.isEmpty() || "/".equals(part)) {
                continue;
            }
            if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
                if (!part.startsWith("/")) {
                    path.append('/');
                }
            } else if (part.startsWith("/")) {
                part = part.substring(1);
            }
            path.append(part);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    private static String knownOrOther(String method) {
        return METHODS.contains(method) ? method : "other";
    }
}
