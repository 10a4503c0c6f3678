package dev.canopy.core.limits;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code limits:} in an app's YAML: how large a request body may be, and how many services one
 * orchestrator may hold (at a child, its own registry; at the parent, each child's share).
 */
public class LimitsFactory {
    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxBodySize = DataSize.kibibytes(64);

    @Min(1)
    @Max(10_000_000)
    private int maxServicesPerOrchestrator = 10_000;

    /** Caps the body of every request, to the API and to {@code /admin} alike. */
    public void installBodySizeLimit(Environment environment) {
        BodySizeLimit.install(environment.getApplicationContext(), maxBodySize.toBytes());
        BodySizeLimit.installRequiringLength(environment.getAdminContext(), maxBodySize.toBytes());
    }

    @JsonProperty
    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    @JsonProperty
    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @JsonProperty
    public int getMaxServicesPerOrchestrator() {
        return maxServicesPerOrchestrator;
    }

    @JsonProperty
    public void setMaxServicesPerOrchestrator(int maxServicesPerOrchestrator) {
        this.maxServicesPerOrchestrator = maxServicesPerOrchestrator;
    }
}
