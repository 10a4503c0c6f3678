package dev.canopy.child.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ReconcileResult;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeBatchResult;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.api.model.ServiceEntry;
import dev.canopy.api.model.ServiceSet;
import dev.canopy.client.invoker.ApiClient;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.core.auth.Caller;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.ServicesDigest;
import dev.canopy.core.upstream.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox against a parent the test controls: what stays pending, and what the parent ends with. */
class ParentForwarderTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final ServiceRegistry services = ServiceRegistry.withUniqueUrls(Clock.systemUTC());
    private final FakeParent parent = new FakeParent();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ParentForwarder forwarder = new ParentForwarder(services, parent.orchestrators, 100,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), worker, timer, Duration.ofHours(1),
            Clock.systemUTC());

    @AfterEach
    void stop() {
        forwarder.stop();
        worker.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void changesStayPendingWhileTheParentRefusesTheCompleteSet() {
        parent.available = false;
        forwarder.start();
        for (int n = 0; n < 3; n++) {
            forwarder.changed(register("http://svc-" + n + ":8080"));
        }
        forwarder.linkedAs("orch-1");

        // Each failed reconciliation takes the queued ids and must put them back.
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 5);
        assertThat(forwarder.pending()).isEqualTo(3);
        assertThat(forwarder.lastSyncAt()).isEmpty();

        parent.available = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.pending() == 0);
        assertThat(parent.held.keySet()).isEqualTo(Set.copyOf(services.ids()));
        assertThat(forwarder.inSync()).contains(true);
        assertThat(forwarder.lastSyncAt()).isPresent();
    }

    @Test
    void reportsEachCallTheParentDidNotAcknowledgeAndEachSetItDid() {
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger reconciled = new AtomicInteger();
        forwarder.reportOutcomesTo(new ParentForwarder.Outcomes() {
            @Override
            public void forwardFailed() {
                failed.incrementAndGet();
            }

            @Override
            public void reconciled() {
                reconciled.incrementAndGet();
            }
        });
        parent.available = false;
        forwarder.start();
        forwarder.changed(register("http://counted:8080"));
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 3);

        parent.available = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.pending() == 0);
        // The worker is sequential: every failed call was reported before the successful one.
        assertThat(failed.get()).isEqualTo(parent.failedCalls.get());
        assertThat(reconciled.get()).isEqualTo(1);
    }

    @Test
    void aDeregistrationMadeWhileTheParentIsAwayReachesItAfterwards() {
        forwarder.start();
        forwarder.linkedAs("orch-1");
        String kept = register("http://kept:8080");
        String gone = register("http://gone:8080");
        forwarder.changed(kept);
        forwarder.changed(gone);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.held.keySet().equals(Set.of(kept, gone)));

        parent.available = false;
        services.remove(gone, Caller.UNRESTRICTED);
        forwarder.changed(gone);
        forwarder.requestReconcile();
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 3);
        assertThat(forwarder.pending()).isEqualTo(1);

        parent.available = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.pending() == 0);
        assertThat(parent.held.keySet()).containsExactly(kept);
    }

    @Test
    void aChangeBeyondTheParentsLimitIsNotRetriedAndTheSetsShowTheyDiffer() throws Exception {
        parent.limit = 1;
        forwarder.start();
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.inSync().orElse(false));
        String first = register("http://first:8080");
        forwarder.changed(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.held.containsKey(first));
        String second = register("http://second:8080");

        forwarder.changed(second);

        await().atMost(Duration.ofSeconds(5)).until(() -> parent.refusedCalls.get() == 1);
        // Retried with this backoff (5 to 20 ms), a refusal would be sent dozens of times by now.
        Thread.sleep(500);
        assertThat(parent.refusedCalls).hasValue(1);
        assertThat(forwarder.pending()).isZero();
        assertThat(forwarder.inSync()).contains(false);
        assertThat(parent.held.keySet()).containsExactly(first);

        // The complete set is refused as well, once per request, and the sets still differ.
        forwarder.requestReconcile();
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.refusedCalls.get() == 2);
        Thread.sleep(500);
        assertThat(parent.refusedCalls).hasValue(2);
        assertThat(forwarder.inSync()).contains(false);
    }

    @Test
    void aChangeTheParentRefusesForWantOfAKeyWaitsUntilTheKeyIsTaken() {
        forwarder.start();
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.lastSyncAt().isPresent());

        parent.refusesKey = true;
        String id = register("http://refused:8080");
        forwarder.changed(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 3);
        assertThat(forwarder.pending()).as("retried, not dropped as a rejected forward").isEqualTo(1);

        parent.refusesKey = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.pending() == 0);
        assertThat(parent.held).containsKey(id);
    }

    @Test
    void aThousandPendingChangesGoInTenBatchesAndAFailedBatchLosesNone() {
        forwarder.start();
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.inSync().orElse(false));

        parent.available = false;
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 1_000; n++) {
            ids.add(register("http://svc-" + n + ":8080"));
            forwarder.changed(ids.get(n));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 3);
        assertThat(forwarder.pending()).as("every id of the failed batches is pending again").isEqualTo(1_000);

        parent.available = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.pending() == 0);
        assertThat(parent.held.keySet()).isEqualTo(Set.copyOf(ids));
        // 100 changes a batch here; a single forward per change would have taken 1,000 calls.
        assertThat(parent.batches).hasSize(10).allSatisfy(batch -> assertThat(batch).hasSize(100));
    }

    @Test
    void aServiceRegisteredAndDeregisteredWhileTheParentIsAwayReachesItOnlyAsARemoval() {
        forwarder.start();
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.inSync().orElse(false));
        parent.available = false;
        String brief = register("http://brief:8080");
        forwarder.changed(brief);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 2);
        services.remove(brief, Caller.UNRESTRICTED);
        forwarder.changed(brief);
        String kept = register("http://kept:8080");
        forwarder.changed(kept);

        parent.available = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.pending() == 0);
        assertThat(parent.held.keySet()).containsExactly(kept);
        assertThat(parent.batches).flatExtracting(batch -> batch).filteredOn(change -> change.getId().equals(brief))
                .extracting(ServiceChangeRequest::getOp).containsExactly(ServiceChangeOp.REMOVE);
    }

    @Test
    void aChangeTheParentRefusesInABatchIsDroppedAndTheOthersGoThrough() throws Exception {
        parent.limit = 2;
        forwarder.start();
        forwarder.linkedAs("orch-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.inSync().orElse(false));
        String first = register("http://first:8080");
        forwarder.changed(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.held.containsKey(first));
        parent.available = false;
        String second = register("http://second:8080");
        String third = register("http://third:8080");
        forwarder.changed(second);
        forwarder.changed(third);
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.failedCalls.get() >= 1);

        parent.available = true;
        // Whichever of the two comes second in the batch is one beyond the limit; the other goes through.
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.held.size() == 2);
        Thread.sleep(300);
        assertThat(parent.refusedCalls).as("the refused change is not sent again").hasValue(1);
        assertThat(parent.held.keySet()).contains(first).containsAnyOf(second, third).hasSize(2);
        assertThat(forwarder.pending()).isZero();
        assertThat(forwarder.inSync()).contains(false);
    }

    private String register(String url) {
        return services.registerUrl(url, Map.of(), null, LEASE, Caller.UNRESTRICTED).result().record().id();
    }

    /**
     * A parent that holds what it is sent, or answers 503 while it is unavailable (401 while it refuses
     * the key), and refuses services beyond its limit as the real one does (409 naming each change
     * beyond it in a batch, 422 for a set too long).
     */
    private static final class FakeParent {
        volatile boolean available = true;
        volatile boolean refusesKey;
        volatile int limit = Integer.MAX_VALUE;
        final Map<String, ServiceEntry> held = new ConcurrentHashMap<>();
        final AtomicInteger failedCalls = new AtomicInteger();
        final AtomicInteger refusedCalls = new AtomicInteger();
        /** Every batch the parent applied, in order. */
        final List<List<ServiceChangeRequest>> batches = new CopyOnWriteArrayList<>();

        final OrchestratorsApi orchestrators = new OrchestratorsApi(new ApiClient()) {
            @Override
            public ServiceChangeBatchResult applyOrchestratorServiceChanges(String id, ServiceChangeBatch batch)
                    throws ApiException {
                answer();
                List<ServiceChangeRequest> changes = batch.getChanges();
                // As the real parent: every change is checked against what the ones before it leave, and
                // the batch is refused as a whole, naming each change beyond the limit.
                Set<String> after = new HashSet<>(held.keySet());
                StringJoiner refused = new StringJoiner(",");
                for (int i = 0; i < changes.size(); i++) {
                    ServiceChangeRequest change = changes.get(i);
                    if (change.getOp() == ServiceChangeOp.REMOVE) {
                        after.remove(change.getId());
                    } else if (!after.contains(change.getId()) && after.size() >= limit) {
                        refused.add("{\"name\":\"body.changes[" + i + "]\",\"reason\":\"beyond the limit\"}");
                    } else {
                        after.add(change.getId());
                    }
                }
                if (refused.length() > 0) {
                    refusedCalls.incrementAndGet();
                    throw new ApiException(409, "service-limit-reached", Map.of(), "{\"type\":"
                            + "\"urn:canopy:problem:service-limit-reached\",\"title\":\"t\",\"status\":409,"
                            + "\"invalid_params\":[" + refused + "]}");
                }
                batches.add(List.copyOf(changes));
                for (ServiceChangeRequest change : changes) {
                    if (change.getOp() == ServiceChangeOp.REMOVE) {
                        held.remove(change.getId());
                    } else {
                        held.put(change.getId(), new ServiceEntry(change.getId(), change.getUrl()));
                    }
                }
                return new ServiceChangeBatchResult();
            }

            @Override
            public ReconcileResult replaceOrchestratorServices(String id, ServiceSet set) throws ApiException {
                answer();
                if (set.getServices().size() > limit) {
                    refusedCalls.incrementAndGet();
                    throw new ApiException(422, "body.services lists too many services");
                }
                held.clear();
                set.getServices().forEach(entry -> held.put(entry.getId(), entry));
                long digest = 0;
                for (ServiceEntry entry : set.getServices()) {
                    digest ^= ServicesDigest.of(entry.getId(), entry.getUrl(), entry.getInfo());
                }
                return new ReconcileResult().servicesDigest(ServicesDigest.format(digest));
            }
        };

        private void answer() throws ApiException {
            if (refusesKey) {
                failedCalls.incrementAndGet();
                throw new ApiException(401, "unauthorized");
            }
            if (!available) {
                failedCalls.incrementAndGet();
                throw new ApiException(503, "unavailable");
            }
        }
    }
}
