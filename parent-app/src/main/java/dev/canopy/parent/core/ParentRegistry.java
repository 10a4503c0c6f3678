package dev.canopy.parent.core;

import dev.canopy.core.Ids;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.auth.NotOwnerException;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.Subscription;
import dev.canopy.core.registry.Holding;
import dev.canopy.core.registry.Info;
import dev.canopy.core.registry.Page;
import dev.canopy.core.registry.ServiceChange;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Upserted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The parent's view: child orchestrators, their leases, and the services each holds.
 *
 * <p>Reads go straight to concurrent maps of immutable records. Writes take one lock because they
 * span both registries: a service must never be stored under an orchestrator that a concurrent
 * cascade or eviction has just removed, and an orchestrator's url must map to exactly one id.
 *
 * <p>Each orchestrator belongs to the key that registered it, and its services with it: every change
 * names its {@link Caller}, and is checked under the same lock as it is made, so two keys racing for
 * one id cannot both win. The binding lives as long as the orchestrator does: once it is deregistered
 * or evicted (or the parent restarts), the first key to register the id again owns it.
 *
 * <p>Each visible change is appended to a {@link ChangeJournal} inside the same lock, so the events'
 * order is the order of the states. An orchestrator that goes takes its services first: their
 * events come before its own, and no event shows a service whose orchestrator is gone.
 */
public final class ParentRegistry {
    private final Object writeLock = new Object();
    private final ConcurrentNavigableMap<String, OrchestratorRecord> orchestrators = new ConcurrentSkipListMap<>();
    private final Map<String, String> orchestratorIdByUrl = new ConcurrentHashMap<>();
    private final ServiceRegistry services;
    private final Clock clock;
    private final Duration lease;
    private final ChangeJournal journal;

    public ParentRegistry(Clock clock, Duration lease) {
        this(clock, lease, Integer.MAX_VALUE);
    }

    /** @param maxServicesPerOrchestrator how many services one child may hold here */
    public ParentRegistry(Clock clock, Duration lease, int maxServicesPerOrchestrator) {
        this(clock, lease, maxServicesPerOrchestrator,
                new ChangeJournal(ChangeJournal.startIndex(clock), 10_000, 10_000, clock));
    }

    /** @param journal where each change is recorded, as it is made */
    public ParentRegistry(Clock clock, Duration lease, int maxServicesPerOrchestrator, ChangeJournal journal) {
        this.clock = clock;
        this.lease = lease;
        this.journal = journal;
        this.services = ServiceRegistry.heldByOrchestrators(clock, maxServicesPerOrchestrator,
                (change, service) -> {
                    OrchestratorRecord holder = orchestrators.get(service.orchestratorId());
                    journal.appendView(change.eventType(), "service", () -> OrchestratorViews.service(service, holder));
                });
    }

    /**
     * A subscriber to the changes after {@code after}, or to a snapshot of the whole tree and the
     * changes after it: {@code snapshot} runs while nothing can change.
     */
    public Subscription subscribe(OptionalLong after, Supplier<?> snapshot) {
        synchronized (writeLock) {
            return journal.subscribe(after, "hierarchy", snapshot);
        }
    }

    /** A registration, and the orchestrator it displaced (one that had the url under another id), if any. */
    public record Enrolment(Upserted<OrchestratorRecord> result, Optional<Removal> displaced) {
    }

