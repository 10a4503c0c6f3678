package dev.canopy.core.health;

import com.codahale.metrics.health.HealthCheck;

/**
 * A check result that is not healthy yet not fatal: the app still serves its own clients (a child
 * without its parent). {@link HealthResource} reports it as {@code degraded} with status 200.
 */
public final class Degraded {
    static final String DETAIL = "degraded";

    private Degraded() {
    }

    public static HealthCheck.Result because(String message) {
        return HealthCheck.Result.builder().unhealthy().withMessage(message).withDetail(DETAIL, true).build();
    }

    static boolean is(HealthCheck.Result result) {
        return !result.isHealthy() && result.getDetails() != null
                && Boolean.TRUE.equals(result.getDetails().get(DETAIL));
    }
}
