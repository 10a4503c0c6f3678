package dev.canopy.child.managed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ReconcileResult;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.api.model.ServiceEntry;
import dev.canopy.api.model.ServiceSet;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.core.logging.Events;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.core.upstream.Backoff;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the child's services to the parent, in the background: the outbox, and anti-entropy.
 *
 * <p>The outbox queues service ids, not operations: the worker takes up to {@code batchSize} ids at
 * once, reads each service's current state and sends them all in one batch
 * ({@code POST …/orchestrators/{id}/services/$batch}: present, an upsert with the same id; absent, a
 * removal), so the parent's load grows with batches, not registrations. An id is queued at most once,
 * so a later deregistration can never be overtaken by an earlier registration, repeated changes to
 * one service collapse into one change, and a failed batch is retried, with backoff, with the state of
 * the moment of every id it carried. The ids leave the queue before their state is read, so a change
 * made during a call queues its id again.
 *
 * <p>Anti-entropy sends the complete set in one call ({@code PUT …/orchestrators/{id}/services}):
 * after every (re)registration with the parent, when a heartbeat says the parent's copy differs, and
 * every reconcile interval. It runs on the same single worker as the forwards, so the two never
 * overtake each other; the outbox is emptied just before the set is read, since the set carries
 * every change queued until then; if the call fails, those changes are queued again.
 */