    /**
     * Registers a child with a fresh lease. It keeps the id it asks for (after its lease ran out or
     * the parent restarted), or else the id its url already has (and its services), or else gets a
     * new one. An orchestrator that held the url under another id is displaced, with its services. A
     * new orchestrator belongs to {@code caller}; one it updates or displaces must be its own.
     *
     * @throws NotOwnerException if that orchestrator or the one displaced belongs to another key
     */
    public Enrolment registerOrchestrator(String requestedId, String url, Map<String, ?> info, String region,
                                          String domain, Caller caller) {
        synchronized (writeLock) {
            Instant now = now();
            String holder = orchestratorIdByUrl.get(url);
            String id = requestedId != null ? requestedId : holder != null ? holder : Ids.next();
            OrchestratorRecord previous = orchestrators.get(id);
            requireChangeableBy(caller, previous);
            boolean displacing = holder != null && !holder.equals(id);
            if (displacing) {
                requireChangeableBy(caller, orchestrators.get(holder));
            }
            Optional<Removal> displaced = displacing ? remove(holder, Change.DEREGISTERED) : Optional.empty();
            OrchestratorRecord next = previous == null
                    ? new OrchestratorRecord(id, url, Info.freeze(info), region, domain, now, now, now,
                            now.plus(lease), null, null, null, caller.owner())
                    : new OrchestratorRecord(id, url, Info.freeze(info), region, domain, previous.registeredAt(), now,
                            now, now.plus(lease), previous.lastSyncAt(), previous.pendingForwards(), previous.inSync(),
                            previous.owner());
            if (previous != null && !previous.url().equals(url)) {
                orchestratorIdByUrl.remove(previous.url(), id);
            }
            orchestrators.put(id, next);
            orchestratorIdByUrl.put(url, id);
            if (previous == null) {
                announce(Change.REGISTERED, next);
            } else if (!previous.url().equals(url) || !previous.info().equals(next.info())
                    || !Objects.equals(previous.region(), region) || !Objects.equals(previous.domain(), domain)) {
                announce(Change.UPDATED, next);
            }
            return new Enrolment(new Upserted<>(next, previous == null), displaced);
        }
    }

    /** A renewed lease, and the parent's digest of the orchestrator's services. */
    public record Renewal(OrchestratorRecord orchestrator, String servicesDigest) {
    }

    /**
     * Renews an orchestrator's lease (and so its services'), noting what its heartbeat reported: with
     * a digest, whether the parent's copy of its services agrees.
     *
     * @throws NotOwnerException if it belongs to another key
     */
    public Optional<Renewal> renewOrchestrator(String id, String reportedDigest, Integer pendingForwards,
                                               Caller caller) {
        synchronized (writeLock) {
            OrchestratorRecord current = orchestrators.get(id);
            if (current == null) {
                return Optional.empty();
            }
            requireChangeableBy(caller, current);
            Instant now = now();
            String digest = services.digestOf(id);
            Boolean agrees = reportedDigest == null ? null : reportedDigest.equals(digest);
            OrchestratorRecord renewed = current.renewed(now, now.plus(lease), pendingForwards, agrees);
            orchestrators.put(id, renewed);
            if (!Objects.equals(current.inSync(), renewed.inSync())) {
                announce(Change.UPDATED, renewed);
            }
            return Optional.of(new Renewal(renewed, digest));
        }
    }

    /**
     * Removes a child and, with it, every service it holds.
     *
     * @throws NotOwnerException if it belongs to another key
     */
    public Optional<Removal> deregisterOrchestrator(String id, Caller caller) {
        synchronized (writeLock) {
            requireChangeableBy(caller, orchestrators.get(id));
            return remove(id, Change.DEREGISTERED);
        }
    }

    /** Removes every child whose lease ran out, each with its services. */
    public List<Removal> evictExpired() {
        synchronized (writeLock) {
            Instant now = now();
            List<String> expired = orchestrators.values().stream().filter(o -> o.expiredAt(now))
                    .map(OrchestratorRecord::id).toList();
            return expired.stream().map(id -> remove(id, Change.EVICTED)).flatMap(Optional::stream).toList();
        }
    }

    /**
     * Registers or updates a service held by {@code orchestratorId}, under the id the child chose
     * (or a new one if it chose none).
     *
     * @throws UnknownOrchestratorException if that orchestrator is not registered
     * @throws NotOwnerException if that orchestrator belongs to another key
     * @throws ServiceHeldElsewhereException if another orchestrator holds that id
     * @throws dev.canopy.core.registry.ServiceLimitReachedException if it is new and its orchestrator
     *     holds the most services it may
     */
    public Upserted<ServiceRecord> registerService(String id, String url, Map<String, ?> info, String orchestratorId,
                                                   Caller caller) {
        synchronized (writeLock) {
            requireKnown(orchestratorId);
            requireChangeableBy(caller, orchestrators.get(orchestratorId));
            String serviceId = id == null ? Ids.next() : id;
            requireNotHeldElsewhere(serviceId, orchestratorId);
            Upserted<ServiceRecord> result = services.upsert(serviceId, url, info, orchestratorId, null);
            touched(orchestratorId);
            return result;
        }
    }

