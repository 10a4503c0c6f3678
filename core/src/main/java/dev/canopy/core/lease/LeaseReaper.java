package dev.canopy.core.lease;

import dev.canopy.core.logging.Events;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Evicts registrations whose lease ran out, every interval, for as long as the app runs. */
public final class LeaseReaper implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);

    private final ScheduledExecutorService executor;
    private final Duration interval;
    private final Runnable sweep;
    private ScheduledFuture<?> schedule;

    LeaseReaper(ScheduledExecutorService executor, Duration interval, Runnable sweep) {
        this.executor = executor;
        this.interval = interval;
        this.sweep = sweep;
    }

    @Override
    public void start() {
        schedule = executor.scheduleWithFixedDelay(this::sweepOnce, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    private void sweepOnce() {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the schedule: the next one tries again.
            Events.error(LOG, "lease_sweep_failed").cause(e).log("Evicting expired registrations failed");
        }
    }
}
