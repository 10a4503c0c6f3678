package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.HierarchySummary;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.OrchestratorSummary;
import dev.canopy.api.model.ParentInfo;
import dev.canopy.core.Ids;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The summary's counts and digests come from what the registry keeps, not from a walk of the
 * services: after every kind of change, and while changes land, they must be those of the services
 * each orchestrator holds.
 */
class HierarchySummaryTest {
    private static final Caller ANYONE = Caller.UNRESTRICTED;
    private static final ParentInfo PARENT = new ParentInfo("Parent", ParentInfo.LevelEnum.GLOBAL, "test");

    @Test
    void countsAndDigestsAgreeWithTheServicesAfterUpdatesRemovalsDisplacementAndEviction() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ParentRegistry registry = new ParentRegistry(clock, Duration.ofSeconds(30));
        HierarchyView view = new HierarchyView(registry, "parent", PARENT);
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE)
                .result().record().id();
        String eu = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE)
                .result().record().id();
        List<String> ofUs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ofUs.add(registry.registerService(null, "http://us-" + i + ":1", Map.of("i", i), us, ANYONE).record().id());
            registry.registerService(null, "http://eu-" + i + ":1", Map.of(), eu, ANYONE);
        }
        assertAgree(registry, view.summary(), 8);

        registry.registerService(ofUs.get(0), "http://us-0:2", Map.of("i", "updated"), us, ANYONE);
        assertAgree(registry, view.summary(), 8);

        registry.deregisterService(ofUs.get(1), ANYONE);
        registry.applyChanges(us, List.of(ParentRegistry.ForwardedChange.removal(ofUs.get(2)),
                ParentRegistry.ForwardedChange.upsert("01JD5Z9A00000000000000000A", "http://us-new:1", Map.of())), ANYONE);
        assertAgree(registry, view.summary(), 7);

        registry.replaceServices(eu, List.of(ServiceRecord.of("01JD5Z9A00000000000000000B", "http://eu-only:1", Map.of(),
                eu, clock.instant(), clock.instant(), null, null)), ANYONE);
        assertAgree(registry, view.summary(), 4);

        // A child at eu's url under another id displaces eu, and its services go with it.
        String successor = registry.registerOrchestrator(Ids.next(), "http://eu:9002", Map.of(),
                "eu-west", null, ANYONE).result().record().id();
        HierarchySummary afterDisplacement = view.summary();
        assertThat(afterDisplacement.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getId())
                .containsExactly(us, successor);
        assertAgree(registry, afterDisplacement, 3);

        clock.advanceSeconds(20);
        registry.renewOrchestrator(successor, null, null, ANYONE);
        clock.advanceSeconds(15);
        assertThat(registry.evictExpired()).extracting(removal -> removal.orchestrator().id()).containsExactly(us);
        HierarchySummary afterEviction = view.summary();
        assertThat(afterEviction.getOrchestrators()).extracting(entry -> entry.getOrchestrator().getId())
                .containsExactly(successor);
        assertAgree(registry, afterEviction, 0);
    }

    /**
     * Eight threads register, update and remove services (one by one and in batches) under four
     * orchestrators while a reader takes summaries. Each orchestrator's services come from a small known
     * universe (five ids, two urls each), so each digest a summary shows names exactly one set: its
     * count must be that set's size, and the total the sum of the counts.
     */
    @Test
    void aSummaryReadWhileEightThreadsWriteShowsEachOrchestratorsCountWithItsDigestsSet() throws Exception {
        ParentRegistry registry = new ParentRegistry(Clock.systemUTC(), Duration.ofHours(1));
        HierarchyView view = new HierarchyView(registry, "parent", PARENT);
        int idsEach = 5;
        List<String> orchestrators = new ArrayList<>();
        Map<String, Map<Long, Integer>> sizeByDigest = new HashMap<>();
        for (int o = 0; o < 4; o++) {
            String id = registry.registerOrchestrator(null, "http://child-" + o + ":9000", Map.of(), null, null, ANYONE)
                    .result().record().id();
            orchestrators.add(id);
            Map<Long, Integer> sizes = new HashMap<>(Map.of(0L, 0));
            for (int s = 0; s < idsEach; s++) {
                Map<Long, Integer> grown = new HashMap<>(sizes);
                for (int version = 0; version < 2; version++) {
                    long one = ServicesDigest.of(serviceId(o, s), url(o, s, version), Map.of());
                    sizes.forEach((digest, size) -> grown.put(digest ^ one, size + 1));
                }
                sizes = grown;
            }
            sizeByDigest.put(id, sizes);
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int o = t % orchestrators.size();
            String orchestrator = orchestrators.get(o);
            writers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 5_000; i++) {
                    int s = random.nextInt(idsEach);
                    int version = random.nextInt(2);
                    switch (random.nextInt(4)) {
                        case 0 -> registry.deregisterService(serviceId(o, s), ANYONE);
                        case 1 -> registry.applyChanges(orchestrator, List.of(
                                ParentRegistry.ForwardedChange.upsert(serviceId(o, s), url(o, s, version), Map.of()),
                                ParentRegistry.ForwardedChange.removal(serviceId(o, (s + 1) % idsEach))), ANYONE);
                        default -> registry.registerService(serviceId(o, s), url(o, s, version), Map.of(), orchestrator,
                                ANYONE);
                    }
                }
            }));
        }
        Future<Integer> reader = pool.submit(() -> {
            int summaries = 0;
            while (writing.get()) {
                HierarchySummary summary = view.summary();
                int total = 0;
                for (OrchestratorSummary entry : summary.getOrchestrators()) {
                    OrchestratorDetail orchestrator = entry.getOrchestrator();
                    long digest = HexFormat.fromHexDigitsToLong(orchestrator.getSync().getServicesDigest());
                    assertThat(sizeByDigest.get(orchestrator.getId()).get(digest))
                            .as("the size of the set whose digest the summary shows").isNotNull()
                            .isEqualTo(orchestrator.getServiceCount());
                    total += orchestrator.getServiceCount();
                }
                assertThat(summary.getTotalServices()).isEqualTo(total);
                assertThat(summary.getTotalOrchestrators()).isEqualTo(4);
                summaries++;
            }
            return summaries;
        });
        try {
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
        }
        assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();
        pool.shutdown();
        assertAgree(registry, view.summary(), registry.serviceCount());
    }

    private static String serviceId(int orchestrator, int service) {
        return "01JD5Z9A" + String.format("%09d%09d", orchestrator, service);
    }

    private static String url(int orchestrator, int service, int version) {
        return "http://svc-" + orchestrator + "-" + service + ":" + (8000 + version);
    }

    /** Each entry is its orchestrator's detail, with the count and digest of the services it holds. */
    private static void assertAgree(ParentRegistry registry, HierarchySummary summary, int totalServices) {
        assertThat(summary.getTotalOrchestrators()).isEqualTo(registry.orchestrators().size());
        assertThat(summary.getTotalServices()).isEqualTo(totalServices).isEqualTo(registry.serviceCount());
        for (OrchestratorSummary entry : summary.getOrchestrators()) {
            OrchestratorRecord record = registry.orchestrator(entry.getOrchestrator().getId()).orElseThrow();
            List<ServiceRecord> held = registry.servicesOf(record.id());
            assertThat(entry.getOrchestrator()).isEqualTo(
                    OrchestratorViews.detail(record, held.size(), ServicesDigest.ofAll(held)));
            assertThat(OrchestratorViews.detail(record, registry)).isEqualTo(entry.getOrchestrator());
        }
    }
}