    /**
     * Removes one service.
     *
     * @throws NotOwnerException if its orchestrator belongs to another key
     */
    public Optional<ServiceRecord> deregisterService(String id, Caller caller) {
        synchronized (writeLock) {
            Optional<ServiceRecord> held = services.find(id);
            if (held.isEmpty()) {
                return held;
            }
            OrchestratorRecord holder = orchestrators.get(held.get().orchestratorId());
            if (holder == null ? !caller.mayChange(null) : !caller.mayChange(holder.owner())) {
                throw new NotOwnerException("Service " + id + " (of orchestrator " + held.get().orchestratorId() + ")");
            }
            Optional<ServiceRecord> removed = services.remove(id, Caller.UNRESTRICTED);
            removed.ifPresent(service -> touched(service.orchestratorId()));
            return removed;
        }
    }

    /** What replacing a child's set changed, and the digest of the set now held. */
    public record Reconciliation(ServiceRegistry.Replacement replacement, int serviceCount, String servicesDigest) {
    }

    /**
     * Makes the services held by {@code orchestratorId} exactly {@code complete}, in one step.
     *
     * @throws UnknownOrchestratorException if that orchestrator is not registered
     * @throws NotOwnerException if that orchestrator belongs to another key; nothing changes
     * @throws ServiceHeldElsewhereException if another orchestrator holds one of the ids; nothing changes
     * @throws dev.canopy.core.registry.ServiceLimitReachedException if the set is larger than one
     *     orchestrator may hold; nothing changes
     */
    public Reconciliation replaceServices(String orchestratorId, Collection<ServiceRecord> complete, Caller caller) {
        synchronized (writeLock) {
            requireKnown(orchestratorId);
            requireChangeableBy(caller, orchestrators.get(orchestratorId));
            complete.forEach(service -> requireNotHeldElsewhere(service.id(), orchestratorId));
            ServiceRegistry.Replacement replacement = services.replaceAllOf(orchestratorId, complete);
            OrchestratorRecord before = orchestrators.get(orchestratorId);
            OrchestratorRecord after = orchestrators.computeIfPresent(orchestratorId, (id, o) -> o.synced(now(), true));
            if (after != null && !Objects.equals(before.inSync(), after.inSync())) {
                announce(Change.UPDATED, after);
            }
            return new Reconciliation(replacement, services.countHeldBy(orchestratorId),
                    services.digestOf(orchestratorId));
        }
    }

    /** One change of a batch: an upsert of the service under {@code id}, or its removal ({@code url} null). */
    public record ForwardedChange(String id, String url, Map<String, ?> info) {
        public static ForwardedChange upsert(String id, String url, Map<String, ?> info) {
            return new ForwardedChange(Objects.requireNonNull(id), Objects.requireNonNull(url), info);
        }

        public static ForwardedChange removal(String id) {
            return new ForwardedChange(Objects.requireNonNull(id), null, null);
        }

        public boolean isRemoval() {
            return url == null;
        }
    }

    /** What one change of a batch did. */
    public enum Applied { CREATED, UPDATED, REMOVED, ABSENT }

    /** What a batch did, change by change in its order, and the orchestrator's set afterwards. */
    public record BatchResult(List<Applied> applied, int serviceCount, String servicesDigest) {
    }

