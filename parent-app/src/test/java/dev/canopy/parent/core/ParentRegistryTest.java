package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.Ids;
import dev.canopy.core.registry.ServiceRecord;
import java.time.Clock;
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
    private final ParentRegistry registry = new ParentRegistry(Clock.systemUTC());

    @Test
    void anOrchestratorRegisteringAgainFromItsUrlKeepsItsIdAndServices() {
        OrchestratorRecord first = registry.registerOrchestrator("http://us:9001", Map.of(), "us-east", null).record();
        registry.registerService(Ids.next(), "http://svc:1", Map.of(), first.id());

        var again = registry.registerOrchestrator("http://us:9001", Map.of("v", 2), "us-west", null);

        assertThat(again.created()).isFalse();
        assertThat(again.record().id()).isEqualTo(first.id());
        assertThat(again.record().region()).isEqualTo("us-west");
        assertThat(again.record().registeredAt()).isEqualTo(first.registeredAt());
        assertThat(registry.serviceCountOf(first.id())).isEqualTo(1);
        assertThat(registry.orchestrators()).hasSize(1);
    }

    @Test
    void deregisteringAnOrchestratorRemovesExactlyItsServices() {
        String us = registry.registerOrchestrator("http://us:9001", Map.of(), "us-east", null).record().id();
        String eu = registry.registerOrchestrator("http://eu:9002", Map.of(), "eu-west", null).record().id();
        String a = registry.registerService(null, "http://a:1", Map.of(), us).record().id();
        String b = registry.registerService(null, "http://b:1", Map.of(), us).record().id();
        String c = registry.registerService(null, "http://c:1", Map.of(), eu).record().id();

        Removal removal = registry.deregisterOrchestrator(us).orElseThrow();

        assertThat(removal.services()).extracting(ServiceRecord::id).containsExactlyInAnyOrder(a, b);
        assertThat(registry.services()).extracting(ServiceRecord::id).containsExactly(c);
        assertThat(registry.orchestrator(us)).isEmpty();
        assertThat(registry.deregisterOrchestrator(us)).isEmpty();
        // Its url is free again: a new registration from it is a new orchestrator.
        assertThat(registry.registerOrchestrator("http://us:9001", Map.of(), null, null).record().id()).isNotEqualTo(us);
    }

    @Test
    void aServiceKeepsTheIdItsChildChose() {
        String us = registry.registerOrchestrator("http://us:9001", Map.of(), "us-east", null).record().id();
        String id = Ids.next();

        var first = registry.registerService(id, "http://a:1", Map.of("v", 1), us);
        var second = registry.registerService(id, "http://a:2", Map.of("v", 2), us);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(registry.service(id)).map(ServiceRecord::url).contains("http://a:2");
        assertThat(registry.serviceCount()).isEqualTo(1);
    }

    @Test
    void refusesUnknownOrchestratorsAndIdsHeldByAnother() {
        String us = registry.registerOrchestrator("http://us:9001", Map.of(), "us-east", null).record().id();
        String eu = registry.registerOrchestrator("http://eu:9002", Map.of(), "eu-west", null).record().id();
        String id = registry.registerService(null, "http://a:1", Map.of(), us).record().id();

        assertThatThrownBy(() -> registry.registerService(null, "http://b:1", Map.of(), Ids.next()))
                .isInstanceOf(UnknownOrchestratorException.class);
        assertThatThrownBy(() -> registry.registerService(id, "http://a:1", Map.of(), eu))
                .isInstanceOf(ServiceHeldElsewhereException.class);
        assertThat(registry.service(id)).map(ServiceRecord::orchestratorId).contains(us);
        assertThat(registry.serviceCount()).isEqualTo(1);
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
                        registry.registerService(Ids.next(), "http://s" + i + ":1", Map.of(), orchestrator);
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
                        registry.registerOrchestrator(url, Map.of(), null, null);
                    } else {
                        registry.orchestrators().stream().filter(o -> o.url().equals(url)).findFirst()
                                .ifPresent(o -> registry.deregisterOrchestrator(o.id()));
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
