package dev.canopy.parent.core;

import dev.canopy.core.logging.Events;
import dev.canopy.parent.metrics.ParentMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One sweep of the parent's reaper: children that stopped renewing go, with their services. */
public final class ExpiredOrchestrators implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredOrchestrators.class);

    private final ParentRegistry registry;
    private final ParentMetrics metrics;

    public ExpiredOrchestrators(ParentRegistry registry, ParentMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        for (Removal removal : registry.evictExpired()) {
            metrics.orchestratorEvicted(removal);
            Events.warn(LOG, "orchestrator_evicted").with("orchestrator_id", removal.orchestrator().id())
                    .with("url", removal.orchestrator().url()).with("services_removed", removal.services().size())
                    .with("expired_at", removal.orchestrator().expiresAt())
                    .log("Orchestrator evicted: its lease ran out; its services went with it");
        }
    }
}