    /**
     * Applies a child's changes to its services, in order, in one step: every change is checked
     * against the state the changes before it leave, and only if all pass is any made. The journal
     * gets their events in the same order, with no other change between them.
     *
     * @throws UnknownOrchestratorException if that orchestrator is not registered
     * @throws NotOwnerException if that orchestrator belongs to another key; nothing changes
     * @throws BatchRefusedException if a change names a service another orchestrator holds, or would
     *     take this one beyond the services it may hold; it lists every such change; nothing changes
     */
    public BatchResult applyChanges(String orchestratorId, List<ForwardedChange> changes, Caller caller) {
        synchronized (writeLock) {
            requireKnown(orchestratorId);
            requireChangeableBy(caller, orchestrators.get(orchestratorId));
            requireApplicable(orchestratorId, changes);
            List<Applied> applied = new ArrayList<>(changes.size());
            for (ForwardedChange change : changes) {
                if (change.isRemoval()) {
                    applied.add(services.remove(change.id(), Caller.UNRESTRICTED).isPresent()
                            ? Applied.REMOVED : Applied.ABSENT);
                } else {
                    applied.add(services.upsert(change.id(), change.url(), change.info(), orchestratorId, null)
                            .created() ? Applied.CREATED : Applied.UPDATED);
                }
            }
            touched(orchestratorId);
            return new BatchResult(applied, services.countHeldBy(orchestratorId), services.digestOf(orchestratorId));
        }
    }

    /**
     * Walks the batch over the ids it would leave held, without changing anything, so that either every
     * change can be made or none is: ids of other orchestrators are conflicts, and the changes that
     * would hold a service beyond the limit are refused (a removal earlier in the batch makes room).
     */
    private void requireApplicable(String orchestratorId, List<ForwardedChange> changes) {
        List<BatchRefusedException.Refused> heldElsewhere = new ArrayList<>();
        List<BatchRefusedException.Refused> beyondLimit = new ArrayList<>();
        Map<String, Boolean> heldAfter = new HashMap<>();
        int count = services.countHeldBy(orchestratorId);
        int limit = services.maxPerOrchestrator();
        for (int i = 0; i < changes.size(); i++) {
            ForwardedChange change = changes.get(i);
            Optional<String> holder = services.find(change.id()).map(ServiceRecord::orchestratorId);
            if (holder.isPresent() && !holder.get().equals(orchestratorId)) {
                heldElsewhere.add(new BatchRefusedException.Refused(i, "id",
                        "service " + change.id() + " is held by orchestrator " + holder.get()));
                continue;
            }
            boolean held = heldAfter.computeIfAbsent(change.id(), id -> holder.isPresent());
            if (change.isRemoval()) {
                count -= held ? 1 : 0;
                heldAfter.put(change.id(), false);
            } else if (!held) {
                if (count >= limit) {
                    beyondLimit.add(new BatchRefusedException.Refused(i, null,
                            "would be service " + (count + 1) + "; one orchestrator may hold at most " + limit));
                    continue;
                }
                count++;
                heldAfter.put(change.id(), true);
            }
        }
        if (!heldElsewhere.isEmpty()) {
            throw new BatchRefusedException(BatchRefusedException.Reason.HELD_ELSEWHERE, heldElsewhere);
        }
        if (!beyondLimit.isEmpty()) {
            throw new BatchRefusedException(BatchRefusedException.Reason.SERVICE_LIMIT, beyondLimit);
        }
    }

    public Optional<OrchestratorRecord> orchestrator(String id) {
        return Optional.ofNullable(orchestrators.get(id));
    }

    /** Every orchestrator, ordered by id (registration time). */
    public List<OrchestratorRecord> orchestrators() {
        return List.copyOf(orchestrators.values());
    }

    /** Up to {@code limit} orchestrators whose ids come after {@code after} (from the first if null). */
    public Page<OrchestratorRecord> orchestrators(String after, int limit) {
        Map<String, OrchestratorRecord> tail = after == null ? orchestrators : orchestrators.tailMap(after, false);
        return Page.of(tail.values().iterator(), limit, OrchestratorRecord::id);
    }

    /**
     * Up to {@code limit} services whose ids come after {@code after} (from the first if null), only
     * those {@code orchestratorId} holds unless it is null.
     */
    public Page<ServiceRecord> services(String orchestratorId, String after, int limit) {
        return orchestratorId == null ? services.page(after, limit) : services.pageHeldBy(orchestratorId, after, limit);
    }

    /** A page of the services one orchestrator holds, and the count and digest of all it holds. */
    public record HeldPage(Page<ServiceRecord> page, int serviceCount, String servicesDigest) {
    }

