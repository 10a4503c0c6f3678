package dev.canopy.child.managed;

import dev.canopy.child.metrics.ChildMetrics;
import dev.canopy.core.logging.Events;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One sweep of the child's reaper: services that stopped renewing go, here and then at the parent. */
public final class ExpiredServices implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredServices.class);

    private final ServiceRegistry services;
    private final ParentForwarder forwarder;
    private final ChildMetrics metrics;

    public ExpiredServices(ServiceRegistry services, ParentForwarder forwarder, ChildMetrics metrics) {
        this.services = services;
        this.forwarder = forwarder;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        for (ServiceRecord evicted : services.evictExpired()) {
            forwarder.changed(evicted.id());
            metrics.serviceEvicted();
            Events.warn(LOG, "service_evicted").with("service_id", evicted.id()).with("url", evicted.url())
                    .with("expired_at", evicted.expiresAt())
                    .log("Service evicted: its lease ran out");
        }
    }
}
