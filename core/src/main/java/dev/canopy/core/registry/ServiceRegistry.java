package dev.canopy.core.registry;

import dev.canopy.core.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The services one orchestrator holds, in memory.
 *
 * <p>Records are immutable and live in concurrent maps, so readers never lock and never see a
 * half-written record. Writers take one lock: a write touches the id map and its indexes together,
 * and the indexes must never disagree with it (no service listed under an orchestrator it left, no
 * url pointing at a removed id). Writes are short map updates, so one writer is not a bottleneck.
 */
public final class ServiceRegistry {
    private final Object writeLock = new Object();
    private final ConcurrentNavigableMap<String, ServiceRecord> byId = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListSet<String>> idsByOrchestrator = new ConcurrentHashMap<>();
    private final Map<String, String> idByUrl = new ConcurrentHashMap<>();
    private final boolean urlsAreUnique;
    private final Clock clock;

    private ServiceRegistry(boolean urlsAreUnique, Clock clock) {
        this.urlsAreUnique = urlsAreUnique;
        this.clock = clock;
    }

    /** A child's registry: one service per url, so a service that registers again keeps its id. */
    public static ServiceRegistry withUniqueUrls(Clock clock) {
        return new ServiceRegistry(true, clock);
    }

    /** The parent's registry: it keeps the ids its children chose, urls may repeat across children. */
    public static ServiceRegistry heldByOrchestrators(Clock clock) {
        return new ServiceRegistry(false, clock);
    }

    /**
     * Registers the service under {@code id}, or updates it if that id is known (keeping its
     * registration time). The caller has checked that the id is not someone else's.
     */
    public Upserted<ServiceRecord> upsert(String id, String url, Map<String, ?> info, String orchestratorId) {
        synchronized (writeLock) {
            Instant now = now();
            ServiceRecord previous = byId.get(id);
            ServiceRecord next = new ServiceRecord(id, url, Info.freeze(info), orchestratorId,
                    previous == null ? now : previous.registeredAt(), now);
            if (previous != null) {
                unindex(previous);
            }
            byId.put(id, next);
            index(next);
            return new Upserted<>(next, previous == null);
        }
    }

    /**
     * Registers the service at {@code url}, or updates it if that url is registered already, so a
     * service that registers again (a retry, a restart) keeps its id. Only for registries
     * {@link #withUniqueUrls}.
     */
    public Upserted<ServiceRecord> registerUrl(String url, Map<String, ?> info) {
        synchronized (writeLock) {
            String id = idOfUrl(url).orElseGet(Ids::next);
            return upsert(id, url, info, null);
        }
    }

    public Optional<ServiceRecord> remove(String id) {
        synchronized (writeLock) {
            ServiceRecord removed = byId.remove(id);
            if (removed != null) {
                unindex(removed);
            }
            return Optional.ofNullable(removed);
        }
    }

    /** Removes every service held by one orchestrator; returns them. */
    public List<ServiceRecord> removeAllOf(String orchestratorId) {
        synchronized (writeLock) {
            Collection<String> ids = idsByOrchestrator.getOrDefault(orchestratorId, new ConcurrentSkipListSet<>());
            List<ServiceRecord> removed = ids.stream().map(byId::get).toList();
            removed.forEach(record -> {
                byId.remove(record.id());
                unindex(record);
            });
            return removed;
        }
    }

    public Optional<ServiceRecord> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The id registered for this url, if any; only a registry {@link #withUniqueUrls} knows. */
    public Optional<String> idOfUrl(String url) {
        if (!urlsAreUnique) {
            throw new IllegalStateException("urls are not unique in this registry");
        }
        return Optional.ofNullable(idByUrl.get(url));
    }

    /** Every service, ordered by id (that is, by registration time). */
    public List<ServiceRecord> all() {
        return List.copyOf(byId.values());
    }

    public List<ServiceRecord> heldBy(String orchestratorId) {
        Collection<String> ids = idsByOrchestrator.get(orchestratorId);
        if (ids == null) {
            return List.of();
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    public int countHeldBy(String orchestratorId) {
        Collection<String> ids = idsByOrchestrator.get(orchestratorId);
        return ids == null ? 0 : ids.size();
    }

    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public int size() {
        return byId.size();
    }

    private void index(ServiceRecord record) {
        if (urlsAreUnique) {
            idByUrl.put(record.url(), record.id());
        }
        if (record.orchestratorId() != null) {
            idsByOrchestrator.computeIfAbsent(record.orchestratorId(), key -> new ConcurrentSkipListSet<>())
                    .add(record.id());
        }
    }

    private void unindex(ServiceRecord record) {
        if (urlsAreUnique) {
            idByUrl.remove(record.url(), record.id());
        }
        if (record.orchestratorId() != null) {
            ConcurrentSkipListSet<String> ids = idsByOrchestrator.get(record.orchestratorId());
            if (ids != null) {
                ids.remove(record.id());
                if (ids.isEmpty()) {
                    idsByOrchestrator.remove(record.orchestratorId());
                }
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
