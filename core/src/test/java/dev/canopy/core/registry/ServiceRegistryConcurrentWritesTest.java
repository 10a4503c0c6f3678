package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.auth.Caller;
import dev.canopy.core.auth.NotOwnerException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The registry works out a write's id and digest before taking its lock, and settles them under it:
 * many threads registering, re-registering (with and without their id), renewing and removing the same
 * few urls must leave it as consistent as one thread would, and the listener must have been told a
 * sequence of changes that replays to exactly what it holds.
 */
class ServiceRegistryConcurrentWritesTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final int THREADS = 16;
    private static final int WRITES_PER_THREAD = 3_000;
    private static final List<String> URLS = List.of("http://a:1", "http://b:2", "http://c:3", "http://d:4",
            "http://e:5", "http://f:6");

    /**
     * The listener's view, replayed in the order the registry reported its changes (under its lock):
     * each id's digest and times (a renewal changes only the lease, and is no change a listener hears of).
     */
    private final Map<String, List<Object>> replayed = new HashMap<>();
    /** Every record the listener was told of whose digest is not its content's (each write, not only the last). */
    private final List<ServiceRecord> misdigested = new ArrayList<>();
    private int changesHeard;

    @Test
    void manyThreadsWritingTheSameUrlsLeaveTheIndexesTheDigestAndTheListenerInAgreement() throws Exception {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(Clock.systemUTC(), Integer.MAX_VALUE, this::replay);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    write(registry, i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        List<ServiceRecord> held = registry.all();
        assertThat(held).hasSizeLessThanOrEqualTo(URLS.size());
        assertThat(registry.size()).isEqualTo(held.size());
        long digest = 0;
        for (ServiceRecord record : held) {
            assertThat(registry.idOfUrl(record.url())).as("the url index of %s", record.url()).contains(record.id());
            assertThat(record.digest()).as("the digest of %s", record.id())
                    .isEqualTo(ServicesDigest.of(record.id(), record.url(), record.info()));
            assertThat(record.info()).containsEntry("url", record.url());
            assertThat(record.registeredAt()).isBeforeOrEqualTo(record.lastUpdated());
            digest ^= record.digest();
        }
        assertThat(registry.digest()).isEqualTo(ServicesDigest.format(digest));
        for (String url : URLS) {
            registry.idOfUrl(url).ifPresent(id -> assertThat(registry.find(id)).map(ServiceRecord::url).contains(url));
        }
        synchronized (replayed) {
            assertThat(replayed).isEqualTo(byId(held));
            assertThat(misdigested).isEmpty();
            assertThat(changesHeard).isGreaterThan(THREADS * WRITES_PER_THREAD / 2);
        }
    }

    @Test
    void aServiceThatRegistersAgainWhileOthersWriteKeepsItsIdAndItsRegistrationTime() throws Exception {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(Clock.systemUTC());
        ServiceRecord first = registry.registerUrl("http://kept:1", Map.of("n", 0), null, TTL, Caller.UNRESTRICTED)
                .result().record();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    registry.registerUrl("http://kept:1", Map.of("n", i), null, TTL, Caller.UNRESTRICTED);
                    registry.registerUrl("http://other-" + thread + ":" + (i % 7 + 1), Map.of(), null, TTL,
                            Caller.UNRESTRICTED);
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        ServiceRecord last = registry.find(first.id()).orElseThrow();
        assertThat(registry.idOfUrl("http://kept:1")).contains(first.id());
        assertThat(last.registeredAt()).isEqualTo(first.registeredAt());
        assertThat(last.digest()).isEqualTo(ServicesDigest.of(last.id(), last.url(), last.info()));
        assertThat(registry.size()).isEqualTo(1 + THREADS * 7);
    }

    private void write(ServiceRegistry registry, int step) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String url = URLS.get(random.nextInt(URLS.size()));
        Map<String, Object> info = Map.of("url", url, "step", step);
        try {
            switch (random.nextInt(5)) {
                case 0, 1 -> registry.registerUrl(url, info, null, TTL, Caller.UNRESTRICTED);
                case 2 -> {
                    // Registers again with the id the url had a moment ago (it may be gone, or held by another).
                    String id = registry.idOfUrl(URLS.get(random.nextInt(URLS.size()))).orElse(null);
                    registry.registerUrl(url, info, id, TTL, Caller.UNRESTRICTED);
                }
                case 3 -> registry.idOfUrl(url).ifPresent(id -> registry.remove(id, Caller.UNRESTRICTED));
                default -> registry.idOfUrl(url).ifPresent(id -> registry.renew(id, TTL, Caller.UNRESTRICTED));
            }
        } catch (NotOwnerException e) {
            throw new AssertionError("no owners here", e);
        }
    }

    private void replay(ServiceChange change, ServiceRecord record) {
        synchronized (replayed) {
            changesHeard++;
            if (record.digest() != ServicesDigest.of(record.id(), record.url(), record.info())) {
                misdigested.add(record);
            }
            switch (change) {
                case REGISTERED, UPDATED -> replayed.put(record.id(), stored(record));
                case DEREGISTERED, EVICTED -> replayed.remove(record.id());
            }
        }
    }

    private static Map<String, List<Object>> byId(List<ServiceRecord> records) {
        Map<String, List<Object>> map = new HashMap<>();
        records.forEach(record -> map.put(record.id(), stored(record)));
        return map;
    }

    private static List<Object> stored(ServiceRecord record) {
        return List.of(record.url(), record.info(), record.digest(), record.registeredAt(), record.lastUpdated());
    }
}
