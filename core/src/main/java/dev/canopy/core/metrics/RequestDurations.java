package dev.canopy.core.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 *
 * <p>A resource method's labels never change, so they are worked out on its first request and its
 * series are kept beside it: a request then costs one map lookup and one observation, not a path
 * template joined from Jersey's matches and a label lookup in the histogram.
 */
public final class RequestDurations implements ApplicationEventListener {
    static final String NAME = "canopy_http_request_duration_seconds";
    /** What a request that matched no resource method is labelled with: its raw path is the client's choice. */
    static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final String OTHER_METHOD = "other";

    private final Histogram durations;
    /** Keyed by identity: Jersey builds one ResourceMethod per operation when the application starts. */
    private final Map<ResourceMethod, Series> matched = new ConcurrentHashMap<>();
    /** By HTTP method (one of {@link #METHODS} or {@code other}): the only label an unmatched request has. */
    private final Map<String, Series> unmatched;

    public RequestDurations(PrometheusRegistry registry) {
        this.durations = Histogram.builder().name(NAME)
                .help("Time to answer an HTTP request, by operation, path template and status class")
                .unit(Unit.SECONDS).labelNames("operation", "method", "route", "status_class")
                .classicOnly().register(registry);
        this.unmatched = Stream.concat(METHODS.stream(), Stream.of(OTHER_METHOD))
                .collect(Collectors.toUnmodifiableMap(Function.identity(),
                        method -> new Series(UNMATCHED, method, UNMATCHED)));
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
        ContainerResponse response = event.getContainerResponse();
        // No response at all means an exception escaped every mapper: the container answers 500.
        int status = response == null ? 500 : response.getStatus();
        seriesOf(event).at(status).observe(nanos / 1e9);
    }

    private Series seriesOf(RequestEvent event) {
        ExtendedUriInfo uri = event.getUriInfo();
        ResourceMethod method = uri == null ? null : uri.getMatchedResourceMethod();
        if (method == null) {
            String httpMethod = event.getContainerRequest().getMethod();
            return unmatched.get(METHODS.contains(httpMethod) ? httpMethod : OTHER_METHOD);
        }
        Series known = matched.get(method);
        if (known != null) {
            return known;
        }
        // The templates are read from this request's match: the same for every request of this method.
        List<UriTemplate> templates = uri.getMatchedTemplates();
        return matched.computeIfAbsent(method, key -> new Series(
                key.getInvocable().getDefinitionMethod().getName(), key.getHttpMethod(), template(templates)));
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

    /** One operation's series, one per status class, each made when its first request is answered. */
    private final class Series {
        private final String operation;
        private final String method;
        private final String route;
        /** Index {@code status / 100}: 1xx to 5xx. */
        private final AtomicReferenceArray<DistributionDataPoint> byClass = new AtomicReferenceArray<>(6);

        Series(String operation, String method, String route) {
            this.operation = operation;
            this.method = method;
            this.route = route;
        }

        DistributionDataPoint at(int status) {
            int statusClass = status / 100;
            if (statusClass < 1 || statusClass >= byClass.length()) {
                return durations.labelValues(operation, method, route, statusClass + "xx");
            }
            DistributionDataPoint point = byClass.get(statusClass);
            if (point == null) {
                // Two first requests at once both get the histogram's one data point for these labels.
                point = durations.labelValues(operation, method, route, statusClass + "xx");
                byClass.set(statusClass, point);
            }
            return point;
        }
    }
}
