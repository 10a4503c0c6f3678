package dev.canopy.parent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.ServiceDetail;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.events.ChangeEvent;
import dev.canopy.core.events.ChangeJournal;
import dev.canopy.core.events.Subscription;
import dev.canopy.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A service's event is built when a stream sends it, which may be after its orchestrator renewed its
 * lease: it still shows the lease the service had at the change.
 */
class ParentServiceEventLeaseTest {
    @Test
    void aServiceEventReadAfterItsOrchestratorRenewedShowsTheLeaseAtTheChange() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        ChangeJournal journal = new ChangeJournal(ChangeJournal.startIndex(clock), 100, 100, clock);
        ParentRegistry registry = new ParentRegistry(clock, Duration.ofSeconds(30), 50, journal);
        String child = registry.registerOrchestrator(null, "http://child:1", Map.of(), "r", null,
                Caller.UNRESTRICTED).result().record().id();
        Subscription listener = registry.subscribe(OptionalLong.of(journal.lastIndex()), List::of);

        registry.registerService(null, "http://svc:1", Map.of(), child, Caller.UNRESTRICTED);
        clock.advanceSeconds(10);
        registry.renewOrchestrator(child, null, 0, Caller.UNRESTRICTED).orElseThrow();

        ChangeEvent registered = listener.next(Duration.ofSeconds(1));
        assertThat(registered.type()).isEqualTo("service.registered");
        ServiceDetail view = (ServiceDetail) registered.payload();
        assertThat(view.getLastPingAt()).isEqualTo(OffsetDateTime.of(2026, 11, 27, 12, 0, 0, 0, ZoneOffset.UTC));
        assertThat(view.getExpiresAt()).isEqualTo(OffsetDateTime.of(2026, 11, 27, 12, 0, 30, 0, ZoneOffset.UTC));
        assertThat(registry.orchestrator(child).orElseThrow().expiresAt())
                .as("the orchestrator's lease has moved on since")
                .isEqualTo(Instant.parse("2026-11-27T12:00:40Z"));
    }
}
