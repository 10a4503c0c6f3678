package dev.canopy.child.managed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.OrchestratorLease;
import dev.canopy.api.model.OrchestratorPing;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeBatchResult;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.api.model.ServiceDigestPage;
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
import java.util.Iterator;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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
 * <p>Up to {@code callsInFlight} batches are on their way at once: a change that arrives while a call is
 * out leaves at once in a call of its own instead of waiting for that answer and then for its own call
 * (with one call in flight a registration's propagation is up to two of the parent's answer times). A
 * batch never carries an id that a call in flight carries: that id's newer change waits for the answer
 * and goes in a later batch, so the parent applies each service's changes in the order they were made.
 *
 * <p>At a high rate of changes a batch lingers: it waits up to {@code linger} for more before it
 * leaves, so that the parent gets a few large calls instead of many small ones (a call costs the child
 * as much CPU as some fifty of the changes it carries; docs/performance.md). It lingers only while the
 * recent rate promises at least {@link #LINGER_GAIN} more changes in that time, so at the tens or
 * hundreds of changes a second most children see, a change leaves at once.
 *
 * <p>Anti-entropy compares instead of resending: after every (re)registration with the parent, when a
 * heartbeat finds the two sets differ while no change of ours waits to be forwarded, and every
 * reconcile interval, the worker reads the parent's copy of our services a page at a time
 * ({@code GET …/orchestrators/{id}/services}, ids and digests), merge-joins it with a snapshot of our
 * own set ({@link CopyComparison}) and sends only the differences, as batches of at most
 * {@code batchSize}. Every call is bounded, so none outlasts the client's timeout or holds the
 * parent's write lock for long, however many services the child holds; when the first page's digest
 * already equals ours, that one read is all. Changes still queued go first, as the snapshot holds
 * them: when the parent then answers with our digest, no page is read at all. It runs on the worker
 * once no forward is in flight, and none starts until it ends, so the two never overtake each other
 * (no forward lands at the parent between the read of its copy and the differences sent); the outbox
 * is emptied just before the snapshot is read, since the comparison covers every change queued until
 * then; if it fails, those changes are queued again and the reconciliation is requested again.
 */
public final class ParentForwarder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ParentForwarder.class);
    private static final String RECONCILE = "*reconcile*";
    /** Services per page of the parent's copy: the most a page may hold; a page is ids and digests only. */
    static final int COPY_PAGE_SIZE = 1000;
    /** How the parent names a change it refused: {@code body.changes[3]}, {@code body.changes[3].url}. */
    private static final Pattern NAMED_CHANGE = Pattern.compile("^body\\.changes\\[(\\d+)]");
    /** A batch lingers only when the recent rate promises at least this many more changes meanwhile. */
    private static final int LINGER_GAIN = 20;
    /** How long the worker waits for an answer before it looks at the queue again (see awaitAnswerFor). */
    private static final long RECHECK_MILLIS = 5;
    /** The rate of changes a batch's linger is judged by: over windows of this length. */
    private static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Reads the parent's problems; a field added to them later must not make a refusal unreadable. */
    private static final ObjectMapper PROBLEMS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private enum Outcome { DONE, REJECTED, RETRY, PARENT_FORGOT_US }

    /** Hears how each call to the parent ended, on the worker thread: for the child's figures. */
    public interface Outcomes {
        /** A call to the parent (a batch of changes, or a page of its copy) failed or was refused. */
        void forwardFailed();

        /** A reconciliation ended with the parent's copy equal to the snapshot it compared. */
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
    private final ExecutorService callers;
    private final int callsInFlight;
    private final ScheduledExecutorService timer;
    private final Duration reconcileInterval;
    private final Clock clock;
    private final long lingerNanos;

    private final BlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Ids queued so far: the rate of changes, for the linger. */
    private final LongAdder arrivals = new LongAdder();
    /** The worker's reading of that rate: changes per nanosecond in the last whole window. */
    private long rateWindowStart = System.nanoTime();
    private long rateWindowArrivals;
    private double arrivalsPerNano;
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    /** Heartbeats in a row that found the copies differing while nothing of ours was on its way. */
    private final AtomicInteger quietDisagreements = new AtomicInteger();
    private final List<Consumer<String>> forgetListeners = new CopyOnWriteArrayList<>();
    private final List<Outcomes> outcomeListeners = new CopyOnWriteArrayList<>();

    private final Object linkLock = new Object();
    private String orchestratorId;
    private long generation;

    /** Ids whose change is being sent right now: still pending until the parent acknowledges them. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Guards {@link #callsRunning}; notified whenever a call ends. */
    private final Object calls = new Object();
    private int callsRunning;
    private final AtomicInteger failures = new AtomicInteger();
    /** No call starts before this {@link System#nanoTime}: the backoff after a failed call. */
    private volatile long resumeAt = System.nanoTime();
    private volatile Instant lastSyncAt;
    private volatile Boolean inSync;
    /** A reconciliation is reading the parent's copy or sending what differs. */
    private volatile boolean reconciling;
    /**
     * Our digest and the parent's when a reconciliation last ended with differences the parent refused:
     * a heartbeat that finds the same two does not start the same futile walk again.
     */
    private volatile String refusedDifference;
    private volatile boolean running;
    private Future<?> loop;
    private ScheduledFuture<?> periodic;

    /**
     * @param batchSize the most changes one call carries; at most the parent's {@code maxBatchChanges}
     * @param callsInFlight how many batches may be on their way to the parent at once
     * @param linger how long a batch may wait for more changes at a high rate of changes; zero never
     * @param worker runs the loop that takes batches off the queue, and the reconciliations (one thread)
     * @param callers runs the forwards' calls: at least {@code callsInFlight} threads
     */
    public ParentForwarder(ServiceRegistry services, OrchestratorsApi parentOrchestrators, int batchSize,
                           int callsInFlight, Duration linger, Backoff backoff, ExecutorService worker,
                           ExecutorService callers, ScheduledExecutorService timer, Duration reconcileInterval,
                           Clock clock) {
        if (callsInFlight < 1) {
            throw new IllegalArgumentException("at least one call must be allowed in flight");
        }
        this.services = services;
        this.parentOrchestrators = parentOrchestrators;
        this.batchSize = batchSize;
        this.callsInFlight = callsInFlight;
        this.lingerNanos = linger.toNanos();
        this.backoff = backoff;
        this.worker = worker;
        this.callers = callers;
        this.timer = timer;
        this.reconcileInterval = reconcileInterval;
        this.clock = clock;
    }

    /** The service {@code id} changed here (registered, updated, removed or evicted): tell the parent. */
    public void changed(String id) {
        if (queued.add(id)) {
            arrivals.increment();
            queue.add(id);
        }
    }

    /** The parent accepted this child as {@code id}: forward from now on, starting with a reconciliation. */
    public void linkedAs(String id) {
        synchronized (linkLock) {
            orchestratorId = id;
            generation++;
            linkLock.notifyAll();
        }
        requestReconcile();
    }

    /**
     * What the parent answered a heartbeat with: does its copy agree with ours? A disagreement asks for
     * a reconciliation only when nothing of ours was on its way: while changes wait to be forwarded
     * (when the heartbeat was made, or now) or a reconciliation runs, the digests are expected to
     * differ, and the forwards will make them agree. Even then it takes two such heartbeats in a row:
     * a change made just after the heartbeat took our digest can be forwarded and acknowledged before
     * the parent takes its own, with the outbox empty on both sides of it (at hundreds of changes a
     * second it often is), and a reconciliation walks the parent's whole copy while no forward may go
     * (docs/performance.md, scenario 5). Drift stays until repaired; that race does not repeat on the
     * next heartbeat. Drift hidden behind a steady stream of changes is left to the periodic
     * reconciliation.
     */
    public void parentAnswered(OrchestratorPing sent, OrchestratorLease answer) {
        Boolean agrees = answer.getInSync();
        if (agrees != null) {
            inSync = agrees;
        }
        if (!Boolean.FALSE.equals(agrees)) {
            quietDisagreements.set(0);
            return;
        }
        Integer pendingWhenSent = sent.getPendingForwards();
        boolean quiet = (pendingWhenSent == null || pendingWhenSent == 0) && pending() == 0 && !reconciling;
        if (!quiet) {
            quietDisagreements.set(0);
            return;
        }
        if (quietDisagreements.incrementAndGet() >= 2
                && !(sent.getServicesDigest() + "/" + answer.getServicesDigest()).equals(refusedDifference)) {
            quietDisagreements.set(0);
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
        int pending = queued.size();
        for (String id : inFlight) {
            if (!queued.contains(id)) {
                pending++;
            }
        }
        return pending;
    }

    /** When the parent last acknowledged a change or a reconciliation; null before the first. */
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

    /**
     * The loop on the worker: waits for a free call, then for a change, and sends the batch that change
     * starts on a caller thread; a reconciliation runs here, once every call in flight has ended.
     */
    private void drain() {
        while (running) {
            try {
                Link link = awaitLink();
                awaitFreeCall();
                String item = queue.take();
                awaitBackoff();
                if (RECONCILE.equals(item)) {
                    awaitNoCalls();
                    reconcileOnce(link);
                } else {
                    lingerForMore();
                    List<String> batch = takeBatchStartingWith(item);
                    if (batch.isEmpty()) {
                        // Rare: a service changed again while its change is on its way.
                        awaitAnswerFor(item);
                    } else {
                        startCall(link, batch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * On the worker, with a batch's first change taken: at a high rate of changes, waits until the batch
     * could be full at that rate, or for {@code linger}, whichever is sooner.
     */
    private void lingerForMore() throws InterruptedException {
        long now = System.nanoTime();
        if (now - rateWindowStart >= RATE_WINDOW_NANOS) {
            long seen = arrivals.sum();
            arrivalsPerNano = (double) (seen - rateWindowArrivals) / (now - rateWindowStart);
            rateWindowStart = now;
            rateWindowArrivals = seen;
        }
        int room = batchSize - 1 - queue.size();
        if (lingerNanos == 0 || room <= 0 || arrivalsPerNano * lingerNanos < LINGER_GAIN) {
            return;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(lingerNanos, (long) (room / arrivalsPerNano)));
    }

    private void reconcileOnce(Link link) {
        reconcileQueued.set(false);
        reconciling = true;
        Set<String> taken = Set.of();
        Outcome outcome;
        try {
            taken = takeQueuedIds();
            outcome = reconcile(link, taken);
        } catch (RuntimeException e) {
            failedUnexpectedly(taken, e);
            return;
        } finally {
            reconciling = false;
        }
        settle(RECONCILE, link, outcome, taken);
    }

    private void startCall(Link link, List<String> batch) {
        Set<String> sent = Set.copyOf(batch);
        synchronized (calls) {
            callsRunning++;
        }
        try {
            callers.execute(() -> {
                try {
                    settle(null, link, forward(link, batch), sent);
                } catch (RuntimeException e) {
                    failedUnexpectedly(sent, e);
                } finally {
                    callEnded();
                }
            });
        } catch (RuntimeException e) {
            // The callers are shutting down (the app stops): the batch stays pending, as if never taken.
            failedUnexpectedly(sent, e);
            callEnded();
        }
    }

    /** What a call's outcome means for what it carried; then those ids are no longer in flight. */
    private void settle(String item, Link link, Outcome outcome, Set<String> sent) {
        switch (outcome) {
            case DONE -> {
                failures.set(0);
                lastSyncAt = clock.instant();
            }
            case REJECTED -> failures.set(0);
            case PARENT_FORGOT_US -> {
                requeue(item, sent);
                forgotten(link);
            }
            case RETRY -> {
                requeue(item, sent);
                resumeAt = System.nanoTime() + backoff.delay(failures.getAndIncrement()).toNanos();
            }
        }
        inFlight.removeAll(sent);
    }

    private void failedUnexpectedly(Set<String> sent, RuntimeException e) {
        outcomeListeners.forEach(Outcomes::forwardFailed);
        sent.forEach(this::changed);
        inFlight.removeAll(sent);
        Events.error(LOG, "forwarder_failed").cause(e).log("Unexpected failure in the parent forwarder");
    }

    private void callEnded() {
        synchronized (calls) {
            callsRunning--;
            calls.notifyAll();
        }
    }

    private void awaitFreeCall() throws InterruptedException {
        synchronized (calls) {
            while (callsRunning >= callsInFlight) {
                calls.wait();
            }
        }
    }

    private void awaitNoCalls() throws InterruptedException {
        synchronized (calls) {
            while (callsRunning > 0) {
                calls.wait();
            }
        }
    }

    /**
     * A call in flight carries {@code id}'s earlier change (and every other queued id's): its newer one
     * waits for that answer, back at the head of the queue. The worker looks again after at most
     * {@link #RECHECK_MILLIS}, so another service's change that arrives meanwhile is not held back until
     * the answer (which may take the client's whole timeout); {@link #changed} wakes nobody, since
     * request threads should not contend for a lock for this rare case.
     */
    private void awaitAnswerFor(String id) throws InterruptedException {
        synchronized (calls) {
            if (inFlight.contains(id)) {
                calls.wait(RECHECK_MILLIS);
            }
        }
    }

    private void awaitBackoff() throws InterruptedException {
        long wait = resumeAt - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
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
     * {@code first} and the ids queued behind it, up to {@code batchSize}, leaving queued those a call in
     * flight carries (so {@code first} too, back at the head, if a call in flight carries it); empty if
     * every queued id is in flight. A reconciliation requested meanwhile is left at the head of the
     * queue, for the next turn.
     */
    private List<String> takeBatchStartingWith(String first) {
        List<String> batch = new ArrayList<>(Math.min(batchSize, queued.size() + 1));
        Set<String> taken = new HashSet<>();
        if (inFlight.contains(first)) {
            queue.addFirst(first);
        } else {
            batch.add(first);
            taken.add(first);
            takeOff(first);
        }
        for (Iterator<String> behind = queue.iterator(); batch.size() < batchSize && behind.hasNext(); ) {
            String next = behind.next();
            if (RECONCILE.equals(next)) {
                break;
            }
            // Queued again after it joined this batch (the iterator sees ids added behind it): the batch
            // reads every service's state when it is sent, so that change goes with it, listed once.
            if (taken.contains(next)) {
                behind.remove();
                queued.remove(next);
                continue;
            }
            if (inFlight.contains(next)) {
                continue;
            }
            behind.remove();
            takeOff(next);
            taken.add(next);
            batch.add(next);
        }
        return batch;
    }

    /**
     * Takes every queued id off the queue, for a snapshot that is about to be read: the comparison
     * covers their changes. A change made from here on queues its id again.
     */
    private Set<String> takeQueuedIds() {
        Set<String> taken = new HashSet<>();
        queue.removeIf(item -> !RECONCILE.equals(item) && taken.add(item));
        taken.forEach(this::takeOff);
        return Set.copyOf(taken);
    }

    /** In flight before it leaves the queue, so that {@link #pending()} never misses it in between. */
    private void takeOff(String id) {
        inFlight.add(id);
        queued.remove(id);
    }

    /** The call failed: what it carried is pending again. */
    private void requeue(String item, Set<String> sent) {
        sent.forEach(this::changed);
        if (RECONCILE.equals(item)) {
            requestReconcile();
        }
    }

    /**
     * Wait for the next registration, unless one already replaced the link the parent refused, or
     * another call in flight already found it refused.
     */
    private void forgotten(Link link) {
        synchronized (linkLock) {
            if (generation != link.generation() || orchestratorId == null) {
                return;
            }
            orchestratorId = null;
        }
        forgetListeners.forEach(listener -> listener.accept(link.orchestratorId()));
    }

    /**
     * One turn of sending: the batch size it may use (halved by a 413 for the rest of the turn, so a
     * turn that hit the body limit once does not hit it again with every batch), and the parent's
     * digest of our services after the last call it answered.
     */
    private final class Turn {
        private int batchLimit = batchSize;
        private String digestThere;
        private boolean refusedSome;
    }

    /**
     * Makes the parent's copy equal to a snapshot of our set. {@code taken}: the changes taken off the
     * queue for it. When changes were queued, their state in the snapshot goes first: a parent whose
     * copy is otherwise equal (the usual case, where every earlier change was acknowledged) then answers
     * with our digest, and no page needs reading. Under a steady stream of changes the queue is seldom
     * empty, and walking 148,346 services in 149 pages held every forward back for 2 s
     * (docs/performance.md, "Reconciliation under a steady stream of changes").
     */
    private Outcome reconcile(Link link, Set<String> taken) {
        List<ServiceRecord> snapshot = services.all();
        // Those queued since the queue was emptied changed while the snapshot was read, which may hold
        // their change or not: they go as it holds them, and stay queued, so their latest state follows.
        Set<String> pending = new HashSet<>(taken);
        pending.addAll(queued);
        String digestHere = ServicesDigest.ofAll(snapshot);
        CopyComparison comparison = new CopyComparison(snapshot);
        Turn turn = new Turn();
        if (!pending.isEmpty()) {
            Outcome outcome = send(link, turn, comparison.stateOf(pending));
            if (outcome == Outcome.RETRY || outcome == Outcome.PARENT_FORGOT_US) {
                return outcome;
            }
            if (!turn.refusedSome && digestHere.equals(turn.digestThere)) {
                return reconciled(link, snapshot.size(), comparison, 0, pending.size(), digestHere, turn);
            }
        }
        List<ServiceChangeRequest> differences = new ArrayList<>();
        int pages = 0;
        String after = null;
        boolean last = false;
        while (!last) {
            ServiceDigestPage page;
            String cursor = after;
            UnaryOperator<Events> subject = event -> event.with("call", "copy_page").with("after", cursor);
            try {
                page = parentOrchestrators.listOrchestratorServiceDigests(link.orchestratorId(), COPY_PAGE_SIZE, after);
            } catch (ApiException e) {
                callFailed();
                Outcome outcome = refused(link, subject, e);
                if (outcome == Outcome.REJECTED) {
                    // Nothing was compared: the changes taken for this walk go as forwards instead.
                    inFlight.forEach(this::changed);
                }
                return outcome;
            } catch (RuntimeException e) {
                callFailed();
                return unreachable(link, subject, e);
            }
            pages++;
            turn.digestThere = page.getServicesDigest();
            if (after == null && digestHere.equals(turn.digestThere)) {
                // The whole copy already agrees: nothing to compare, nothing to send.
                break;
            }
            last = page.getNext() == null || page.getServices().isEmpty();
            differences.addAll(comparison.page(page.getServices(), last));
            after = last ? null : page.getServices().get(page.getServices().size() - 1).getId();
            while (differences.size() >= turn.batchLimit || (last && !differences.isEmpty())) {
                List<ServiceChangeRequest> batch = List.copyOf(
                        differences.subList(0, Math.min(turn.batchLimit, differences.size())));
                differences.subList(0, batch.size()).clear();
                Outcome outcome = send(link, turn, batch);
                if (outcome == Outcome.RETRY || outcome == Outcome.PARENT_FORGOT_US) {
                    return outcome;
                }
            }
        }
        return reconciled(link, snapshot.size(), comparison, pages, pending.size(), digestHere, turn);
    }

    private Outcome reconciled(Link link, int services, CopyComparison comparison, int pages, int queuedChanges,
                               String digestHere, Turn turn) {
        boolean equal = digestHere.equals(turn.digestThere);
        inSync = equal;
        refusedDifference = turn.refusedSome && !equal ? digestHere + "/" + turn.digestThere : null;
        Events.info(LOG, "parent_reconciled").with("orchestrator_id", link.orchestratorId())
                .with("services", services).with("queued_changes", queuedChanges).with("added", comparison.added())
                .with("updated", comparison.updated()).with("removed", comparison.removed())
                .with("pages", pages).with("in_sync", equal)
                .log(equal ? "The parent's copy of this child's services now equals this child's set"
                        : "The parent's copy was compared and sent the differences; it refused some");
        if (turn.refusedSome) {
            return Outcome.REJECTED;
        }
        outcomeListeners.forEach(Outcomes::reconciled);
        return Outcome.DONE;
    }

    private Outcome forward(Link link, List<String> ids) {
        List<ServiceChangeRequest> changes = new ArrayList<>(ids.size());
        for (String id : ids) {
            changes.add(services.find(id)
                    .map(record -> new ServiceChangeRequest(ServiceChangeOp.UPSERT, id).url(record.url())
                            .info(record.info()))
                    .orElseGet(() -> new ServiceChangeRequest(ServiceChangeOp.REMOVE, id)));
        }
        Turn turn = new Turn();
        Outcome outcome = send(link, turn, changes);
        return outcome == Outcome.DONE && turn.refusedSome ? Outcome.REJECTED : outcome;
    }

    /**
     * Sends {@code changes} in batches of at most the turn's batch size, in order. A batch the parent
     * finds too large (413) goes again in halves, down to one change. A refused batch is refused as a
     * whole, but the parent names the changes it refuses: those are dropped, as a refused single forward
     * was, and the rest goes again at once. A refusal that names no change (a 413 of a single change,
     * a problem without {@code invalid_params}) drops that batch.
     *
     * @return DONE once every change was acknowledged or dropped; RETRY or PARENT_FORGOT_US at the first
     *     call that failed so, with the changes from that batch on unsent
     */
    private Outcome send(Link link, Turn turn, List<ServiceChangeRequest> changes) {
        List<ServiceChangeRequest> rest = changes;
        while (!rest.isEmpty()) {
            List<ServiceChangeRequest> batch = rest.subList(0, Math.min(turn.batchLimit, rest.size()));
            UnaryOperator<Events> subject = event -> event.with("call", "batch").with("changes", batch.size())
                    .with("service_id", batch.size() == 1 ? batch.get(0).getId() : null);
            try {
                ServiceChangeBatchResult result = parentOrchestrators.applyOrchestratorServiceChanges(
                        link.orchestratorId(), new ServiceChangeBatch(new ArrayList<>(batch)));
                turn.digestThere = result.getServicesDigest();
                Events.debug(LOG, "changes_forwarded").with("orchestrator_id", link.orchestratorId())
                        .with("changes", batch.size()).log("A batch of changes forwarded to the parent");
                rest = rest.subList(batch.size(), rest.size());
            } catch (ApiException e) {
                callFailed();
                if (e.getCode() == 413 && batch.size() > 1) {
                    turn.batchLimit = Math.max(1, batch.size() / 2);
                    subject.apply(Events.warn(LOG, "batch_too_large")).with("orchestrator_id", link.orchestratorId())
                            .with("batch_size", turn.batchLimit)
                            .log("The parent found a batch too large; it goes again in halves");
                    continue;
                }
                Outcome outcome = refused(link, subject, e);
                if (outcome != Outcome.REJECTED) {
                    return outcome;
                }
                turn.refusedSome = true;
                rest = allBut(namedChanges(e), batch, rest.subList(batch.size(), rest.size()));
            } catch (RuntimeException e) {
                callFailed();
                return unreachable(link, subject, e);
            }
        }
        return Outcome.DONE;
    }

    /**
     * The changes of a refused {@code batch} that the parent did not name, followed by {@code after}; the
     * named ones are logged and dropped. With none named, the whole batch is dropped.
     */
    private static List<ServiceChangeRequest> allBut(Set<Integer> refused, List<ServiceChangeRequest> batch,
                                                     List<ServiceChangeRequest> after) {
        List<ServiceChangeRequest> kept = new ArrayList<>(batch.size() + after.size());
        for (int i = 0; i < batch.size(); i++) {
            if (refused.isEmpty() || refused.contains(i)) {
                Events.error(LOG, "forward_rejected").with("service_id", batch.get(i).getId())
                        .log("The parent rejected this service's change; it is not sent again");
            } else {
                kept.add(batch.get(i));
            }
        }
        kept.addAll(after);
        return kept;
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

    private void callFailed() {
        outcomeListeners.forEach(Outcomes::forwardFailed);
    }

    private Outcome unreachable(Link link, UnaryOperator<Events> subject, RuntimeException e) {
        // Connection refused, timeout: the parent is away; the item waits its turn again.
        subject.apply(Events.warn(LOG, "forward_failed")).with("orchestrator_id", link.orchestratorId())
                .with("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                .log("Could not reach the parent; will retry");
        return Outcome.RETRY;
    }

    private Outcome refused(Link link, UnaryOperator<Events> subject, ApiException e) {
        int status = e.getCode();
        if (status == 404) {
            // The parent does not know this child (it restarted, or evicted or removed it).
            return Outcome.PARENT_FORGOT_US;
        }
        if (status == 401) {
            // The parent no longer takes this child's key: every call fails alike until an operator fixes
            // the key on one side or the other, so the change waits, with backoff, rather than being lost.
            subject.apply(Events.error(LOG, "upstream_credentials_rejected"))
                    .with("orchestrator_id", link.orchestratorId()).with("status", status)
                    .log("The parent refused this child's key; the forward waits and is retried");
            return Outcome.RETRY;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            // The parent refuses this as it is (invalid, too large, beyond its limit for this child):
            // sending it again cannot help, so it is not retried. The parent's copy now differs from
            // this child's set; the sync state says so until a heartbeat or a reconciliation finds
            // them agreeing.
            inSync = false;
            subject.apply(Events.error(LOG, "forward_rejected")).with("orchestrator_id", link.orchestratorId())
                    .with("status", status).with("problem", e.getResponseBody())
                    .log("The parent rejected a call");
            return Outcome.REJECTED;
        }
        subject.apply(Events.warn(LOG, "forward_failed")).with("orchestrator_id", link.orchestratorId())
                .with("status", status).log("The parent could not take a call; will retry");
        return Outcome.RETRY;
    }
}
