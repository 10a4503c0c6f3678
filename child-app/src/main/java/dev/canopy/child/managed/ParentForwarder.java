package dev.canopy.child.managed;

import dev.canopy.api.model.ParentServiceRegistration;
import dev.canopy.client.parent.ServicesApi;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.core.logging.Events;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.upstream.Backoff;
import dev.canopy.core.upstream.UpstreamRegistration;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the child's registrations and deregistrations to the parent, in the background.
 *
 * <p>It queues service ids, not operations: when an id comes up, the worker reads the service's
 * current state and sends it (present: register with the same id; absent: deregister). So a later
 * deregistration can never be overtaken by an earlier registration, repeated changes to one service
 * collapse into one call, and a failed call is simply retried with the state of the moment. The id
 * leaves the queue before its state is read, so a change made during a call queues it again.
 *
 * <p>One worker thread sends everything; it waits while the child is not registered with the parent,
 * and every (re)registration queues every service, so a parent that restarted empty is refilled.
 */
public final class ParentForwarder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ParentForwarder.class);

    private enum Outcome { DONE, RETRY, REGISTRATION_LOST }

    private final ServiceRegistry services;
    private final ServicesApi parent;
    private final UpstreamRegistration registration;
    private final Backoff backoff;
    private final ExecutorService worker;

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Future<?> loop;

    public ParentForwarder(ServiceRegistry services, ServicesApi parent, UpstreamRegistration registration,
                           Backoff backoff, ExecutorService worker) {
        this.services = services;
        this.parent = parent;
        this.registration = registration;
        this.backoff = backoff;
        this.worker = worker;
    }

    /** The service {@code id} changed here (registered, updated or removed): tell the parent. */
    public void changed(String id) {
        if (queued.add(id)) {
            queue.add(id);
        }
    }

    /** The parent (re)accepted this child: send it everything we hold. */
    public void resync(String orchestratorId) {
        Events.info(LOG, "parent_resync_started").with("orchestrator_id", orchestratorId)
                .with("services", services.size()).log("Forwarding every service to the parent");
        services.ids().forEach(this::changed);
    }

    /** Services whose latest change the parent has not acknowledged yet. */
    public int pending() {
        return queued.size();
    }

    @Override
    public void start() {
        running = true;
        loop = worker.submit(this::drain);
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.cancel(true);
        }
    }

    private void drain() {
        int failures = 0;
        while (running) {
            try {
                String orchestratorId = registration.awaitRegistration();
                String id = queue.take();
                queued.remove(id);
                switch (forward(orchestratorId, id)) {
                    case DONE -> failures = 0;
                    case REGISTRATION_LOST -> {
                        changed(id);
                        registration.registrationLost(orchestratorId);
                    }
                    case RETRY -> {
                        changed(id);
                        Thread.sleep(backoff.delay(failures++).toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Events.error(LOG, "forwarder_failed").cause(e).log("Unexpected failure in the parent forwarder");
            }
        }
    }

    private Outcome forward(String orchestratorId, String id) {
        Optional<ServiceRecord> service = services.find(id);
        try {
            if (service.isPresent()) {
                ServiceRecord record = service.get();
                parent.registerService(new ParentServiceRegistration(record.url(), orchestratorId)
                        .id(id).info(record.info()));
                Events.debug(LOG, "service_forwarded").with("service_id", id)
                        .with("orchestrator_id", orchestratorId).log("Registration forwarded to the parent");
            } else {
                parent.deregisterService(id);
                Events.debug(LOG, "deregistration_forwarded").with("service_id", id)
                        .with("orchestrator_id", orchestratorId).log("Deregistration forwarded to the parent");
            }
            return Outcome.DONE;
        } catch (ApiException e) {
            return refused(orchestratorId, id, service.isPresent(), e);
        } catch (RuntimeException e) {
            // Connection refused, timeout: the parent is away; the id waits its turn again.
            Events.warn(LOG, "forward_failed").with("service_id", id).with("orchestrator_id", orchestratorId)
                    .with("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .log("Could not reach the parent; will retry");
            return Outcome.RETRY;
        }
    }

    private Outcome refused(String orchestratorId, String id, boolean registering, ApiException e) {
        int status = e.getCode();
        if (!registering && status == 404) {
            return Outcome.DONE;
        }
        if (registering && status == 404) {
            // The parent does not know this child (it restarted, or an operator removed it).
            return Outcome.REGISTRATION_LOST;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            // The parent refuses this service as it is; sending it again cannot help.
            Events.error(LOG, "forward_rejected").with("service_id", id).with("orchestrator_id", orchestratorId)
                    .with("status", status).with("problem", e.getResponseBody())
                    .log("The parent rejected a forwarded service");
            return Outcome.DONE;
        }
        Events.warn(LOG, "forward_failed").with("service_id", id).with("orchestrator_id", orchestratorId)
                .with("status", status).log("The parent could not take a forward; will retry");
        return Outcome.RETRY;
    }
}
