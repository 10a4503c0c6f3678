package dev.canopy.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalService;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.registry.ServiceChange;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Views;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeJournalTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    private static final long FIRST = ChangeJournal.startIndex(CLOCK);

    @Test
    void theFirstIndexIsTheStartInEpochMicrosecondsAndEachChangeAddsExactlyOne() {
        ChangeJournal journal = new ChangeJournal(FIRST, 10, 10, CLOCK);
        assertThat(FIRST).isEqualTo(Instant.parse("2026-11-26T04:00:00Z").toEpochMilli() * 1000);
        assertThat(journal.lastIndex()).isEqualTo(FIRST - 1);

        List<Long> indexes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            indexes.add(journal.append("service.registered", "service", "s" + i).index());
        }

        for (int i = 0; i < indexes.size(); i++) {
            assertThat(indexes.get(i)).isEqualTo(FIRST + i);
        }
        assertThat(journal.lastIndex()).isEqualTo(FIRST + 24);
    }

    @Test
    void aViewIsBuiltOnlyWhenTheEventIsReadAndShowsTheStateAtTheChange() throws Exception {
        Clock ticking = Clock.offset(CLOCK, Duration.ofMillis(1234));
        ChangeJournal journal = new ChangeJournal(FIRST, 10, 10, ticking);
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(ticking, Integer.MAX_VALUE,
                (change, service) -> journal.appendView(change.eventType(), "service", () -> Views.local(service)));
        Subscription listener = registry.atomically(() ->
                journal.subscribe(OptionalLong.of(FIRST - 1), "services", registry::all));
        AtomicInteger built = new AtomicInteger();
        journal.appendView("service.registered", "service", () -> built.incrementAndGet());
        assertThat(built).as("built at the change").hasValue(0);
        assertThat(next(listener).payload()).isEqualTo(1);

        String id = registry.registerUrl("http://a.example:80", Map.of("v", 1), null, Duration.ofSeconds(30),
                Caller.UNRESTRICTED).result().record().id();
        registry.registerUrl("http://a.example:80", Map.of("v", 2), id, Duration.ofSeconds(30), Caller.UNRESTRICTED);
        registry.remove(id, Caller.UNRESTRICTED);

        ChangeEvent registered = next(listener);
        assertThat(registered.type()).isEqualTo("service.registered");
        assertThat(registered.at()).isEqualTo(Instant.parse("2026-11-26T04:00:01.234Z"));
        assertThat(((LocalService) registered.payload()).getInfo()).isEqualTo(Map.of("v", 1));
        assertThat(((LocalService) next(listener).payload()).getInfo()).isEqualTo(Map.of("v", 2));
        assertThat(next(listener).type()).isEqualTo("service.deregistered");
    }

    @Test
    void withoutALastIdASubscriberGetsASnapshotAtTheLastIndexThenEveryLaterChange() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 10, 10, CLOCK);
        journal.append("service.registered", "service", "a");
        journal.append("service.registered", "service", "b");

        Subscription subscription = journal.subscribe(OptionalLong.empty(), "services", () -> List.of("a", "b"));
        journal.append("service.deregistered", "service", "a");

        ChangeEvent snapshot = next(subscription);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        assertThat(snapshot.index()).isEqualTo(FIRST + 1);
        assertThat(snapshot.field()).isEqualTo("services");
        assertThat(snapshot.payload()).isEqualTo(List.of("a", "b"));
        ChangeEvent after = next(subscription);
        assertThat(after.index()).isEqualTo(FIRST + 2);
        assertThat(after.type()).isEqualTo("service.deregistered");
        assertThat(subscription.next(Duration.ofMillis(20))).isNull();
    }

    @Test
    void resumingAfterKReplaysExactlyTheChangesAfterKThenLiveOnes() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 100, 100, CLOCK);
        for (int i = 0; i < 10; i++) {
            journal.append("service.updated", "service", i);
        }

        Subscription subscription = journal.subscribe(OptionalLong.of(FIRST + 6), "services", () -> {
            throw new AssertionError("no snapshot when the history reaches back");
        });
        journal.append("service.evicted", "service", 10);

        assertThat(drain(subscription)).extracting(ChangeEvent::index)
                .containsExactly(FIRST + 7, FIRST + 8, FIRST + 9, FIRST + 10);
    }

    @Test
    void resumingAtTheLastIndexGetsOnlyLiveChanges() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 5, 5, CLOCK);
        journal.append("service.registered", "service", "a");

        Subscription subscription = journal.subscribe(OptionalLong.of(FIRST), "services", List::of);
        assertThat(subscription.next(Duration.ofMillis(20))).isNull();
        journal.append("service.updated", "service", "a");

        assertThat(next(subscription).index()).isEqualTo(FIRST + 1);
    }

    @Test
    void anIndexOlderThanTheHistoryOrAboveTheLastOneGetsASnapshot() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 3, 10, CLOCK);
        for (int i = 0; i < 10; i++) {
            journal.append("service.registered", "service", i);
        }
        // Held: FIRST+7 .. FIRST+9, so FIRST+6 is the oldest index to resume after.
        assertThat(journal.oldestResumable()).isEqualTo(FIRST + 6);

        assertThat(next(journal.subscribe(OptionalLong.of(FIRST + 6), "s", List::of)).index()).isEqualTo(FIRST + 7);
        for (long stale : new long[] {FIRST + 5, 0, FIRST - 1000, FIRST + 10, Long.MAX_VALUE}) {
            ChangeEvent first = next(journal.subscribe(OptionalLong.of(stale), "s", () -> "all"));
            assertThat(first.type()).as("after %d", stale).isEqualTo("snapshot");
            assertThat(first.index()).isEqualTo(FIRST + 9);
        }
    }

    @Test
    void theHistoryIsBounded() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 4, 10, CLOCK);
        for (int i = 0; i < 1000; i++) {
            journal.append("service.updated", "service", i);
        }

        assertThat(drain(journal.subscribe(OptionalLong.of(FIRST + 995), "s", List::of)))
                .extracting(ChangeEvent::payload).containsExactly(996, 997, 998, 999);
        assertThat(next(journal.subscribe(OptionalLong.of(FIRST + 994), "s", () -> "all")).type())
                .isEqualTo("snapshot");
    }

    @Test
    void aSubscriberThatFallsBehindItsBufferIsEndedAndTheOthersAreNot() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 100, 3, CLOCK);
        Subscription slow = journal.subscribe(OptionalLong.of(FIRST - 1), "s", List::of);
        Subscription quick = journal.subscribe(OptionalLong.of(FIRST - 1), "s", List::of);

        for (int i = 0; i < 5; i++) {
            journal.append("service.registered", "service", i);
            assertThat(next(quick).payload()).isEqualTo(i);
        }

        assertThat(slow.end()).isEqualTo(Subscription.End.OVERFLOW);
        assertThat(slow.next(Duration.ofSeconds(1))).isNull();
        assertThat(quick.end()).isNull();
        assertThat(journal.subscriberCount()).isEqualTo(1);
        journal.append("service.registered", "service", 5);
        assertThat(next(quick).payload()).isEqualTo(5);
    }

    @Test
    void closingWakesAWaitingReaderAndStopsTheJournalFillingIt() throws Exception {
        ChangeJournal journal = new ChangeJournal(FIRST, 10, 10, CLOCK);
        Subscription subscription = journal.subscribe(OptionalLong.of(FIRST - 1), "s", List::of);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<ChangeEvent> waiting = reader.submit(() -> subscription.next(Duration.ofMinutes(1)));
            Thread.sleep(50);
            long started = System.nanoTime();
            subscription.close();

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            assertThat(subscription.end()).isEqualTo(Subscription.End.CLOSED);
            assertThat(journal.subscriberCount()).isZero();
        } finally {
            reader.shutdownNow();
        }
    }

    /**
     * Eight threads change one registry at random while a subscriber listens from the start: the events
     * are gap-free, in order, and applied one by one to an empty map they give exactly the registry's
     * final state.
     */
    @Test
    void concurrentWritersProduceAGapFreeOrderThatReplaysToTheRegistrysFinalState() throws Exception {
        Clock clock = Clock.systemUTC();
        long first = ChangeJournal.startIndex(clock);
        ChangeJournal journal = new ChangeJournal(first, 1_000_000, 1_000_000, clock);
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(clock, Integer.MAX_VALUE,
                (change, service) -> journal.appendView(change.eventType(), "service", () -> service));
        Subscription listener = registry.atomically(() ->
                journal.subscribe(OptionalLong.empty(), "services", registry::all));

        int threads = 8;
        int changesEach = 5_000;
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(writers.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < changesEach; i++) {
                    String url = "http://svc-" + random.nextInt(200) + ":80";
                    switch (random.nextInt(4)) {
                        case 0, 1 -> registry.registerUrl(url, Map.of("n", random.nextInt(5)), null,
                                Duration.ofMillis(random.nextInt(1, 20)), Caller.UNRESTRICTED);
                        case 2 -> registry.idOfUrl(url).ifPresent(id -> registry.remove(id, Caller.UNRESTRICTED));
                        default -> registry.evictExpired();
                    }
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        start.countDown();
        for (Future<?> each : done) {
            each.get(2, TimeUnit.MINUTES);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        writers.shutdown();

        ChangeEvent snapshot = next(listener);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        assertThat(snapshot.index()).isEqualTo(first - 1);
        Map<String, ServiceRecord> replayed = new TreeMap<>();
        long expected = first;
        for (ChangeEvent event = listener.poll(); event != null; event = listener.poll()) {
            assertThat(event.index()).isEqualTo(expected++);
            ServiceRecord service = (ServiceRecord) event.payload();
            switch (ServiceChange.valueOf(event.type().substring("service.".length()).toUpperCase())) {
                case REGISTERED -> assertThat(replayed.put(service.id(), service)).isNull();
                case UPDATED -> assertThat(replayed.put(service.id(), service)).isNotNull();
                case DEREGISTERED, EVICTED -> assertThat(replayed.remove(service.id())).isEqualTo(service);
            }
        }
        assertThat(expected - 1).isEqualTo(journal.lastIndex());
        assertThat(journal.lastIndex() - first + 1).as("changes made").isGreaterThan(threads * changesEach / 4);
        Map<String, ServiceRecord> actual = new TreeMap<>();
        registry.all().forEach(service -> actual.put(service.id(), service));
        assertThat(replayed).isEqualTo(actual);
        System.out.printf("ChangeJournalTest: %d threads, %d events in %d ms, %d services at the end%n", threads,
                journal.lastIndex() - first + 1, elapsedMillis, actual.size());
    }

    private static ChangeEvent next(Subscription subscription) throws InterruptedException {
        ChangeEvent event = subscription.next(Duration.ofSeconds(1));
        assertThat(event).as("an event within a second").isNotNull();
        return event;
    }

    private static List<ChangeEvent> drain(Subscription subscription) {
        List<ChangeEvent> events = new ArrayList<>();
        for (ChangeEvent event = subscription.poll(); event != null; event = subscription.poll()) {
            events.add(event);
        }
        return events;
    }
}
