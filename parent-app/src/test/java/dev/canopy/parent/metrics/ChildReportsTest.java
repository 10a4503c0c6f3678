package dev.canopy.parent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.OrchestratorStats;
import dev.canopy.core.Ids;
import dev.canopy.parent.core.OrchestratorRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The store of children's latest figures: whole reports, of the current registration only, under concurrency. */
class ChildReportsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T04:00:00Z");

    @Test
    void showsAReportOnlyForTheRegistrationItCameUnder() {
        ChildReports reports = new ChildReports();
        OrchestratorRecord first = orchestrator(Ids.next(), T0);
        reports.record(first, stats(5), T0);
        assertThat(reports.latestOf(first)).get().extracting(ChildReport::registrations).isEqualTo(5L);

        // Removed and registered again under the same id: the old figures are not the new registration's.
        OrchestratorRecord again = orchestrator(first.id(), T0.plusSeconds(60));
        assertThat(reports.latestOf(again)).isEmpty();

        reports.forget(first.id());
        assertThat(reports.latestOf(first)).isEmpty();
        assertThat(reports.size()).isZero();
    }

    @Test
    void pruneDropsOnlyTheReportsOfOrchestratorsGone() {
        ChildReports reports = new ChildReports();
        OrchestratorRecord staying = orchestrator(Ids.next(), T0);
        OrchestratorRecord gone = orchestrator(Ids.next(), T0);
        reports.record(staying, stats(1), T0);
        reports.record(gone, stats(2), T0);
        reports.prune(id -> id.equals(staying.id()));
        assertThat(reports.latestOf(staying)).isPresent();
        assertThat(reports.latestOf(gone)).isEmpty();
        assertThat(reports.size()).isEqualTo(1);
    }

    /**
     * Eight heartbeats write their children's figures as fast as they can while readers check that each
     * report they see is one heartbeat's whole (its fields agree with each other) and a pruner keeps
     * removing reports of children that are not registered. At the end each child shows its last report.
     */
    @Test
    void readersSeeWholeReportsAndTheLastOneWins() throws Exception {
        ChildReports reports = new ChildReports();
        int writers = 8;
        int beats = 2_000;
        List<OrchestratorRecord> children = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            children.add(orchestrator(Ids.next(), T0));
        }
        Map<String, Boolean> registered = new ConcurrentHashMap<>();
        children.forEach(child -> registered.put(child.id(), true));
        OrchestratorRecord ghost = orchestrator(Ids.next(), T0);

        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> torn = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (OrchestratorRecord child : children) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int beat = 1; beat <= beats; beat++) {
                        reports.record(child, stats(beat), T0.plusMillis(beat));
                        reports.record(ghost, stats(beat), T0);
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    for (OrchestratorRecord child : children) {
                        reports.latestOf(child).filter(r -> r.deregistrations() != r.registrations() * 2
                                        || r.services() != (int) r.registrations()
                                        || !r.receivedAt().equals(T0.plusMillis(r.registrations())))
                                .ifPresent(r -> torn.add(r.toString()));
                    }
                }
                return null;
            });
            Future<?> pruner = pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    reports.prune(registered::containsKey);
                }
                return null;
            });
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(10, TimeUnit.SECONDS);
            pruner.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        reports.prune(registered::containsKey);

        assertThat(torn).isEmpty();
        for (OrchestratorRecord child : children) {
            assertThat(reports.latestOf(child)).get().extracting(ChildReport::registrations).isEqualTo((long) beats);
        }
        assertThat(reports.latestOf(ghost)).isEmpty();
        assertThat(reports.size()).isEqualTo(writers);
    }

    private static OrchestratorStats stats(long n) {
        return new OrchestratorStats(OffsetDateTime.of(2026, 11, 26, 4, 0, 0, 0, ZoneOffset.UTC), (int) n, n, 2 * n, 0L,
                0L, 0, 0L);
    }

    private static OrchestratorRecord orchestrator(String id, Instant registeredAt) {
        return new OrchestratorRecord(id, "http://child-" + id.toLowerCase() + ":1", Map.of(), "us-east", null,
                registeredAt, registeredAt, registeredAt, registeredAt.plusSeconds(30), null, null, null, null);
    }
}