    /**
     * Up to {@code limit} of the services {@code orchestratorId} holds whose ids come after {@code after},
     * for its own key: a child's copy here is read back only by that child, as only it may change it.
     *
     * @throws UnknownOrchestratorException if that orchestrator is not registered
     * @throws NotOwnerException if that orchestrator belongs to another key
     */
    public HeldPage servicesHeldBy(String orchestratorId, String after, int limit, Caller caller) {
        OrchestratorRecord orchestrator = orchestrators.get(orchestratorId);
        if (orchestrator == null) {
            throw new UnknownOrchestratorException(orchestratorId);
        }
        requireChangeableBy(caller, orchestrator);
        // No lock: the page is cut by cursor from the live index, and the digest is the one of that
        // moment; only the child itself changes this set, and it does not while it reads.
        Page<ServiceRecord> page = services.pageHeldBy(orchestratorId, after, limit);
        return new HeldPage(page, services.countHeldBy(orchestratorId), services.digestOf(orchestratorId));
    }

    public Optional<ServiceRecord> service(String id) {
        return services.find(id);
    }

    public List<ServiceRecord> services() {
        return services.all();
    }

    public List<ServiceRecord> servicesOf(String orchestratorId) {
        return services.heldBy(orchestratorId);
    }

    /** How many services one orchestrator holds and their digest, as one value kept as they change: O(1). */
    public Holding holdingOf(String orchestratorId) {
        return services.holdingOf(orchestratorId);
    }

    public int serviceCountOf(String orchestratorId) {
        return services.countHeldBy(orchestratorId);
    }

    public String servicesDigestOf(String orchestratorId) {
        return services.digestOf(orchestratorId);
    }

    public int serviceCount() {
        return services.size();
    }

    public int maxServicesPerOrchestrator() {
        return services.maxPerOrchestrator();
    }

    public int ttlSeconds() {
        return (int) Math.max(1, lease.toSeconds());
    }

    /** Why an orchestrator's event is sent; its services' events follow the same reason. */
    private enum Change {
        REGISTERED("orchestrator.registered", null),
        UPDATED("orchestrator.updated", null),
        DEREGISTERED("orchestrator.deregistered", ServiceChange.DEREGISTERED),
        EVICTED("orchestrator.evicted", ServiceChange.EVICTED);

        private final String eventType;
        private final ServiceChange ofServices;

        Change(String eventType, ServiceChange ofServices) {
            this.eventType = eventType;
            this.ofServices = ofServices;
        }
    }

    private Optional<Removal> remove(String id, Change why) {
        OrchestratorRecord removing = orchestrators.get(id);
        if (removing == null) {
            return Optional.empty();
        }
        Holding holding = services.holdingOf(id);
        // Services first, while their orchestrator is still there to lend them its lease in their events.
        List<ServiceRecord> held = services.removeAllOf(id, why.ofServices);
        orchestrators.remove(id);
        orchestratorIdByUrl.remove(removing.url(), id);
        journal.append(why.eventType, "orchestrator", OrchestratorViews.detail(removing, holding));
        return Optional.of(new Removal(removing, held, holding));
    }

    private void announce(Change change, OrchestratorRecord orchestrator) {
        journal.append(change.eventType, "orchestrator",
                OrchestratorViews.detail(orchestrator, services.holdingOf(orchestrator.id())));
    }

    private void requireKnown(String orchestratorId) {
        if (!orchestrators.containsKey(orchestratorId)) {
            throw new UnknownOrchestratorException(orchestratorId);
        }
    }

    private static void requireChangeableBy(Caller caller, OrchestratorRecord orchestrator) {
        if (orchestrator != null && !caller.mayChange(orchestrator.owner())) {
            throw new NotOwnerException("Orchestrator " + orchestrator.id());
        }
    }

    private void requireNotHeldElsewhere(String serviceId, String orchestratorId) {
        services.find(serviceId).map(ServiceRecord::orchestratorId)
                .filter(holder -> !holder.equals(orchestratorId))
                .ifPresent(holder -> {
                    throw new ServiceHeldElsewhereException(serviceId, holder);
                });
    }

    /** A change from the orchestrator reached the parent: its sync is as fresh as that. */
    private void touched(String orchestratorId) {
        orchestrators.computeIfPresent(orchestratorId, (id, o) -> o.synced(now(), o.inSync()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
