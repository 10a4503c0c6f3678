package dev.canopy.parent.core;

import dev.canopy.core.logging.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One sweep of the parent's reaper: children that stopped renewing go, with their services. */
public final class ExpiredOrchestrators implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredOrchestrators.class);

    private final ParentRegistry registry;

    public ExpiredOrchestrators(ParentRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        for (Removal removal : registry.evictExpired()) {
            Events.warn(LOG, "orchestrator_evicted").with("orchestrator_id", removal.orchestrator().id())
                    .with("url", removal.orchestrator().url()).with("services_removed", removal.services().size())
                    .with("expired_at", removal.orchestrator().expiresAt())
                    .log("Orchestrator evicted: its lease ran out; its services went with it");
        }
    }
}
