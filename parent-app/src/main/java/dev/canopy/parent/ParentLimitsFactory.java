package dev.canopy.parent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.limits.BodySizeLimit;
import dev.canopy.core.limits.LimitsFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The parent's {@code limits:}. A child's complete set ({@code PUT …/orchestrators/{id}/services})
 * carries up to {@code maxServicesPerOrchestrator} services in one body, and a batch of its changes
 * ({@code POST …/orchestrators/{id}/services/$batch}) up to {@code maxBatchChanges}: both far beyond
 * the usual body limit, so those two operations share a limit of their own.
 */
public class ParentLimitsFactory extends LimitsFactory {
    /** The operations that carry a child's complete set and a batch of its changes. */
    static final List<BodySizeLimit.Route> SERVICE_SET_ROUTES = List.of(
            new BodySizeLimit.Route("PUT", "^/api/v1/orchestrators/[^/]+/services$"),
            new BodySizeLimit.Route("POST", "^/api/v1/orchestrators/[^/]+/services/\\$batch$"));

    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxServiceSetBodySize = DataSize.mebibytes(16);

    @Min(1)
    @Max(100_000)
    private int maxBatchChanges = 500;

    @Override
    public void installBodySizeLimit(Environment environment) {
        BodySizeLimit.install(environment.getApplicationContext(), getMaxBodySize().toBytes(), SERVICE_SET_ROUTES,
                maxServiceSetBodySize.toBytes());
        BodySizeLimit.installRequiringLength(environment.getAdminContext(), getMaxBodySize().toBytes());
    }

    @JsonProperty
    public int getMaxBatchChanges() {
        return maxBatchChanges;
    }

    @JsonProperty
    public void setMaxBatchChanges(int maxBatchChanges) {
        this.maxBatchChanges = maxBatchChanges;
    }

    @JsonProperty
    public DataSize getMaxServiceSetBodySize() {
        return maxServiceSetBodySize;
    }

    @JsonProperty
    public void setMaxServiceSetBodySize(DataSize maxServiceSetBodySize) {
        this.maxServiceSetBodySize = maxServiceSetBodySize;
    }
}
