package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.model.ServiceDetail;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.events.ChangeEvent;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A batch of a child's changes, as the journal sees it: its events in its order, or none at all. */
class ParentBatchJournalTest {
    private static final String A = "01JD5Z9A00000000000000000A";
    private static final String B = "01JD5Z9A00000000000000000B";

    private final Clock clock = Clock.systemUTC();
    private final ChangeJournal journal = new ChangeJournal(ChangeJournal.startIndex(clock), 1_000, 1_000, clock);
    private final ParentRegistry registry = new ParentRegistry(clock, Duration.ofHours(1), 2, journal);
    private final String us = registry.registerOrchestrator(null, "http://us:1", Map.of(), null, null,
            Caller.UNRESTRICTED).result().record().id();

    @Test
    void theEventsOfABatchFollowItsOrder() {
        Subscription listener = registry.subscribe(OptionalLong.of(journal.lastIndex()), () -> null);

        ParentRegistry.BatchResult result = registry.applyChanges(us, List.of(
                ParentRegistry.ForwardedChange.upsert(A, "http://a:1", Map.of()),
                ParentRegistry.ForwardedChange.upsert(B, "http://b:1", Map.of()),
                ParentRegistry.ForwardedChange.removal(A),
                ParentRegistry.ForwardedChange.upsert(B, "http://b:2", Map.of()),
                ParentRegistry.ForwardedChange.removal(A)), Caller.UNRESTRICTED);

        assertThat(result.applied()).containsExactly(ParentRegistry.Applied.CREATED, ParentRegistry.Applied.CREATED,
                ParentRegistry.Applied.REMOVED, ParentRegistry.Applied.UPDATED, ParentRegistry.Applied.ABSENT);
        List<String> seen = new ArrayList<>();
        for (ChangeEvent event = listener.poll(); event != null; event = listener.poll()) {
            seen.add(event.type() + " " + ((ServiceDetail) event.payload()).getId());
        }
        assertThat(seen).containsExactly("service.registered " + A, "service.registered " + B,
                "service.deregistered " + A, "service.updated " + B);
        assertThat(result.serviceCount()).isEqualTo(1);
        assertThat(result.servicesDigest()).isEqualTo(registry.servicesDigestOf(us));
    }

    @Test
    void aRefusedBatchLeavesNoEventAndNoChange() {
        registry.applyChanges(us, List.of(ParentRegistry.ForwardedChange.upsert(A, "http://a:1", Map.of())),
                Caller.UNRESTRICTED);
        Subscription listener = registry.subscribe(OptionalLong.of(journal.lastIndex()), () -> null);
        String digest = registry.servicesDigestOf(us);

        // Two services is the limit here: the third new one is refused, and so is the whole batch.
        assertThatThrownBy(() -> registry.applyChanges(us, List.of(
                ParentRegistry.ForwardedChange.upsert(B, "http://b:1", Map.of()),
                ParentRegistry.ForwardedChange.upsert(A, "http://a:2", Map.of()),
                ParentRegistry.ForwardedChange.upsert("01JD5Z9A00000000000000000C", "http://c:1", Map.of())),
                Caller.UNRESTRICTED))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(BatchRefusedException.Reason.SERVICE_LIMIT);
                    assertThat(e.refused()).extracting(BatchRefusedException.Refused::index).containsExactly(2);
                });

        assertThat(listener.poll()).isNull();
        assertThat(registry.servicesDigestOf(us)).isEqualTo(digest);
        // A removal earlier in the batch makes room for a new service later in it.
        registry.applyChanges(us, List.of(ParentRegistry.ForwardedChange.upsert(B, "http://b:1", Map.of()),
                ParentRegistry.ForwardedChange.removal(A),
                ParentRegistry.ForwardedChange.upsert("01JD5Z9A00000000000000000C", "http://c:1", Map.of())),
                Caller.UNRESTRICTED);
        assertThat(registry.serviceCountOf(us)).isEqualTo(2);
    }
}
