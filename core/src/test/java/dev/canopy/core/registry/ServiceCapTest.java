package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.auth.Caller;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The most services one orchestrator may hold: new ones are refused at the cap, updates are not. */
class ServiceCapTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aChildRegistryRefusesANewServiceAtTheCapButUpdatesRegisteredOnes() {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock, 2);
        String a = registry.registerUrl("http://a:1", Map.of(), null, TTL, Caller.UNRESTRICTED).result().record().id();
        registry.registerUrl("http://b:1", Map.of(), null, TTL, Caller.UNRESTRICTED);
        String digest = registry.digest();

        assertThatThrownBy(() -> registry.registerUrl("http://c:1", Map.of(), null, TTL, Caller.UNRESTRICTED))
                .isInstanceOf(ServiceLimitReachedException.class).hasMessageContaining("holds 2 services");
        assertThatThrownBy(() -> registry.registerUrl("http://c:1", Map.of(), Ids.next(), TTL, Caller.UNRESTRICTED))
                .isInstanceOf(ServiceLimitReachedException.class);
        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.digest()).isEqualTo(digest);

        assertThat(registry.registerUrl("http://a:1", Map.of("v", "2"), null, TTL, Caller.UNRESTRICTED).result().created()).isFalse();
        // A service taking over a registered url under its own id replaces that one: no growth.
        String taker = Ids.next();
        ServiceRegistry.Registration takeover = registry.registerUrl("http://a:1", Map.of(), taker, TTL, Caller.UNRESTRICTED);
        assertThat(takeover.displaced()).map(ServiceRecord::id).contains(a);
        assertThat(registry.size()).isEqualTo(2);

        registry.remove(taker, Caller.UNRESTRICTED);
        assertThat(registry.registerUrl("http://c:1", Map.of(), null, TTL, Caller.UNRESTRICTED).result().created()).isTrue();
    }

    @Test
    void theParentCountsEachOrchestratorsServicesApart() {
        ServiceRegistry registry = ServiceRegistry.heldByOrchestrators(clock, 1);
        String us = Ids.next();
        String eu = Ids.next();
        String pay = Ids.next();
        registry.upsert(pay, "http://pay:1", Map.of(), us, null);

        assertThatThrownBy(() -> registry.upsert(Ids.next(), "http://inv:1", Map.of(), us, null))
                .isInstanceOf(ServiceLimitReachedException.class).hasMessageContaining("Orchestrator " + us);
        assertThat(registry.upsert(pay, "http://pay:2", Map.of(), us, null).created()).isFalse();
        assertThat(registry.upsert(Ids.next(), "http://gdpr:1", Map.of(), eu, null).created()).isTrue();
        assertThat(registry.countHeldBy(us)).isEqualTo(1);
    }

    @Test
    void aCompleteSetLargerThanTheCapChangesNothing() {
        ServiceRegistry registry = ServiceRegistry.heldByOrchestrators(clock, 2);
        String us = Ids.next();
        registry.upsert(Ids.next(), "http://pay:1", Map.of(), us, null);
        String digest = registry.digestOf(us);
        List<ServiceRecord> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(ServiceRecord.of(Ids.next(), "http://s" + i + ":1", Map.of(), us, clock.instant(),
                    clock.instant(), null, null));
        }

        assertThatThrownBy(() -> registry.replaceAllOf(us, three)).isInstanceOf(ServiceLimitReachedException.class);
        assertThat(registry.digestOf(us)).isEqualTo(digest);
        assertThat(registry.replaceAllOf(us, three.subList(0, 2)).added()).isEqualTo(2);
    }

    @Test
    void concurrentRegistrationsNeverGoBeyondTheCap() throws Exception {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> attempts = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String url = "http://s" + i + ":1";
                attempts.add(pool.submit(() -> {
                    try {
                        registry.registerUrl(url, Map.of(), null, TTL, Caller.UNRESTRICTED);
                    } catch (ServiceLimitReachedException expected) {
                        // refused: the registry is full
                    }
                }));
            }
            for (Future<?> attempt : attempts) {
                attempt.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.size()).isEqualTo(50);
    }
}
