package dev.canopy.core.registry;

import dev.canopy.core.Ids;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.auth.NotOwnerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The services one orchestrator holds, in memory.
 *
 * <p>Records are immutable and live in concurrent maps, so readers never lock and never see a
 * half-written record. Writers take one lock: a write touches the id map, its indexes and the set
 * digests together, and those must never disagree with it (no service listed under an orchestrator
 * it left, no url pointing at a removed id, no digest of a set that never existed). Writes are short
 * map updates, so one writer is not a bottleneck: what a write can work out without the lock (the
 * frozen info, a new id, the service's digest) it works out before taking it, because a thread
 * descheduled while holding the lock keeps every other writer waiting (docs/performance.md).
 */
public final class ServiceRegistry {
    private final Object writeLock = new Object();
    /** Every record by id, for reads of one: a hash lookup, where the skip list walks O(log n) nodes. */
    private final Map<String, ServiceRecord> byId = new ConcurrentHashMap<>();
    /** The same records in id order (registration time), for walks and pages; the writer keeps both alike. */
    private final ConcurrentNavigableMap<String, ServiceRecord> inIdOrder = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListSet<String>> idsByOrchestrator = new ConcurrentHashMap<>();
    /**
     * The size and digest of each set in idsByOrchestrator, one value replaced whole by the writer, so
     * a reader never pairs one state's count with another's digest (a skip-list set counts itself in O(n)).
     */
    private final Map<String, Holding> holdingByOrchestrator = new ConcurrentHashMap<>();
    private final Map<String, String> idByUrl = new ConcurrentHashMap<>();
    private volatile long digest;
    /** Kept beside the maps: a skip list counts itself by walking every entry. */
    private volatile int count;
    private final boolean urlsAreUnique;
    private final Clock clock;
    private final int maxPerOrchestrator;
    private final ServiceChange.Listener listener;

    private ServiceRegistry(boolean urlsAreUnique, Clock clock, int maxPerOrchestrator,
                            ServiceChange.Listener listener) {
        this.urlsAreUnique = urlsAreUnique;
        this.clock = clock;
        this.maxPerOrchestrator = maxPerOrchestrator;
        this.listener = listener;
    }

    /** A child's registry: one service per url, so a service that registers again keeps its id. */
    public static ServiceRegistry withUniqueUrls(Clock clock) {
        return withUniqueUrls(clock, Integer.MAX_VALUE);
    }

    /** As {@link #withUniqueUrls(Clock)}, holding at most {@code maxServices}. */
    public static ServiceRegistry withUniqueUrls(Clock clock, int maxServices) {
        return withUniqueUrls(clock, maxServices, ServiceChange.Listener.NONE);
    }

    /** As {@link #withUniqueUrls(Clock, int)}, telling {@code listener} each change as it is made. */
    public static ServiceRegistry withUniqueUrls(Clock clock, int maxServices, ServiceChange.Listener listener) {
        return new ServiceRegistry(true, clock, maxServices, listener);
    }

    /** The parent's registry: it keeps the ids its children chose, urls may repeat across children. */
    public static ServiceRegistry heldByOrchestrators(Clock clock) {
        return heldByOrchestrators(clock, Integer.MAX_VALUE);
    }

    /** As {@link #heldByOrchestrators(Clock)}, with at most {@code maxPerOrchestrator} services held by each. */
    public static ServiceRegistry heldByOrchestrators(Clock clock, int maxPerOrchestrator) {
        return heldByOrchestrators(clock, maxPerOrchestrator, ServiceChange.Listener.NONE);
    }

    /** As {@link #heldByOrchestrators(Clock, int)}, telling {@code listener} each change as it is made. */
    public static ServiceRegistry heldByOrchestrators(Clock clock, int maxPerOrchestrator,
                                                      ServiceChange.Listener listener) {
        return new ServiceRegistry(false, clock, maxPerOrchestrator, listener);
    }

    /**
     * Runs {@code read} while no change can be made: what it sees is one state of the registry, the
     * one its listener has been told of last.
     */
    public <T> T atomically(java.util.function.Supplier<T> read) {
        synchronized (writeLock) {
            return read.get();
        }
    }

    /** A registration, and the service it displaced (one that had the url under another id), if any. */
    public record Registration(Upserted<ServiceRecord> result, Optional<ServiceRecord> displaced) {
    }

    /**
     * Registers or updates the service under {@code id}, keeping its registration time. The caller
     * has checked that the id is not someone else's. {@code lease} null: no lease of its own.
     *
     * @throws ServiceLimitReachedException if it is new and its orchestrator holds the most it may
     */
    public Upserted<ServiceRecord> upsert(String id, String url, Map<String, ?> info, String orchestratorId,
                                          Duration lease) {
        Content content = Content.of(id, url, info);
        synchronized (writeLock) {
            if (!byId.containsKey(id)) {
                requireRoomFor(orchestratorId);
            }
            return put(content, orchestratorId, lease, null, now());
        }
    }

    /**
     * Registers the service at {@code url} with a lease, at a registry {@link #withUniqueUrls}. It
     * keeps the id it asks for ({@code requestedId}, after its lease ran out), or else the id its url
     * already has, or else gets a new one. A service that held the url under another id is displaced.
     * A new service belongs to {@code caller}; one it updates or displaces must be its own.
     *
     * @throws ServiceLimitReachedException if the service is new, takes no one's place, and the
     *     registry holds the most it may
     * @throws NotOwnerException if that service or the one displaced belongs to another key; nothing changes
     */
    public Registration registerUrl(String url, Map<String, ?> info, String requestedId, Duration lease,
                                    Caller caller) {
        requireUniqueUrls();
        // The id this registration will most likely get, as things stand before the lock: a new one is
        // made here, and used only if the url is still unheld under the lock (never an id seen held).
        String seenHolder = requestedId == null ? idByUrl.get(url) : null;
        String fresh = requestedId == null && seenHolder == null ? Ids.next() : null;
        Content likely = Content.of(requestedId != null ? requestedId : seenHolder != null ? seenHolder : fresh,
                url, info);
        synchronized (writeLock) {
            String holder = idByUrl.get(url);
            String id = requestedId != null ? requestedId : holder != null ? holder : fresh != null ? fresh : Ids.next();
            Content content = likely.withId(id);
            ServiceRecord previous = byId.get(id);
            requireChangeableBy(caller, previous);
            boolean displacing = holder != null && !holder.equals(id);
            if (displacing) {
                requireChangeableBy(caller, byId.get(holder));
            }
            if (holder == null && previous == null) {
                requireRoomFor(null);
            }
            Optional<ServiceRecord> displaced = displacing
                    ? Optional.ofNullable(drop(holder, ServiceChange.DEREGISTERED)) : Optional.empty();
            String owner = previous != null ? previous.owner() : caller.owner();
            return new Registration(put(content, null, lease, owner, now()), displaced);
        }
    }

    /**
     * Renews the lease of a known service; empty if it is not (or no longer) here.
     *
     * @throws NotOwnerException if it belongs to another key
     */
    public Optional<ServiceRecord> renew(String id, Duration lease, Caller caller) {
        synchronized (writeLock) {
            ServiceRecord current = byId.get(id);
            if (current == null) {
                return Optional.empty();
            }
            requireChangeableBy(caller, current);
            Instant now = now();
            ServiceRecord renewed = current.renewed(now, now.plus(lease));
            byId.put(id, renewed);
            inIdOrder.put(id, renewed);
            return Optional.of(renewed);
        }
    }

    /** Removes every service whose lease has run out; returns them. */
    public List<ServiceRecord> evictExpired() {
        synchronized (writeLock) {
            Instant now = now();
            List<ServiceRecord> expired = inIdOrder.values().stream().filter(record -> record.expiredAt(now)).toList();
            expired.forEach(record -> drop(record.id(), ServiceChange.EVICTED));
            return expired;
        }
    }

    /**
     * Removes a service; empty if it is not here.
     *
     * @throws NotOwnerException if it belongs to another key
     */
    public Optional<ServiceRecord> remove(String id, Caller caller) {
        synchronized (writeLock) {
            requireChangeableBy(caller, byId.get(id));
            return Optional.ofNullable(drop(id, ServiceChange.DEREGISTERED));
        }
    }

    /** Removes every service held by one orchestrator, for the reason {@code why}; returns them. */
    public List<ServiceRecord> removeAllOf(String orchestratorId, ServiceChange why) {
        synchronized (writeLock) {
            List<ServiceRecord> removed = heldBy(orchestratorId);
            removed.forEach(record -> drop(record.id(), why));
            return removed;
        }
    }

    /** What {@link #replaceAllOf} changed. */
    public record Replacement(int added, int updated, int removed) {
    }

    /**
     * Makes the services held by {@code orchestratorId} exactly {@code services}, keeping their ids;
     * unchanged services stay as they are. The caller has checked that none of the ids is another
     * orchestrator's, and that none is listed twice.
     *
     * @throws ServiceLimitReachedException if the set is larger than one orchestrator may hold; nothing changes
     */
    public Replacement replaceAllOf(String orchestratorId, Collection<ServiceRecord> services) {
        synchronized (writeLock) {
            if (services.size() > maxPerOrchestrator) {
                throw new ServiceLimitReachedException(orchestratorId, maxPerOrchestrator);
            }
            Instant now = now();
            Set<String> wanted = new HashSet<>();
            int added = 0;
            int updated = 0;
            for (ServiceRecord service : services) {
                wanted.add(service.id());
                ServiceRecord current = byId.get(service.id());
                if (current == null) {
                    added++;
                } else if (current.digest() != service.digest()) {
                    updated++;
                } else {
                    continue;
                }
                put(Content.of(service), orchestratorId, null, null, now);
            }
            List<String> stale = heldBy(orchestratorId).stream().map(ServiceRecord::id)
                    .filter(id -> !wanted.contains(id)).toList();
            stale.forEach(id -> drop(id, ServiceChange.DEREGISTERED));
            return new Replacement(added, updated, stale.size());
        }
    }

    public Optional<ServiceRecord> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The id registered for this url, if any; only a registry {@link #withUniqueUrls} knows. */
    public Optional<String> idOfUrl(String url) {
        requireUniqueUrls();
        return Optional.ofNullable(idByUrl.get(url));
    }

    /** Every service, ordered by id (that is, by registration time). */
    public List<ServiceRecord> all() {
        return List.copyOf(inIdOrder.values());
    }

    /**
     * Up to {@code limit} services whose ids come after {@code after} (from the first if null), in id
     * order: see {@link Page} for why a walk by cursor is stable under concurrent writes.
     */
    public Page<ServiceRecord> page(String after, int limit) {
        Map<String, ServiceRecord> tail = after == null ? inIdOrder : inIdOrder.tailMap(after, false);
        return Page.of(tail.values().iterator(), limit, ServiceRecord::id);
    }

    /**
     * As {@link #page}, of the services one orchestrator holds: cut from its index set (sorted by id
     * too), so a page costs O(log n + limit) however many services others hold.
     */
    public Page<ServiceRecord> pageHeldBy(String orchestratorId, String after, int limit) {
        NavigableSet<String> ids = idsByOrchestrator.get(orchestratorId);
        if (ids == null) {
            return Page.of(Collections.emptyIterator(), limit, ServiceRecord::id);
        }
        // An id read from the index may be gone from the map a moment later: it was removed meanwhile.
        Iterator<ServiceRecord> held = (after == null ? ids : ids.tailSet(after, false)).stream()
                .map(byId::get)
                .filter(record -> record != null && orchestratorId.equals(record.orchestratorId()))
                .iterator();
        return Page.of(held, limit, ServiceRecord::id);
    }

    public List<ServiceRecord> heldBy(String orchestratorId) {
        Collection<String> ids = idsByOrchestrator.get(orchestratorId);
        if (ids == null) {
            return List.of();
        }
        List<ServiceRecord> held = new ArrayList<>(ids.size());
        for (String id : ids) {
            ServiceRecord record = byId.get(id);
            if (record != null) {
                held.add(record);
            }
        }
        return held;
    }

    /** How many services one orchestrator holds, with their digest, as one value: O(1). */
    public Holding holdingOf(String orchestratorId) {
        return holdingByOrchestrator.getOrDefault(orchestratorId, Holding.NONE);
    }

    public int countHeldBy(String orchestratorId) {
        return holdingOf(orchestratorId).count();
    }

    public List<String> ids() {
        return List.copyOf(inIdOrder.keySet());
    }

    public int size() {
        return count;
    }

    /** The {@link ServicesDigest} of every service here. */
    public String digest() {
        return ServicesDigest.format(digest);
    }

    /** The {@link ServicesDigest} of the services one orchestrator holds. */
    public String digestOf(String orchestratorId) {
        return holdingOf(orchestratorId).formattedDigest();
    }

    /**
     * What a write stores of a service besides times and owner: id, url, frozen info and their digest,
     * worked out before the write lock is taken.
     */
    private record Content(String id, String url, Map<String, Object> info, long digest) {
        static Content of(String id, String url, Map<String, ?> info) {
            Map<String, Object> frozen = Info.freeze(info);
            return new Content(id, url, frozen, ServicesDigest.of(id, url, frozen));
        }

        static Content of(ServiceRecord service) {
            return new Content(service.id(), service.url(), service.info(), service.digest());
        }

        /** This content under {@code otherId}: the digest is worked out again only if the id is not this one. */
        Content withId(String otherId) {
            return otherId.equals(id) ? this : new Content(otherId, url, info, ServicesDigest.of(otherId, url, info));
        }
    }

    private Upserted<ServiceRecord> put(Content content, String orchestratorId, Duration lease, String owner,
                                        Instant now) {
        String id = content.id();
        ServiceRecord previous = byId.get(id);
        ServiceRecord next = new ServiceRecord(id, content.url(), content.info(), orchestratorId,
                previous == null ? now : previous.registeredAt(), now,
                lease == null ? null : now, lease == null ? null : now.plus(lease), content.digest(), owner);
        byId.put(id, next);
        inIdOrder.put(id, next);
        if (previous == null) {
            count++;
        }
        reindex(previous, next);
        listener.changed(previous == null ? ServiceChange.REGISTERED : ServiceChange.UPDATED, next);
        return new Upserted<>(next, previous == null);
    }

    private ServiceRecord drop(String id, ServiceChange why) {
        ServiceRecord removed = byId.remove(id);
        if (removed != null) {
            inIdOrder.remove(id);
            count--;
            reindex(removed, null);
            listener.changed(why, removed);
        }
        return removed;
    }

    /** Moves the indexes from {@code before} to {@code after} (either null: a registration, a removal). */
    private void reindex(ServiceRecord before, ServiceRecord after) {
        digest ^= (before == null ? 0L : before.digest()) ^ (after == null ? 0L : after.digest());
        if (urlsAreUnique) {
            if (before != null && (after == null || !after.url().equals(before.url()))) {
                idByUrl.remove(before.url(), before.id());
            }
            if (after != null) {
                idByUrl.put(after.url(), after.id());
            }
        }
        String from = before == null ? null : before.orchestratorId();
        String to = after == null ? null : after.orchestratorId();
        if (from != null && from.equals(to)) {
            // An update in place keeps its id in the set throughout, or a reader paging through it could
            // skip a service that never left; its count and digest change in one step.
            holdingByOrchestrator.computeIfPresent(from, (key, held) -> held.replacing(before.digest(), after.digest()));
            return;
        }
        if (from != null) {
            leave(from, before);
        }
        if (to != null) {
            join(to, after);
        }
    }

    private void join(String orchestratorId, ServiceRecord record) {
        if (idsByOrchestrator.computeIfAbsent(orchestratorId, key -> new ConcurrentSkipListSet<>()).add(record.id())) {
            holdingByOrchestrator.compute(orchestratorId,
                    (key, held) -> (held == null ? Holding.NONE : held).with(record.digest()));
        }
    }

    private void leave(String orchestratorId, ServiceRecord record) {
        ConcurrentSkipListSet<String> ids = idsByOrchestrator.get(orchestratorId);
        if (ids == null || !ids.remove(record.id())) {
            return;
        }
        if (ids.isEmpty()) {
            idsByOrchestrator.remove(orchestratorId);
            holdingByOrchestrator.remove(orchestratorId);
        } else {
            holdingByOrchestrator.computeIfPresent(orchestratorId, (key, held) -> held.without(record.digest()));
        }
    }

    /** The most services one orchestrator may hold here (a child's own registry: the most it holds). */
    public int maxPerOrchestrator() {
        return maxPerOrchestrator;
    }

    private void requireRoomFor(String orchestratorId) {
        int held = orchestratorId == null ? count : countHeldBy(orchestratorId);
        if (held >= maxPerOrchestrator) {
            throw new ServiceLimitReachedException(orchestratorId, maxPerOrchestrator);
        }
    }

    private static void requireChangeableBy(Caller caller, ServiceRecord record) {
        if (record != null && !caller.mayChange(record.owner())) {
            throw new NotOwnerException("Service " + record.id());
        }
    }

    private void requireUniqueUrls() {
        if (!urlsAreUnique) {
            throw new IllegalStateException("urls are not unique in this registry");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
