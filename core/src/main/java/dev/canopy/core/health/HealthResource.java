package dev.canopy.core.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.canopy.api.health.HealthApi;
import dev.canopy.api.model.HealthCheckResult;
import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code GET /health} on the application port of every app, from its Dropwizard health checks: 200
 * while healthy or degraded (serving its own clients), 503 when a check is plainly unhealthy.
 */
public final class HealthResource implements HealthApi {
    private final HealthCheckRegistry checks;

    public HealthResource(HealthCheckRegistry checks) {
        this.checks = checks;
    }

    @Override
    public Response getHealth() {
        SortedMap<String, HealthCheck.Result> results = checks.runHealthChecks();
        Map<String, HealthCheckResult> report = new TreeMap<>();
        HealthState overall = HealthState.HEALTHY;
        for (Map.Entry<String, HealthCheck.Result> entry : results.entrySet()) {
            HealthState state = stateOf(entry.getValue());
            report.put(entry.getKey(), new HealthCheckResult(state, entry.getValue().getMessage()));
            overall = worse(overall, state);
        }
        int status = overall == HealthState.UNHEALTHY ? 503 : 200;
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new HealthReport(overall, report)).build();
    }

    private static HealthState stateOf(HealthCheck.Result result) {
        if (result.isHealthy()) {
            return HealthState.HEALTHY;
        }
        return Degraded.is(result) ? HealthState.DEGRADED : HealthState.UNHEALTHY;
    }

    private static HealthState worse(HealthState a, HealthState b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