public final class ParentForwarder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ParentForwarder.class);
    private static final String RECONCILE = "*reconcile*";
    /** How the parent names a change it refused: {@code body.changes[3]}, {@code body.changes[3].url}. */
    private static final Pattern NAMED_CHANGE = Pattern.compile("^body\\.changes\\[(\\d+)]");
    /** Reads the parent's problems; a field added to them later must not make a refusal unreadable. */
    private static final ObjectMapper PROBLEMS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private enum Outcome { DONE, REJECTED, RETRY, PARENT_FORGOT_US }

    /** Hears how each call to the parent ended, on the worker thread: for the child's figures. */
    public interface Outcomes {
        /** A call carrying changes (a batch, or the complete set) was not acknowledged. */
        void forwardFailed();

        /** The parent acknowledged a complete set. */
        void reconciled();
    }

    /** The parent's id for this child, and which registration it came from. */
    private record Link(String orchestratorId, long generation) {
    }

    private final ServiceRegistry services;
    private final OrchestratorsApi parentOrchestrators;
    private final int batchSize;
    private final Backoff backoff;
    private final ExecutorService worker;
    private final ScheduledExecutorService timer;
    private final Duration reconcileInterval;
    private final Clock clock;

    private final BlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final List<Consumer<String>> forgetListeners = new CopyOnWriteArrayList<>();
    private final List<Outcomes> outcomeListeners = new CopyOnWriteArrayList<>();

    private final Object linkLock = new Object();
    private String orchestratorId;
    private long generation;

    /** Ids whose change is being sent right now: still pending until the parent acknowledges them. */
    private volatile Set<String> inFlight = Set.of();
    private volatile Instant lastSyncAt;
    private volatile Boolean inSync;
    private volatile boolean running;
    private Future<?> loop;
    private ScheduledFuture<?> periodic;

    /** @param batchSize the most changes one call carries; at most the parent's {@code maxBatchChanges} */
    public ParentForwarder(ServiceRegistry services, OrchestratorsApi parentOrchestrators, int batchSize,
                           Backoff backoff, ExecutorService worker, ScheduledExecutorService timer,
                           Duration reconcileInterval, Clock clock) {
        this.services = services;
        this.parentOrchestrators = parentOrchestrators;
        this.batchSize = batchSize;
        this.backoff = backoff;
        this.worker = worker;
        this.timer = timer;
        this.reconcileInterval = reconcileInterval;
        this.clock = clock;
    }

    /** The service {@code id} changed here (registered, updated, removed or evicted): tell the parent. */
    public void changed(String id) {
        if (queued.add(id)) {
            queue.add(id);
        }
    }

    /** The parent accepted this child as {@code id}: forward from now on, starting with the complete set. */
    public void linkedAs(String id) {
        synchronized (linkLock) {
            orchestratorId = id;
            generation++;
            linkLock.notifyAll();
        }
        requestReconcile();
    }

    /** What the parent answered a heartbeat with: does its copy agree with ours? */
    public void parentAnswered(Boolean agrees) {
        if (agrees != null) {
            inSync = agrees;
        }
        if (Boolean.FALSE.equals(agrees)) {
            requestReconcile();
        }
    }

    /** {@code listener} hears the orchestrator id the parent turned out not to know any more. */
    public void whenParentForgets(Consumer<String> listener) {
        forgetListeners.add(listener);
    }

    /** {@code listener} hears how each call to the parent ended. */
    public void reportOutcomesTo(Outcomes listener) {
        outcomeListeners.add(listener);
    }

    public void requestReconcile() {
        if (reconcileQueued.compareAndSet(false, true)) {
            // Ahead of the queued ids: the set carries their changes, and after an outage hundreds of
            // single forwards would otherwise keep a restarted parent incomplete for seconds.
            queue.addFirst(RECONCILE);
        }
    }

    /** Services whose latest change the parent has not acknowledged yet. */
    public int pending() {
        Set<String> sending = inFlight;
        int pending = queued.size();
        for (String id : sending) {
            if (!queued.contains(id)) {
                pending++;
            }
        }
        return pending;
    }

    /** When the parent last acknowledged a change or a complete set; null before the first. */
    public Optional<Instant> lastSyncAt() {
        return Optional.ofNullable(lastSyncAt);
    }

    /** Whether the parent's copy agreed at the last heartbeat or reconciliation; empty before the first. */
    public Optional<Boolean> inSync() {
        return Optional.ofNullable(inSync);
    }

    @Override
    public void start() {
        running = true;
        loop = worker.submit(this::drain);
        long every = reconcileInterval.toMillis();
        periodic = timer.scheduleWithFixedDelay(this::requestReconcile, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (loop != null) {
            loop.cancel(true);
        }
    }

    private void drain() {
        int failures = 0;
        while (running) {
            try {
                Link link = awaitLink();
                String item = queue.take();
                Outcome outcome;
                if (RECONCILE.equals(item)) {
                    reconcileQueued.set(false);
                    inFlight = takeQueuedIds();
                    outcome = reconcile(link);
                } else {
                    List<String> batch = takeBatchStartingWith(item);
                    inFlight = Set.copyOf(batch);
                    outcome = forward(link, batch);
                }
                Set<String> sent = inFlight;
                report(item, outcome);
                switch (outcome) {
                    case DONE -> {
                        failures = 0;
                        lastSyncAt = clock.instant();
                    }
                    case REJECTED -> failures = 0;
                    case PARENT_FORGOT_US -> {
                        requeue(item, sent);
                        forgotten(link);
                    }
                    case RETRY -> {
                        requeue(item, sent);
                        inFlight = Set.of();
                        Thread.sleep(backoff.delay(failures++).toMillis());
                    }
                }
                inFlight = Set.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                outcomeListeners.forEach(Outcomes::forwardFailed);
                inFlight.forEach(this::changed);
                inFlight = Set.of();
                Events.error(LOG, "forwarder_failed").cause(e).log("Unexpected failure in the parent forwarder");
            }
        }
    }

    private void report(String item, Outcome outcome) {
        if (outcome != Outcome.DONE) {
            outcomeListeners.forEach(Outcomes::forwardFailed);
        } else if (RECONCILE.equals(item)) {
            outcomeListeners.forEach(Outcomes::reconciled);
        }
    }

    private Link awaitLink() throws InterruptedException {
        synchronized (linkLock) {
            while (orchestratorId == null) {
                linkLock.wait();
            }
            return new Link(orchestratorId, generation);
        }
    }

    /**
     * {@code first} and the ids queued behind it, up to {@code batchSize}; a reconciliation requested
     * meanwhile is left at the head of the queue, for the next turn.
     */
    private List<String> takeBatchStartingWith(String first) {
        List<String> batch = new ArrayList<>(Math.min(batchSize, queued.size() + 1));
        batch.add(first);
        queued.remove(first);
        while (batch.size() < batchSize) {
            String next = queue.peekFirst();
            if (next == null || RECONCILE.equals(next) || !queue.remove(next)) {
                break;
            }
            batch.add(next);
            queued.remove(next);
        }
        return batch;
    }

    /**
     * Takes every queued id off the queue, for a complete set that is about to be read: it carries their
     * changes. A change made from here on queues its id again.
     */
    private Set<String> takeQueuedIds() {
        Set<String> taken = new HashSet<>();
        queue.removeIf(item -> !RECONCILE.equals(item) && taken.add(item));
        taken.forEach(queued::remove);
        return Set.copyOf(taken);
    }

    /** The call failed: what it carried is pending again. */
    private void requeue(String item, Set<String> sent) {
        sent.forEach(this::changed);
        if (RECONCILE.equals(item)) {
            requestReconcile();
        }
    }

    /** Wait for the next registration, unless one already replaced the link the parent refused. */
    private void forgotten(Link link) {
        synchronized (linkLock) {
            if (generation != link.generation()) {
                return;
            }
            orchestratorId = null;
        }
        forgetListeners.forEach(listener -> listener.accept(link.orchestratorId()));
    }

    private Outcome reconcile(Link link) {
        List<ServiceRecord> snapshot = services.all();
        ServiceSet set = new ServiceSet(snapshot.stream()
                .map(s -> new ServiceEntry(s.id(), s.url()).info(s.info())).toList());
        try {
            ReconcileResult result = parentOrchestrators.replaceOrchestratorServices(link.orchestratorId(), set);
            inSync = ServicesDigest.ofAll(snapshot).equals(result.getServicesDigest());
            Events.info(LOG, "parent_reconciled").with("orchestrator_id", link.orchestratorId())
                    .with("services", snapshot.size()).with("added", result.getAdded())
                    .with("updated", result.getUpdated()).with("removed", result.getRemoved())
                    .log("The parent's copy of this child's services now equals the complete set");
            return Outcome.DONE;
        } catch (ApiException e) {
            return refused(link, "*", true, e);
        } catch (RuntimeException e) {
            return unreachable(link, "*", e);
        }
    }

    private Outcome forward(Link link, List<String> ids) {
        List<ServiceChangeRequest> changes = new ArrayList<>(ids.size());
        for (String id : ids) {
            changes.add(services.find(id)
                    .map(record -> new ServiceChangeRequest(ServiceChangeOp.UPSERT, id).url(record.url())
                            .info(record.info()))
                    .orElseGet(() -> new ServiceChangeRequest(ServiceChangeOp.REMOVE, id)));
        }
        String what = ids.size() == 1 ? ids.get(0) : ids.size() + " services";
        try {
            parentOrchestrators.applyOrchestratorServiceChanges(link.orchestratorId(), new ServiceChangeBatch(changes));
            Events.debug(LOG, "changes_forwarded").with("orchestrator_id", link.orchestratorId())
                    .with("changes", ids.size()).log("A batch of changes forwarded to the parent");
            return Outcome.DONE;
        } catch (ApiException e) {
            Outcome outcome = refused(link, what, true, e);
            if (outcome == Outcome.REJECTED) {
                sendAgainAllBut(namedChanges(e), ids);
            }
            return outcome;
        } catch (RuntimeException e) {
            return unreachable(link, what, e);
        }
    }

    /**
     * A refused batch is refused as a whole, but the parent names the changes it refuses: those are
     * dropped, as a refused single forward was, and the others are queued again to go in the next batch.
     * A refusal that names no change (the orchestrator's key, a body too large) drops the whole batch.
     */
    private void sendAgainAllBut(Set<Integer> refused, List<String> ids) {
        if (refused.isEmpty()) {
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            if (refused.contains(i)) {
                Events.error(LOG, "forward_rejected").with("service_id", ids.get(i))
                        .log("The parent rejected this service's change; it is not sent again");
            } else {
                changed(ids.get(i));
            }
        }
    }

    private static Set<Integer> namedChanges(ApiException e) {
        Set<Integer> named = new HashSet<>();
        try {
            Problem problem = PROBLEMS.readValue(String.valueOf(e.getResponseBody()), Problem.class);
            for (InvalidParam param : problem.getInvalidParams() == null ? List.<InvalidParam>of()
                    : problem.getInvalidParams()) {
                Matcher matcher = NAMED_CHANGE.matcher(param.getName());
                if (matcher.find()) {
                    named.add(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not a problem document: nothing is named, and the batch is dropped as a whole.
        }
        return named;
    }

    private Outcome unreachable(Link link, String id, RuntimeException e) {
        // Connection refused, timeout: the parent is away; the item waits its turn again.
        Events.warn(LOG, "forward_failed").with("service_id", id).with("orchestrator_id", link.orchestratorId())
                .with("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                .log("Could not reach the parent; will retry");
        return Outcome.RETRY;
    }

    private Outcome refused(Link link, String id, boolean aboutThisOrchestrator, ApiException e) {
        int status = e.getCode();
        if (status == 404 && !aboutThisOrchestrator) {
            return Outcome.DONE;
        }
        if (status == 404) {
            // The parent does not know this child (it restarted, or evicted or removed it).
            return Outcome.PARENT_FORGOT_US;
        }
        if (status == 401) {
            // The parent no longer takes this child's key: every call fails alike until an operator fixes
            // the key on one side or the other, so the change waits, with backoff, rather than being lost.
            Events.error(LOG, "upstream_credentials_rejected").with("service_id", id)
                    .with("orchestrator_id", link.orchestratorId()).with("status", status)
                    .log("The parent refused this child's key; the forward waits and is retried");
            return Outcome.RETRY;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            // The parent refuses this as it is (invalid, too large, beyond its limit for this child):
            // sending it again cannot help, so it is not retried. The parent's copy now differs from
            // this child's set; the sync state says so until a heartbeat or a complete set finds
            // them agreeing.
            inSync = false;
            Events.error(LOG, "forward_rejected").with("service_id", id).with("orchestrator_id", link.orchestratorId())
                    .with("status", status).with("problem", e.getResponseBody())
                    .log("The parent rejected a forward");
            return Outcome.REJECTED;
        }
        Events.warn(LOG, "forward_failed").with("service_id", id).with("orchestrator_id", link.orchestratorId())
                .with("status", status).log("The parent could not take a forward; will retry");
        return Outcome.RETRY;
    }
}
