package dev.canopy.core.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** {@code retry:} in an app's YAML: how an upstream call that failed is retried. */
public class BackoffFactory {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration initialDelay = Duration.milliseconds(500);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration maxDelay = Duration.seconds(30);

    @JsonProperty
    public Duration getInitialDelay() {
        return initialDelay;
    }

    @JsonProperty
    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    @JsonProperty
    public Duration getMaxDelay() {
        return maxDelay;
    }

    @JsonProperty
    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public Backoff build() {
        return new Backoff(initialDelay.toJavaDuration(), maxDelay.toJavaDuration());
    }
}
