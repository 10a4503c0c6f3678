package dev.canopy.core.upstream;

import com.codahale.metrics.health.HealthCheck;
import dev.canopy.core.health.Degraded;

/** Degraded, not unhealthy, while unregistered: the app keeps serving its own clients meanwhile. */
public final class UpstreamLinkHealthCheck extends HealthCheck {
    private final UpstreamRegistration registration;

    public UpstreamLinkHealthCheck(UpstreamRegistration registration) {
        this.registration = registration;
    }

    @Override
    protected Result check() {
        return registration.registeredId()
                .map(id -> Result.healthy("Registered with " + registration.upstream() + " as " + id))
                .orElseGet(() -> Degraded.because("Not registered with " + registration.upstream() + " yet"
                        + registration.lastFailure().map(failure -> "; last attempt: " + failure).orElse("")));
    }
}
