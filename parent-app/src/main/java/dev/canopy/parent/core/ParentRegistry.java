package dev.canopy.parent.core;

import dev.canopy.core.Ids;
import dev.canopy.core.registry.Info;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Upserted;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The parent's view: child orchestrators and the services each holds.
 *
 * <p>Reads go straight to concurrent maps of immutable records. Writes take one lock because they
 * span both registries: a service must never be stored under an orchestrator that a concurrent
 * cascade has just removed, and an orchestrator's url must map to exactly one id.
 */
public final class ParentRegistry {
    private final Object writeLock = new Object();
    private final ConcurrentNavigableMap<String, OrchestratorRecord> orchestrators = new ConcurrentSkipListMap<>();
    private final Map<String, String> orchestratorIdByUrl = new ConcurrentHashMap<>();
    private final ServiceRegistry services;
    private final Clock clock;

    public ParentRegistry(Clock clock) {
        this.clock = clock;
        this.services = ServiceRegistry.heldByOrchestrators(clock);
    }

    /** Registers a child; one registering again from the same url keeps its id and its services. */
    public Upserted<OrchestratorRecord> registerOrchestrator(String url, Map<String, ?> info, String region,
                                                            String domain) {
        synchronized (writeLock) {
            Instant now = now();
            String existingId = orchestratorIdByUrl.get(url);
            OrchestratorRecord previous = existingId == null ? null : orchestrators.get(existingId);
            OrchestratorRecord next = previous == null
                    ? new OrchestratorRecord(Ids.next(), url, Info.freeze(info), region, domain, now, now)
                    : new OrchestratorRecord(previous.id(), url, Info.freeze(info), region, domain,
                            previous.registeredAt(), now);
            orchestrators.put(next.id(), next);
            orchestratorIdByUrl.put(url, next.id());
            return new Upserted<>(next, previous == null);
        }
    }

    /** Removes a child and, with it, every service it holds. */
    public Optional<Removal> deregisterOrchestrator(String id) {
        synchronized (writeLock) {
            OrchestratorRecord removed = orchestrators.remove(id);
            if (removed == null) {
                return Optional.empty();
            }
            orchestratorIdByUrl.remove(removed.url(), id);
            return Optional.of(new Removal(removed, services.removeAllOf(id)));
        }
    }

    /**
     * Registers or updates a service held by {@code orchestratorId}, under the id the child chose
     * (or a new one if it chose none).
     *
     * @throws UnknownOrchestratorException if that orchestrator is not registered
     * @throws ServiceHeldElsewhereException if another orchestrator holds that id
     */
    public Upserted<ServiceRecord> registerService(String id, String url, Map<String, ?> info, String orchestratorId) {
        synchronized (writeLock) {
            if (!orchestrators.containsKey(orchestratorId)) {
                throw new UnknownOrchestratorException(orchestratorId);
            }
            String serviceId = id == null ? Ids.next() : id;
            services.find(serviceId).map(ServiceRecord::orchestratorId)
                    .filter(holder -> !holder.equals(orchestratorId))
                    .ifPresent(holder -> {
                        throw new ServiceHeldElsewhereException(serviceId, holder);
                    });
            return services.upsert(serviceId, url, info, orchestratorId);
        }
    }

    public Optional<ServiceRecord> deregisterService(String id) {
        synchronized (writeLock) {
            return services.remove(id);
        }
    }

    public Optional<OrchestratorRecord> orchestrator(String id) {
        return Optional.ofNullable(orchestrators.get(id));
    }

    /** Every orchestrator, ordered by id (registration time). */
    public List<OrchestratorRecord> orchestrators() {
        return List.copyOf(orchestrators.values());
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

    public int serviceCountOf(String orchestratorId) {
        return services.countHeldBy(orchestratorId);
    }

    public int serviceCount() {
        return services.size();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
