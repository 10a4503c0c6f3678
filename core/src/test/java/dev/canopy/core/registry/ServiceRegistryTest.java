package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.Ids;
import dev.canopy.core.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicBoolean;
import dev.canopy.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class ServiceRegistryTest {
    private static final Caller ANYONE = Caller.UNRESTRICTED;
    private static final Duration TTL = Duration.ofSeconds(30);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void registeringTheSameUrlAgainKeepsTheIdAndTheRegistrationTime() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        Upserted<ServiceRecord> first = registry.registerUrl("http://a:1", Map.of("version", "1"), null, TTL, ANYONE).result();
        clock.advanceSeconds(5);
        Upserted<ServiceRecord> second = registry.registerUrl("http://a:1", Map.of("version", "2"), null, TTL, ANYONE).result();

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.record().id()).isEqualTo(first.record().id());
        assertThat(second.record().registeredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(second.record().lastUpdated()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(second.record().info()).containsEntry("version", "2");
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aLookupByIdAndAWalkInIdOrderSeeTheSameRecordsAfterEveryKindOfWrite() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String updated = registry.registerUrl("http://a:1", Map.of("v", "1"), null, TTL, ANYONE).result().record().id();
        String renewed = registry.registerUrl("http://b:1", Map.of(), null, TTL, ANYONE).result().record().id();
        String removed = registry.registerUrl("http://c:1", Map.of(), null, TTL, ANYONE).result().record().id();
        String displaced = registry.registerUrl("http://d:1", Map.of(), null, TTL, ANYONE).result().record().id();
        String expired = registry.registerUrl("http://e:1", Map.of(), null, Duration.ofSeconds(1), ANYONE)
                .result().record().id();
        clock.advanceSeconds(5);
        registry.registerUrl("http://a:1", Map.of("v", "2"), null, TTL, ANYONE);
        registry.renew(renewed, TTL, ANYONE);
        registry.remove(removed, ANYONE);
        String displacer = registry.registerUrl("http://d:1", Map.of(), Ids.next(), TTL, ANYONE).result().record().id();
        registry.evictExpired();

        List<ServiceRecord> walked = registry.page(null, 10).items();
        assertThat(walked).extracting(ServiceRecord::id).containsExactly(updated, renewed, displacer)
                .doesNotContain(removed, displaced, expired);
        assertThat(registry.all()).isEqualTo(walked);
        assertThat(registry.ids()).containsExactly(updated, renewed, displacer);
        for (ServiceRecord record : walked) {
            assertThat(registry.find(record.id())).containsSame(record);
        }
        assertThat(registry.find(updated).orElseThrow().info()).containsEntry("v", "2");
        assertThat(registry.find(renewed).orElseThrow().lastPingAt()).isEqualTo(clock.instant());
        for (String gone : List.of(removed, displaced, expired)) {
            assertThat(registry.find(gone)).isEmpty();
        }
    }

    @Test
    void aRemovedUrlRegistersAsANewService() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String first = registry.registerUrl("http://a:1", Map.of(), null, TTL, ANYONE).result().record().id();
        registry.remove(first, ANYONE);
        String second = registry.registerUrl("http://a:1", Map.of(), null, TTL, ANYONE).result().record().id();

        assertThat(second).isNotEqualTo(first);
        assertThat(registry.idOfUrl("http://a:1")).contains(second);
    }

    @Test
    void listsAreOrderedByIdThatIsByRegistration() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(registry.registerUrl("http://s" + i + ":1", Map.of(), null, TTL, ANYONE).result().record().id());
        }
        assertThat(registry.all()).extracting(ServiceRecord::id).containsExactlyElementsOf(ids);
    }

    @Test
    void servicesAreIndexedByTheOrchestratorHoldingThem() {
        ServiceRegistry registry = ServiceRegistry.heldByOrchestrators(clock);
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA1", "http://a:1", Map.of(), "ORCH-A", null);
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA2", "http://b:1", Map.of(), "ORCH-A", null);
        registry.upsert("01AAAAAAAAAAAAAAAAAAAAAAA3", "http://a:1", Map.of(), "ORCH-B", null);

        assertThat(registry.heldBy("ORCH-A")).extracting(ServiceRecord::id)
                .containsExactly("01AAAAAAAAAAAAAAAAAAAAAAA1", "01AAAAAAAAAAAAAAAAAAAAAAA2");
        assertThat(registry.countHeldBy("ORCH-B")).isEqualTo(1);

        List<ServiceRecord> removed = registry.removeAllOf("ORCH-A", ServiceChange.DEREGISTERED);
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
        ServiceRecord record = registry.registerUrl("http://a:1", info, null, TTL, ANYONE).result().record();

        nested.put("zone", "b");
        info.put("added", true);
        assertThat(record.info()).doesNotContainKey("added").containsEntry("nothing", null);
        assertThat(record.info().get("where")).isEqualTo(Map.of("zone", "a"));
        assertThatThrownBy(() -> record.info().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) record.info().get("tags");
        assertThatThrownBy(() -> tags.add("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aLeaseRunsOutUnlessRenewed() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String kept = registry.registerUrl("http://kept:1", Map.of(), null, TTL, ANYONE).result().record().id();
        String lapsed = registry.registerUrl("http://lapsed:1", Map.of(), null, TTL, ANYONE).result().record().id();
        clock.advanceSeconds(20);
        ServiceRecord renewed = registry.renew(kept, TTL, ANYONE).orElseThrow();
        assertThat(renewed.lastPingAt()).isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(renewed.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:50Z"));
        assertThat(renewed.lastUpdated()).as("a ping is not an update").isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));

        clock.advanceSeconds(10);
        assertThat(registry.evictExpired()).extracting(ServiceRecord::id).containsExactly(lapsed);
        assertThat(registry.ids()).containsExactly(kept);
        assertThat(registry.renew(lapsed, TTL, ANYONE)).isEmpty();
        assertThat(registry.idOfUrl("http://lapsed:1")).isEmpty();
    }

    @Test
    void aServiceRegisteringAgainWithItsIdKeepsItAndDisplacesAnotherHolderOfItsUrl() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String evicted = "01M8A595AF1DYM3V123VW351TP";
        ServiceRegistry.Registration back = registry.registerUrl("http://a:1", Map.of(), evicted, TTL, ANYONE);
        assertThat(back.result().record().id()).isEqualTo(evicted);
        assertThat(back.result().created()).isTrue();

        String other = registry.registerUrl("http://b:1", Map.of(), null, TTL, ANYONE).result().record().id();
        ServiceRegistry.Registration moved = registry.registerUrl("http://b:1", Map.of(), evicted, TTL, ANYONE);
        assertThat(moved.displaced()).map(ServiceRecord::id).contains(other);
        assertThat(registry.ids()).containsExactly(evicted);
        assertThat(registry.idOfUrl("http://b:1")).contains(evicted);
        assertThat(registry.idOfUrl("http://a:1")).isEmpty();
    }

    @Test
    void equalSetsHaveEqualDigestsWhateverTheirHistory() {
        ServiceRegistry child = ServiceRegistry.withUniqueUrls(clock);
        ServiceRegistry parent = ServiceRegistry.heldByOrchestrators(clock);
        String empty = child.digest();
        assertThat(parent.digestOf("ORCH")).isEqualTo(empty);

        List<ServiceRecord> registered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            registered.add(child.registerUrl("http://s" + i + ":1", Map.of("n", i, "tags", List.of("a")), null, TTL, ANYONE)
                    .result().record());
        }
        for (int i = registered.size() - 1; i >= 0; i--) {
            ServiceRecord record = registered.get(i);
            parent.upsert(record.id(), record.url(), record.info(), "ORCH", null);
        }
        assertThat(parent.digestOf("ORCH")).isEqualTo(child.digest()).isNotEqualTo(empty).matches("[0-9a-f]{16}");

        child.registerUrl("http://s0:1", Map.of("n", 99), null, TTL, ANYONE);
        assertThat(parent.digestOf("ORCH")).isNotEqualTo(child.digest());
        parent.upsert(registered.get(0).id(), "http://s0:1", Map.of("n", 99), "ORCH", null);
        assertThat(parent.digestOf("ORCH")).isEqualTo(child.digest());

        child.renew(registered.get(1).id(), TTL, ANYONE);
        assertThat(parent.digestOf("ORCH")).as("a lease is not content").isEqualTo(child.digest());
        parent.removeAllOf("ORCH", ServiceChange.DEREGISTERED);
        assertThat(parent.digestOf("ORCH")).isEqualTo(empty);
    }

    @Test
    void replacingASetAddsUpdatesAndRemovesExactlyTheDifference() {
        ServiceRegistry parent = ServiceRegistry.heldByOrchestrators(clock);
        parent.upsert("01AAAAAAAAAAAAAAAAAAAAAAA1", "http://keep:1", Map.of(), "ORCH", null);
        parent.upsert("01AAAAAAAAAAAAAAAAAAAAAAA2", "http://change:1", Map.of("v", 1), "ORCH", null);
        parent.upsert("01AAAAAAAAAAAAAAAAAAAAAAA3", "http://stale:1", Map.of(), "ORCH", null);
        parent.upsert("01AAAAAAAAAAAAAAAAAAAAAAA9", "http://other:1", Map.of(), "OTHER", null);
        Instant now = clock.instant();
        List<ServiceRecord> complete = List.of(
                ServiceRecord.of("01AAAAAAAAAAAAAAAAAAAAAAA1", "http://keep:1", Map.of(), "ORCH", now, now, null, null),
                ServiceRecord.of("01AAAAAAAAAAAAAAAAAAAAAAA2", "http://change:1", Map.of("v", 2), "ORCH", now, now, null, null),
                ServiceRecord.of("01AAAAAAAAAAAAAAAAAAAAAAA4", "http://new:1", Map.of(), "ORCH", now, now, null, null));

        ServiceRegistry.Replacement replacement = parent.replaceAllOf("ORCH", complete);

        assertThat(replacement).isEqualTo(new ServiceRegistry.Replacement(1, 1, 1));
        assertThat(parent.heldBy("ORCH")).extracting(ServiceRecord::id).containsExactly(
                "01AAAAAAAAAAAAAAAAAAAAAAA1", "01AAAAAAAAAAAAAAAAAAAAAAA2", "01AAAAAAAAAAAAAAAAAAAAAAA4");
        assertThat(parent.heldBy("OTHER")).hasSize(1);
        assertThat(parent.digestOf("ORCH")).isEqualTo(ServicesDigest.ofAll(complete));
        assertThat(parent.replaceAllOf("ORCH", complete)).isEqualTo(new ServiceRegistry.Replacement(0, 0, 0));
    }

    /** The size is a kept count, not a walk: every path that adds or drops a service must move it. */
    @Test
    void theSizeFollowsEveryWayInAndOut() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock);
        String a = registry.registerUrl("http://a:1", Map.of(), null, TTL, ANYONE).result().record().id();
        registry.registerUrl("http://b:1", Map.of(), null, TTL, ANYONE);
        registry.registerUrl("http://a:1", Map.of("v", "2"), null, TTL, ANYONE);
        registry.renew(a, TTL, ANYONE);
        assertThat(registry.size()).isEqualTo(2).isEqualTo(registry.all().size());

        // A service taking b's url under an id of its own displaces b: one in, one out.
        registry.registerUrl("http://b:1", Map.of(), "01ARZ3NDEKTSV4RRFFQ69G5FAV", TTL, ANYONE);
        assertThat(registry.size()).isEqualTo(2).isEqualTo(registry.all().size());

        registry.remove(a, ANYONE);
        registry.remove(a, ANYONE);
        assertThat(registry.size()).isEqualTo(1).isEqualTo(registry.all().size());

        clock.advanceSeconds(TTL.toSeconds() + 1);
        registry.evictExpired();
        assertThat(registry.size()).isZero();
        assertThat(registry.all()).isEmpty();
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
                        registry.idOfUrl(url).ifPresent(id -> registry.remove(id, ANYONE));
                    } else {
                        ServiceRecord record = registry.registerUrl(url, Map.of("i", i), null, TTL, ANYONE).result().record();
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

    /** Each orchestrator's kept count and digest are those of the set it holds, after every kind of change. */
    @Test
    void eachOrchestratorsHoldingFollowsEveryWayInAndOut() {
        ServiceRegistry parent = ServiceRegistry.heldByOrchestrators(clock);
        List<String> orchestrators = List.of("ORCH-A", "ORCH-B");
        assertThat(parent.holdingOf("ORCH-A")).isEqualTo(Holding.NONE);
        parent.upsert("S1", "http://s1:1", Map.of(), "ORCH-A", null);
        parent.upsert("S2", "http://s2:1", Map.of("v", 1), "ORCH-A", null);
        parent.upsert("S3", "http://s3:1", Map.of(), "ORCH-B", null);
        assertHoldingsAgreeWithTheirSets(parent, orchestrators);
        assertThat(parent.holdingOf("ORCH-A").count()).isEqualTo(2);

        parent.upsert("S2", "http://s2:2", Map.of("v", 2), "ORCH-A", null);
        assertHoldingsAgreeWithTheirSets(parent, orchestrators);
        parent.upsert("S2", "http://s2:2", Map.of("v", 2), "ORCH-B", null);
        assertHoldingsAgreeWithTheirSets(parent, orchestrators);
        assertThat(parent.holdingOf("ORCH-B").count()).isEqualTo(2);

        parent.remove("S1", ANYONE);
        assertThat(parent.holdingOf("ORCH-A")).as("an orchestrator that holds nothing").isEqualTo(Holding.NONE);
        parent.replaceAllOf("ORCH-A", List.of(ServiceRecord.of("S4", "http://s4:1", Map.of(), "ORCH-A", clock.instant(),
                clock.instant(), null, null)));
        parent.replaceAllOf("ORCH-B", List.of(ServiceRecord.of("S3", "http://s3:9", Map.of(), "ORCH-B", clock.instant(),
                clock.instant(), null, null)));
        assertHoldingsAgreeWithTheirSets(parent, orchestrators);
        assertThat(parent.holdingOf("ORCH-B").count()).isEqualTo(1);

        parent.removeAllOf("ORCH-A", ServiceChange.EVICTED);
        assertThat(parent.holdingOf("ORCH-A")).isEqualTo(Holding.NONE);
        assertHoldingsAgreeWithTheirSets(parent, orchestrators);
    }

    /**
     * Eight threads register, update and remove services of four orchestrators while a reader takes
     * their holdings: each is one set's count and digest, never one state's count with another's digest.
     * Each orchestrator's services come from a small known universe (six ids, two versions each), so
     * every digest a reader can see names exactly one set, and that set's size.
     */
    @Test
    void aHoldingReadDuringWritesIsTheCountAndDigestOfOneSet() throws Exception {
        ServiceRegistry parent = ServiceRegistry.heldByOrchestrators(Clock.systemUTC());
        int orchestrators = 4;
        int idsEach = 6;
        List<Map<Long, Integer>> sizeByDigest = new ArrayList<>();
        for (int o = 0; o < orchestrators; o++) {
            Map<Long, Integer> sizes = new HashMap<>();
            sizes.put(0L, 0);
            for (int id = 0; id < idsEach; id++) {
                Map<Long, Integer> grown = new HashMap<>(sizes);
                for (int version = 0; version < 2; version++) {
                    long one = ServicesDigest.of(serviceId(o, id), "http://svc-" + o + "-" + id + ":" + version,
                            Map.of());
                    sizes.forEach((digest, size) -> grown.put(digest ^ one, size + 1));
                }
                sizes = grown;
            }
            sizeByDigest.add(sizes);
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int o = t % orchestrators;
            writers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    int id = random.nextInt(idsEach);
                    if (random.nextInt(3) == 0) {
                        parent.remove(serviceId(o, id), ANYONE);
                    } else {
                        int version = random.nextInt(2);
                        parent.upsert(serviceId(o, id), "http://svc-" + o + "-" + id + ":" + version, Map.of(),
                                "ORCH-" + o, null);
                    }
                }
            }));
        }
        Future<Integer> reader = pool.submit(() -> {
            int reads = 0;
            while (writing.get()) {
                for (int o = 0; o < orchestrators; o++) {
                    Holding held = parent.holdingOf("ORCH-" + o);
                    assertThat(sizeByDigest.get(o).get(held.digest())).as("the size of the set whose digest is read")
                            .isEqualTo(held.count());
                    reads++;
                }
            }
            return reads;
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
        assertHoldingsAgreeWithTheirSets(parent, List.of("ORCH-0", "ORCH-1", "ORCH-2", "ORCH-3"));
    }

    private static String serviceId(int orchestrator, int id) {
        return "S-" + orchestrator + "-" + id;
    }

    private static void assertHoldingsAgreeWithTheirSets(ServiceRegistry registry, List<String> orchestrators) {
        for (String orchestrator : orchestrators) {
            List<ServiceRecord> held = registry.heldBy(orchestrator);
            assertThat(registry.holdingOf(orchestrator).count()).as(orchestrator).isEqualTo(held.size());
            assertThat(registry.holdingOf(orchestrator).formattedDigest()).as(orchestrator)
                    .isEqualTo(ServicesDigest.ofAll(held));
            assertThat(registry.countHeldBy(orchestrator)).isEqualTo(held.size());
            assertThat(registry.digestOf(orchestrator)).isEqualTo(ServicesDigest.ofAll(held));
        }
    }
}
