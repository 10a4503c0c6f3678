package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.ParentInfo;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.events.ChangeEvent;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.Subscription;
import dev.canopy.core.registry.ServiceLimitReachedException;
import dev.canopy.core.registry.ServiceRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The parent's journal under load: eight threads register, re-register, renew, reconcile, deregister
 * and evict orchestrators and services at once, while one subscriber listens from a snapshot. The
 * events follow the snapshot without a gap, and applied in order to the snapshot's tree they give
 * exactly the tree the registry holds at the end (each service under its orchestrator, as it is).
 */
class ParentJournalTest {
    private static final int THREADS = 8;
    private static final int CHANGES_EACH = 3_000;

    @Test
    void eightWritersProduceAGapFreeOrderThatReplaysToTheFinalHierarchy() throws Exception {
        Clock clock = Clock.systemUTC();
        ChangeJournal journal = new ChangeJournal(ChangeJournal.startIndex(clock), 1_000_000, 1_000_000, clock);
        ParentRegistry registry = new ParentRegistry(clock, Duration.ofMillis(300), 50, journal);
        HierarchyView view = new HierarchyView(registry, "parent", new ParentInfo("Parent", ParentInfo.LevelEnum.GLOBAL,
                "test"));
        // Some history first, so the snapshot is not empty.
        String first = registry.registerOrchestrator(null, "http://child-first:1", Map.of(), "r", null,
                Caller.UNRESTRICTED).result().record().id();
        registry.registerService(null, "http://svc-first:1", Map.of(), first, Caller.UNRESTRICTED);
        Subscription listener = registry.subscribe(OptionalLong.empty(), view::now);

        ExecutorService writers = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(writers.submit(() -> {
                start.await();
                for (int i = 0; i < CHANGES_EACH; i++) {
                    change(registry);
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        start.countDown();
        for (Future<?> each : done) {
            each.get(2, TimeUnit.MINUTES);
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        writers.shutdown();

        ChangeEvent snapshot = listener.next(Duration.ofSeconds(1));
        assertThat(snapshot.type()).isEqualTo("snapshot");
        Map<String, OrchestratorDetail> orchestrators = new TreeMap<>();
        Map<String, ServiceDetail> services = new TreeMap<>();
        for (HierarchyBranch branch : ((Hierarchy) snapshot.payload()).getOrchestrators()) {
            orchestrators.put(branch.getOrchestrator().getId(), branch.getOrchestrator());
            branch.getServices().forEach(service -> services.put(service.getId(), service));
        }
        long expected = snapshot.index() + 1;
        int events = 0;
        for (ChangeEvent event = listener.poll(); event != null; event = listener.poll()) {
            assertThat(event.index()).isEqualTo(expected++);
            events++;
            apply(event, orchestrators, services);
        }
        assertThat(expected - 1).isEqualTo(journal.lastIndex());

        Hierarchy end = view.now();
        Map<String, String> finalOrchestrators = new TreeMap<>();
        Map<String, String> finalServices = new TreeMap<>();
        for (HierarchyBranch branch : end.getOrchestrators()) {
            finalOrchestrators.put(branch.getOrchestrator().getId(), branch.getOrchestrator().getUrl());
            branch.getServices().forEach(service -> finalServices.put(service.getId(),
                    service.getOrchestratorId() + " " + service.getUrl() + " " + service.getInfo()));
        }
        Map<String, String> replayedOrchestrators = new TreeMap<>();
        orchestrators.forEach((id, o) -> replayedOrchestrators.put(id, o.getUrl()));
        Map<String, String> replayedServices = new TreeMap<>();
        services.forEach((id, s) -> replayedServices.put(id, s.getOrchestratorId() + " " + s.getUrl() + " "
                + s.getInfo()));
        assertThat(replayedOrchestrators).isEqualTo(finalOrchestrators);
        assertThat(replayedServices).isEqualTo(finalServices);
        // No event ever showed a service whose orchestrator was gone.
        assertThat(events).as("events").isGreaterThan(THREADS * CHANGES_EACH / 10);
        System.out.printf("ParentJournalTest: %d threads, %d events in %d ms, %d orchestrators and %d services "
                + "at the end%n", THREADS, events, elapsed, finalOrchestrators.size(), finalServices.size());
    }

    private static void apply(ChangeEvent event, Map<String, OrchestratorDetail> orchestrators,
                              Map<String, ServiceDetail> services) {
        if (event.type().startsWith("orchestrator.")) {
            OrchestratorDetail orchestrator = (OrchestratorDetail) event.payload();
            switch (event.type()) {
                case "orchestrator.registered" -> assertThat(orchestrators.put(orchestrator.getId(), orchestrator))
                        .isNull();
                case "orchestrator.updated" -> assertThat(orchestrators.put(orchestrator.getId(), orchestrator))
                        .isNotNull();
                default -> {
                    assertThat(orchestrators.remove(orchestrator.getId())).isNotNull();
                    assertThat(services.values()).as("its services went before it")
                            .noneMatch(service -> service.getOrchestratorId().equals(orchestrator.getId()));
                }
            }
            return;
        }
        ServiceDetail service = (ServiceDetail) event.payload();
        assertThat(orchestrators).as("the holder of %s at %s", service.getId(), event)
                .containsKey(service.getOrchestratorId());
        switch (event.type()) {
            case "service.registered" -> assertThat(services.put(service.getId(), service)).isNull();
            case "service.updated" -> assertThat(services.put(service.getId(), service)).isNotNull();
            default -> assertThat(services.remove(service.getId())).isNotNull();
        }
    }

    /** One random change, as children and the reaper make them; refusals are part of the load. */
    private static void change(ParentRegistry registry) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<OrchestratorRecord> known = registry.orchestrators();
        OrchestratorRecord some = known.isEmpty() ? null : known.get(random.nextInt(known.size()));
        try {
            switch (random.nextInt(8)) {
                case 0 -> registry.registerOrchestrator(null, "http://child-" + random.nextInt(12) + ":1",
                        Map.of("v", random.nextInt(3)), "r" + random.nextInt(2), null, Caller.UNRESTRICTED);
                case 1, 2 -> {
                    if (some != null) {
                        registry.registerService(null, "http://svc-" + random.nextInt(100) + ":1",
                                Map.of("v", random.nextInt(3)), some.id(), Caller.UNRESTRICTED);
                    }
                }
                case 3 -> {
                    if (some != null) {
                        registry.renewOrchestrator(some.id(), random.nextBoolean() ? "0000000000000000" : null, 0,
                                Caller.UNRESTRICTED);
                    }
                }
                case 4 -> {
                    List<ServiceRecord> all = registry.services();
                    if (!all.isEmpty()) {
                        registry.deregisterService(all.get(random.nextInt(all.size())).id(), Caller.UNRESTRICTED);
                    }
                }
                case 5 -> {
                    if (some != null) {
                        List<ServiceRecord> set = new ArrayList<>();
                        Instant now = Instant.now();
                        for (ServiceRecord held : registry.servicesOf(some.id())) {
                            if (random.nextBoolean()) {
                                set.add(ServiceRecord.of(held.id(), held.url(), Map.of("v", random.nextInt(3)),
                                        some.id(), now, now, null, null));
                            }
                        }
                        registry.replaceServices(some.id(), set, Caller.UNRESTRICTED);
                    }
                }
                case 6 -> {
                    if (some != null && random.nextInt(4) == 0) {
                        registry.deregisterOrchestrator(some.id(), Caller.UNRESTRICTED);
                    }
                }
                default -> registry.evictExpired();
            }
        } catch (UnknownOrchestratorException | ServiceLimitReachedException refused) {
            // Removed by another thread since it was picked, or full: the registry said no, as it should.
        }
    }
}
