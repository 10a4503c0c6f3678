package dev.canopy.core.lease;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** {@code leases:} in an app's YAML: how long a registration lives without a ping, and how often expired ones go. */
public class LeaseFactory {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration ttl = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration reaperInterval = Duration.seconds(5);

    /** The TTL holders are told, in whole seconds, rounded down so that they ping early rather than late. */
    public int ttlSeconds() {
        return (int) Math.max(1, ttl.toSeconds());
    }

    public java.time.Duration ttlDuration() {
        return ttl.toJavaDuration();
    }

    /** A Managed that runs {@code sweep} every reaper interval, on a thread of its own. */
    public LeaseReaper buildReaper(Environment environment, String name, Runnable sweep) {
        return new LeaseReaper(environment.lifecycle().scheduledExecutorService(name).threads(1).build(),
                reaperInterval.toJavaDuration(), sweep);
    }

    @JsonProperty
    public Duration getTtl() {
        return ttl;
    }

    @JsonProperty
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    @JsonProperty
    public Duration getReaperInterval() {
        return reaperInterval;
    }

    @JsonProperty
    public void setReaperInterval(Duration reaperInterval) {
        this.reaperInterval = reaperInterval;
    }
}
