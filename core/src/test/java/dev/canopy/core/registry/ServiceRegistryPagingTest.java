package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.Ids;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Pages cut by cursor: in id order, each item once, and stable while others write. */
class ServiceRegistryPagingTest {
    private static final String US = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";
    private static final String EU = "01JD5Z8Q3M7W8Y6KX2T4R9B1CF";

    private final ServiceRegistry registry = ServiceRegistry.heldByOrchestrators(Clock.systemUTC());

    @Test
    void pagesFollowEachOtherByCursorAndTheLastHasNone() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(registry.upsert(Ids.next(), "http://s" + i, Map.of(), i % 2 == 0 ? US : EU, null).record().id());
        }

        Page<ServiceRecord> first = registry.page(null, 10);
        Page<ServiceRecord> second = registry.page(first.resumeAfter(), 10);
        Page<ServiceRecord> third = registry.page(second.resumeAfter(), 10);

        assertThat(first.items()).extracting(ServiceRecord::id).containsExactlyElementsOf(ids.subList(0, 10));
        assertThat(first.resumeAfter()).isEqualTo(ids.get(9));
        assertThat(second.items()).extracting(ServiceRecord::id).containsExactlyElementsOf(ids.subList(10, 20));
        assertThat(third.items()).extracting(ServiceRecord::id).containsExactlyElementsOf(ids.subList(20, 25));
        assertThat(third.resumeAfter()).as("the last page names no next").isNull();
        assertThat(registry.page(ids.get(19), 5).resumeAfter()).as("an exact fit at the end: no empty page after it")
                .isNull();
        assertThat(registry.page(ids.get(24), 5).items()).as("after the last id").isEmpty();
        assertThat(first.next("/services?limit=10")).isEqualTo("/services?limit=10&after=" + ids.get(9));
        assertThat(third.next("/services?limit=10")).isNull();
    }

    @Test
    void anOrchestratorsPagesHoldOnlyItsServices() {
        List<String> us = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String id = registry.upsert(Ids.next(), "http://s" + i, Map.of(), i % 3 == 0 ? US : EU, null).record().id();
            if (i % 3 == 0) {
                us.add(id);
            }
        }

        Page<ServiceRecord> first = registry.pageHeldBy(US, null, 2);
        Page<ServiceRecord> second = registry.pageHeldBy(US, first.resumeAfter(), 2);

        assertThat(first.items()).extracting(ServiceRecord::id).containsExactlyElementsOf(us.subList(0, 2));
        assertThat(second.items()).extracting(ServiceRecord::id).containsExactly(us.get(2));
        assertThat(second.resumeAfter()).isNull();
        assertThat(registry.pageHeldBy("01JD5Z9A00000000000000000Z", null, 2).items()).isEmpty();
    }

    @Test
    void aLimitOutsideOneToAThousandIsRefused() {
        assertThatThrownBy(() -> registry.page(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.page(null, 1001)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Writers register services before, between and after the stable ones, deregister them, and
     * update the stable ones, while walkers page through everything and through one orchestrator's
     * services. Each walk must list every stable service exactly once, and every id in ascending order.
     */
    @Test
    void aWalkUnderConcurrentWritesSeesEveryServiceThatStayedExactlyOnceInOrder() throws Exception {
        TreeSet<String> stable = new TreeSet<>();
        TreeSet<String> stableUs = new TreeSet<>();
        for (int i = 0; i < 600; i++) {
            String orchestrator = i % 2 == 0 ? US : EU;
            String id = registry.upsert(Ids.next(), "http://stable" + i, Map.of(), orchestrator, null).record().id();
            stable.add(id);
            if (orchestrator.equals(US)) {
                stableUs.add(id);
            }
        }
        List<String> stableList = List.copyOf(stable);
        AtomicBoolean walking = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (walking.get()) {
                        // An id between two stable ones (a child may choose its ids), or a new one at the end.
                        String anchor = stableList.get(random.nextInt(stableList.size()));
                        String churn = random.nextBoolean() ? anchor.substring(0, 25) + "Z" : Ids.next();
                        if (!stable.contains(churn)) {
                            registry.upsert(churn, "http://churn", Map.of(), random.nextBoolean() ? US : EU, null);
                            registry.remove(churn, dev.canopy.core.auth.Caller.UNRESTRICTED);
                        }
                        String updated = stableList.get(random.nextInt(stableList.size()));
                        registry.upsert(updated, "http://stable-again", Map.of("n", random.nextInt()),
                                registry.find(updated).orElseThrow().orchestratorId(), null);
                    }
                    return null;
                }));
            }
            List<Future<?>> walkers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                boolean filtered = r == 1;
                walkers.add(pool.submit(() -> {
                    for (int walk = 0; walk < 200; walk++) {
                        List<String> seen = new ArrayList<>();
                        String after = null;
                        do {
                            Page<ServiceRecord> page = filtered ? registry.pageHeldBy(US, after, 7)
                                    : registry.page(after, 7);
                            page.items().forEach(record -> seen.add(record.id()));
                            after = page.resumeAfter();
                        } while (after != null);
                        assertThat(seen).as("in ascending id order, none twice").isSorted().doesNotHaveDuplicates();
                        assertThat(Set.copyOf(seen)).as("every service that stayed throughout the walk")
                                .containsAll(filtered ? stableUs : stable);
                    }
                    return null;
                }));
            }
            for (Future<?> walker : walkers) {
                walker.get(60, TimeUnit.SECONDS);
            }
            walking.set(false);
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.SECONDS);
            }
        } finally {
            walking.set(false);
            pool.shutdownNow();
        }
        for (String orchestrator : List.of(US, EU)) {
            assertThat(registry.countHeldBy(orchestrator)).as("the count kept beside the index, after the churn")
                    .isEqualTo(registry.heldBy(orchestrator).size());
        }
    }
}
