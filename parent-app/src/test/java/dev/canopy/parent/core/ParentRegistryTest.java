package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.Ids;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentRegistryTest {
    private static final Caller ANYONE = Caller.UNRESTRICTED;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ParentRegistry registry = new ParentRegistry(clock, Duration.ofSeconds(30));

    @Test
    void anOrchestratorRegisteringAgainFromItsUrlKeepsItsIdAndServices() {
        OrchestratorRecord first = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record();
        registry.registerService(Ids.next(), "http://svc:1", Map.of(), first.id(), ANYONE);

        var again = registry.registerOrchestrator(null, "http://us:9001", Map.of("v", 2), "us-west", null, ANYONE).result();

        assertThat(again.created()).isFalse();
        assertThat(again.record().id()).isEqualTo(first.id());
        assertThat(again.record().region()).isEqualTo("us-west");
        assertThat(again.record().registeredAt()).isEqualTo(first.registeredAt());
        assertThat(registry.serviceCountOf(first.id())).isEqualTo(1);
        assertThat(registry.orchestrators()).hasSize(1);
    }

    @Test
    void deregisteringAnOrchestratorRemovesExactlyItsServices() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        String eu = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE).result().record().id();
        String a = registry.registerService(null, "http://a:1", Map.of(), us, ANYONE).record().id();
        String b = registry.registerService(null, "http://b:1", Map.of(), us, ANYONE).record().id();
        String c = registry.registerService(null, "http://c:1", Map.of(), eu, ANYONE).record().id();

        Removal removal = registry.deregisterOrchestrator(us, ANYONE).orElseThrow();

        assertThat(removal.services()).extracting(ServiceRecord::id).containsExactlyInAnyOrder(a, b);
        assertThat(registry.services()).extracting(ServiceRecord::id).containsExactly(c);
        assertThat(registry.orchestrator(us)).isEmpty();
        assertThat(registry.deregisterOrchestrator(us, ANYONE)).isEmpty();
        // Its url is free again: a new registration from it is a new orchestrator.
        assertThat(registry.registerOrchestrator(null, "http://us:9001", Map.of(), null, null, ANYONE).result().record().id()).isNotEqualTo(us);
    }

    @Test
    void aServiceKeepsTheIdItsChildChose() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        String id = Ids.next();

        var first = registry.registerService(id, "http://a:1", Map.of("v", 1), us, ANYONE);
        var second = registry.registerService(id, "http://a:2", Map.of("v", 2), us, ANYONE);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(registry.service(id)).map(ServiceRecord::url).contains("http://a:2");
        assertThat(registry.serviceCount()).isEqualTo(1);
    }

    @Test
    void refusesUnknownOrchestratorsAndIdsHeldByAnother() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        String eu = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE).result().record().id();
        String id = registry.registerService(null, "http://a:1", Map.of(), us, ANYONE).record().id();

        assertThatThrownBy(() -> registry.registerService(null, "http://b:1", Map.of(), Ids.next(), ANYONE))
                .isInstanceOf(UnknownOrchestratorException.class);
        assertThatThrownBy(() -> registry.registerService(id, "http://a:1", Map.of(), eu, ANYONE))
                .isInstanceOf(ServiceHeldElsewhereException.class);
        assertThat(registry.service(id)).map(ServiceRecord::orchestratorId).contains(us);
        assertThat(registry.serviceCount()).isEqualTo(1);
    }

    @Test
    void aChildThatStopsRenewingIsEvictedWithItsServices() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        String eu = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE).result().record().id();
        registry.registerService(null, "http://a:1", Map.of(), us, ANYONE);
        String b = registry.registerService(null, "http://b:1", Map.of(), eu, ANYONE).record().id();

        clock.advanceSeconds(20);
        OrchestratorRecord renewed = registry.renewOrchestrator(eu, null, 3, ANYONE).orElseThrow().orchestrator();
        assertThat(renewed.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:50Z"));
        assertThat(renewed.pendingForwards()).isEqualTo(3);
        assertThat(renewed.inSync()).as("no digest sent, nothing known").isNull();
        clock.advanceSeconds(10);

        List<Removal> evicted = registry.evictExpired();

        assertThat(evicted).extracting(removal -> removal.orchestrator().id()).containsExactly(us);
        assertThat(evicted.get(0).services()).hasSize(1);
        assertThat(registry.services()).extracting(ServiceRecord::id).containsExactly(b);
        assertThat(registry.renewOrchestrator(us, null, null, ANYONE)).isEmpty();
    }

    @Test
    void aHeartbeatSaysWhetherTheParentsCopyAgreesWithTheChildsDigest() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        ServiceRecord a = registry.registerService(Ids.next(), "http://a:1", Map.of("v", 1), us, ANYONE).record();
        String childDigest = ServicesDigest.ofAll(List.of(a));

        assertThat(registry.renewOrchestrator(us, childDigest, 0, ANYONE).orElseThrow().orchestrator().inSync()).isTrue();
        assertThat(registry.renewOrchestrator(us, "0123456789abcdef", 0, ANYONE).orElseThrow().orchestrator().inSync()).isFalse();
    }

    @Test
    void aCompleteSetReplacesTheCopyInOneStepOrNotAtAll() {
        String us = registry.registerOrchestrator(null, "http://us:9001", Map.of(), "us-east", null, ANYONE).result().record().id();
        String eu = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE).result().record().id();
        String stale = registry.registerService(Ids.next(), "http://stale:1", Map.of(), us, ANYONE).record().id();
        String theirs = registry.registerService(Ids.next(), "http://eu:1", Map.of(), eu, ANYONE).record().id();
        Instant now = clock.instant();
        ServiceRecord fresh = ServiceRecord.of(Ids.next(), "http://fresh:1", Map.of(), us, now, now, null, null);

        var result = registry.replaceServices(us, List.of(fresh), ANYONE);

        assertThat(result.replacement()).isEqualTo(new ServiceRegistry.Replacement(1, 0, 1));
        assertThat(result.servicesDigest()).isEqualTo(ServicesDigest.ofAll(List.of(fresh)));
        assertThat(registry.servicesOf(us)).extracting(ServiceRecord::id).containsExactly(fresh.id());
        assertThat(registry.service(stale)).isEmpty();
        assertThat(registry.orchestrator(us).orElseThrow().lastSyncAt()).isEqualTo(now);

        ServiceRecord stolen = ServiceRecord.of(theirs, "http://eu:1", Map.of(), us, now, now, null, null);
        assertThatThrownBy(() -> registry.replaceServices(us, List.of(stolen), ANYONE))
                .isInstanceOf(ServiceHeldElsewhereException.class);
        assertThat(registry.servicesOf(us)).extracting(ServiceRecord::id).containsExactly(fresh.id());
        assertThatThrownBy(() -> registry.replaceServices(Ids.next(), List.of(), ANYONE))
                .isInstanceOf(UnknownOrchestratorException.class);
    }

    @Test
    void aChildRegisteringAgainWithItsIdKeepsItEvenAfterTheParentForgotIt() {
        String id = Ids.next();
        var first = registry.registerOrchestrator(id, "http://us:9001", Map.of(), "us-east", null, ANYONE);
        assertThat(first.result().created()).isTrue();
        assertThat(first.result().record().id()).isEqualTo(id);

        String other = registry.registerOrchestrator(null, "http://eu:9002", Map.of(), "eu-west", null, ANYONE).result().record().id();
        registry.registerService(null, "http://old:1", Map.of(), other, ANYONE);
        var moved = registry.registerOrchestrator(id, "http://eu:9002", Map.of(), "eu-west", null, ANYONE);

        assertThat(moved.displaced()).hasValueSatisfying(removal -> {
            assertThat(removal.orchestrator().id()).isEqualTo(other);
            assertThat(removal.services()).hasSize(1);
        });
        assertThat(registry.orchestrators()).extracting(OrchestratorRecord::id).containsExactly(id);
        assertThat(registry.orchestrators().get(0).url()).isEqualTo("http://eu:9002");
        assertThat(registry.registerOrchestrator(null, "http://eu:9002", Map.of(), null, null, ANYONE).result().record().id())
                .isEqualTo(id);
    }

    /**
     * Children forward services while orchestrators come and go. Whatever the interleaving, no
     * service may outlive its orchestrator and the per-orchestrator counts must add up.
     */
    @Test
    void cascadesNeverLeaveOrphansUnderConcurrentForwards() throws Exception {
        List<String> urls = List.of("http://c0:1", "http://c1:1", "http://c2:1", "http://c3:1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 3_000; i++) {
                    List<OrchestratorRecord> known = registry.orchestrators();
                    if (known.isEmpty()) {
                        continue;
                    }
                    String orchestrator = known.get(random.nextInt(known.size())).id();
                    try {
                        registry.registerService(Ids.next(), "http://s" + i + ":1", Map.of(), orchestrator, ANYONE);
                    } catch (UnknownOrchestratorException expected) {
                        // removed meanwhile: the forward is refused, never stored
                    }
                }
            }));
        }
        for (int t = 0; t < 2; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 2_000; i++) {
                    String url = urls.get(random.nextInt(urls.size()));
                    if (random.nextBoolean()) {
                        registry.registerOrchestrator(null, url, Map.of(), null, null, ANYONE);
                    } else {
                        registry.orchestrators().stream().filter(o -> o.url().equals(url)).findFirst()
                                .ifPresent(o -> registry.deregisterOrchestrator(o.id(), ANYONE));
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<String> live = registry.orchestrators().stream().map(OrchestratorRecord::id).toList();
        assertThat(registry.services()).allSatisfy(service -> assertThat(live).contains(service.orchestratorId()));
        assertThat(live.stream().mapToInt(registry::serviceCountOf).sum()).isEqualTo(registry.serviceCount());
        assertThat(registry.orchestrators()).extracting(OrchestratorRecord::url).doesNotHaveDuplicates();
    }
}
