package dev.canopy.example.resources;

import dev.canopy.api.service.HealthApi;
import dev.canopy.core.health.HealthReporter;
import jakarta.ws.rs.core.Response;

public final class HealthResource implements HealthApi {
    private final HealthReporter health;

    public HealthResource(HealthReporter health) {
        this.health = health;
    }

    @Override
    public Response getHealth() {
        return health.report();
    }
}
