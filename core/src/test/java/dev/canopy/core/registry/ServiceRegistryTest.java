package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceRegistryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void registeringTheSameUrlAgainKeepsTheIdAndTheRegistrationTime() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        Upserted<ServiceRecord> first = registry.registerUrl("http://a:1", Map.of("version", "1"));
        clock.advanceSeconds(5);
        Upserted<ServiceRecord> second = registry.registerUrl("http://a:1", Map.of("version", "2"));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.record().id()).isEqualTo(first.record().id());
        assertThat(second.record().registeredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(second.record().lastUpdated()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(second.record().info()).containsEntry("version", "2");
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aRemovedUrlRegistersAsANewService() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String first = registry.registerUrl("http://a:1", Map.of()).record().id();
        registry.remove(first);
        String second = registry.registerUrl("http://a:1", Map.of()).record().id();

        assertThat(second).isNotEqualTo(first);
        assertThat(registry.idOfUrl("http://a:1")).contains(second);
    }

    @Test
    void listsAreOrderedByIdThatIsByRegistration() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(registry.registerUrl("http://s" + i + ":1", Map.of()).record().id());
        }
        assertThat(registry.all()).extracting(ServiceRecord::id).containsExactlyElementsOf(ids);
    }

    @Test
    void servicesAreIndexedByTheOrchestratorHoldingThem() {
        ServiceRegistry registry = ServiceRegistry.heldByOrchestrators(clock);
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA1", "http://a:1", Map.of(), "ORCH-A");
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA2", "http://b:1", Map.of(), "ORCH-A");
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA3", "http://a:1", Map.of(), "ORCH-B");

        assertThat(registry.heldBy("ORCH-A")).extracting(ServiceRecord::id)
                .containsExactly("01AAAAAAAAAAAAAAAAAAAAAAA1", "01AAAAAAAAAAAAAAAAAAAAAAA2");
        assertThat(registry.countHeldBy("ORCH-B")).isEqualTo(1);

        List<ServiceRecord> removed = registry.removeAllOf("ORCH-A");
        assertThat(removed).extracting(ServiceRecord::id)
                .containsExactly("01AAAAAAAAAAAAAAAAAAAAAAA1", "01AAAAAAAAAAAAAAAAAAAAAAA2");
        assertThat(registry.all()).extracting(ServiceRecord::id).containsExactly("01AAAAAAAAAAAAAAAAAAAAAAA3");
        assertThat(registry.heldBy("ORCH-A")).isEmpty();
        assertThatThrownBy(() -> registry.idOfUrl("http://a:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void storedInfoCannotBeChangedByTheCallerOrAReader() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        Map<String, Object> nested = new HashMap<>(Map.of("zone", "a"));
        Map<String, Object> info = new HashMap<>();
        info.put("tags", new ArrayList<>(List.of("x")));
        info.put("where", nested);
        info.put("nothing", null);
        ServiceRecord record = registry.registerUrl("http://a:1", info).record();

        nested.put("zone", "b");
        info.put("added", true);
        assertThat(record.info()).doesNotContainKey("added").containsEntry("nothing", null);
        assertThat(record.info().get("where")).isEqualTo(Map.of("zone", "a"));
        assertThatThrownBy(() -> record.info().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) record.info().get("tags");
        assertThatThrownBy(() -> tags.add("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * Many threads register and remove the same small set of urls at once. Whatever the interleaving,
     * the url index and the id map must agree, and one url never holds two ids.
     */
    @Test
    void indexesStayConsistentUnderConcurrentWriters() throws Exception {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(Clock.systemUTC());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        Set<String> everyIdSeenPerUrl = ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 5_000; i++) {
                    String url = "http://svc" + random.nextInt(20) + ":80";
                    if (random.nextInt(3) == 0) {
                        registry.idOfUrl(url).ifPresent(registry::remove);
                    } else {
                        ServiceRecord record = registry.registerUrl(url, Map.of("i", i)).record();
                        everyIdSeenPerUrl.add(url + " " + record.id());
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<ServiceRecord> all = registry.all();
        assertThat(all).extracting(ServiceRecord::url).doesNotHaveDuplicates();
        for (ServiceRecord record : all) {
            assertThat(registry.idOfUrl(record.url())).contains(record.id());
        }
        for (int i = 0; i < 20; i++) {
            String url = "http://svc" + i + ":80";
            registry.idOfUrl(url).ifPresent(id -> assertThat(registry.find(id)).map(ServiceRecord::url).contains(url));
        }
        assertThat(registry.size()).isEqualTo(all.size()).isLessThanOrEqualTo(20);
        assertThat(everyIdSeenPerUrl).isNotEmpty();
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advanceSeconds(long seconds) {
            now.updateAndGet(instant -> instant.plusSeconds(seconds));
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
