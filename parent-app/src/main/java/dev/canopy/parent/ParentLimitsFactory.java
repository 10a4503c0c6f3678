package dev.canopy.parent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canopy.core.limits.BodySizeLimit;
import dev.canopy.core.limits.LimitsFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.NotNull;

/**
 * The parent's {@code limits:}. A child's complete set ({@code PUT …/orchestrators/{id}/services})
 * carries up to {@code maxServicesPerOrchestrator} services in one body, far beyond the usual body
 * limit, so that one operation has a limit of its own.
 */
public class ParentLimitsFactory extends LimitsFactory {
    /** The operation that carries a child's complete set. */
    static final String SERVICE_SET_PATH = "^/api/v1/orchestrators/[^/]+/services$";

    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxServiceSetBodySize = DataSize.mebibytes(16);

    @Override
    public void installBodySizeLimit(Environment environment) {
        BodySizeLimit.install(environment.getApplicationContext(), getMaxBodySize().toBytes(), "PUT",
                SERVICE_SET_PATH, maxServiceSetBodySize.toBytes());
        BodySizeLimit.installRequiringLength(environment.getAdminContext(), getMaxBodySize().toBytes());
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
