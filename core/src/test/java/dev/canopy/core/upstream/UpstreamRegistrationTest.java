package dev.canopy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import dev.canopy.client.invoker.ApiException;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UpstreamRegistrationTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final Backoff fast = new Backoff(Duration.ofMillis(5), Duration.ofMillis(40));

    private final Logger log = (Logger) LoggerFactory.getLogger(UpstreamRegistration.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
        log.detachAppender(logged);
    }

    @Test
    void retriesUntilTheUpstreamAcceptsThenNotifiesListeners() {
        FakeUpstream upstream = new FakeUpstream(3);
        List<String> heard = new CopyOnWriteArrayList<>();
        upstream.whenRegistered(heard::add);

        upstream.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> !heard.isEmpty());
        assertThat(upstream.attempts.get()).isEqualTo(4);
        assertThat(upstream.registeredId()).contains("id-1");
        assertThat(heard).containsExactly("id-1");
        assertThat(upstream.lastFailure()).isEmpty();
    }

    @Test
    void reportsTheLastFailureWhileUnregistered() {
        FakeUpstream upstream = new FakeUpstream(Integer.MAX_VALUE);
        upstream.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.attempts.get() >= 2);
        assertThat(upstream.registeredId()).isEmpty();
        assertThat(upstream.lastFailure()).hasValueSatisfying(f -> assertThat(f).contains("upstream down"));
        upstream.stop();
        assertThat(upstream.deregistered).isEmpty();
    }

    @Test
    void registersAgainWhenTheUpstreamForgetsUs() {
        FakeUpstream upstream = new FakeUpstream(0);
        List<String> heard = new CopyOnWriteArrayList<>();
        upstream.whenRegistered(heard::add);
        upstream.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.size() == 1);

        upstream.registrationLost("some-older-id");
        assertThat(upstream.registeredId()).contains("id-1");

        upstream.registrationLost("id-1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.size() == 2);
        assertThat(heard).as("it asks for the id it had, and keeps it").containsExactly("id-1", "id-1");
        assertThat(upstream.askedFor).containsExactly("null", "id-1");
        assertThat(upstream.registeredId()).contains("id-1");
    }

    @Test
    void renewsEveryThirdOfTheTtlAndRegistersAgainWhenARenewalIsRefused() {
        FakeUpstream upstream = new FakeUpstream(0);
        List<String> heard = new CopyOnWriteArrayList<>();
        upstream.whenRegistered(heard::add);
        upstream.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.renewals.get() >= 3);
        assertThat(upstream.attempts.get()).isEqualTo(1);

        upstream.forgetsUs = true;
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.size() == 2);
        assertThat(heard).containsExactly("id-1", "id-1");
        assertThat(upstream.askedFor).containsExactly("null", "id-1");
        int renewalsBefore = upstream.renewals.get();
        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.renewals.get() > renewalsBefore);
    }

    @Test
    void aRefusedKeyIsAnErrorThatIsRetriedUntilSomeoneFixesIt() {
        logged.start();
        log.addAppender(logged);
        FakeUpstream upstream = new FakeUpstream(0);
        upstream.refusesKey = 401;
        upstream.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.attempts.get() >= 3);
        assertThat(upstream.registeredId()).isEmpty();
        assertThat(upstream.lastFailure()).hasValueSatisfying(f -> assertThat(f).startsWith("HTTP 401"));
        assertThat(errors("upstream_credentials_rejected")).as("one error line per refused attempt")
                .hasSizeGreaterThanOrEqualTo(3);

        upstream.refusesKey = 0;
        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.registeredId().isPresent());
    }

    @Test
    void aKeyRefusedOnARenewalDropsTheLinkAndRegistersAgainOnceItIsTaken() {
        logged.start();
        log.addAppender(logged);
        FakeUpstream upstream = new FakeUpstream(0);
        List<String> heard = new CopyOnWriteArrayList<>();
        upstream.whenRegistered(heard::add);
        upstream.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.renewals.get() >= 1);

        upstream.refusesKey = 403;
        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.registeredId().isEmpty());
        assertThat(errors("upstream_credentials_rejected")).isNotEmpty();
        int refusedAttempts = upstream.attempts.get();
        await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.attempts.get() > refusedAttempts + 1);
        assertThat(upstream.registeredId()).as("not registered while the key is refused").isEmpty();

        upstream.refusesKey = 0;
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.size() == 2);
        assertThat(heard).containsExactly("id-1", "id-1");
    }

    @Test
    void stopDeregistersTheCurrentIdAndStopsRetrying() throws Exception {
        FakeUpstream upstream = new FakeUpstream(0);
        upstream.start();
        assertThat(upstream.awaitRegistration()).isEqualTo("id-1");

        upstream.stop();

        assertThat(upstream.deregistered).containsExactly("id-1");
        assertThat(upstream.registeredId()).isEmpty();
        upstream.registrationLost("id-1");
        int renewals = upstream.renewals.get();
        Thread.sleep(700);
        assertThat(upstream.attempts.get()).isEqualTo(1);
        assertThat(upstream.renewals.get()).as("no heartbeat after stop").isEqualTo(renewals);
    }

    @Test
    void deregistersWhenTheServerStartsStoppingBeforeItsConnectorShutsDown() throws Exception {
        // Built in Dropwizard's order: the managed objects are attached before the connectors, and a
        // grace period lets requests in flight finish.
        LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
        FakeUpstream upstream = new FakeUpstream(0);
        upstream.manageIn(lifecycle);
        Server server = new Server();
        server.setStopTimeout(5_000);
        lifecycle.attach(server);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        List<Boolean> servingAtDeregistration = new CopyOnWriteArrayList<>();
        upstream.onDeregister = () -> servingAtDeregistration.add(connector.isRunning() && !connector.isShutdown());

        server.start();
        assertThat(upstream.awaitRegistration()).isEqualTo("id-1");
        server.stop();

        assertThat(upstream.deregistered).as("deregistered once, not again when the Managed stops")
                .containsExactly("id-1");
        assertThat(servingAtDeregistration).as("before Jetty began to shut its connector").containsExactly(true);
    }

    @Test
    void firstAttemptWaitsUntilTheServerServes() throws Exception {
        // Jetty starts its beans (the managed objects) before its connectors: an attempt at that point
        // would tell the upstream a URL that does not answer yet.
        LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
        FakeUpstream upstream = new FakeUpstream(0);
        upstream.manageIn(lifecycle);
        Server server = new Server();
        lifecycle.attach(server);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        List<Boolean> servingAtAttempt = new CopyOnWriteArrayList<>();
        upstream.onRegister = () -> servingAtAttempt.add(connector.isRunning() && server.isStarted());

        server.start();
        try {
            assertThat(upstream.awaitRegistration()).isEqualTo("id-1");
            assertThat(servingAtAttempt).containsExactly(true);
        } finally {
            server.stop();
        }
    }

    @Test
    void startNeverWaitsForTheUpstream() {
        FakeUpstream upstream = new FakeUpstream(Integer.MAX_VALUE, Duration.ofHours(1));
        long started = System.nanoTime();
        upstream.start();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(upstream.attempts.get()).isZero();
    }

    private final class FakeUpstream extends UpstreamRegistration {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger renewals = new AtomicInteger();
        final List<String> deregistered = new CopyOnWriteArrayList<>();
        final List<String> askedFor = new CopyOnWriteArrayList<>();
        volatile boolean forgetsUs;
        /** 401 or 403: every call is refused with it; 0: the key is taken. */
        volatile int refusesKey;
        volatile Runnable onDeregister = () -> { };
        volatile Runnable onRegister = () -> { };
        private final int failuresBeforeSuccess;

        FakeUpstream(int failuresBeforeSuccess) {
            this(failuresBeforeSuccess, Duration.ZERO);
        }

        FakeUpstream(int failuresBeforeSuccess, Duration initialDelay) {
            super("fake upstream", executor, fast, initialDelay, Duration.ofSeconds(2));
            this.failuresBeforeSuccess = failuresBeforeSuccess;
        }

        @Override
        protected Registered register(String previousId) throws ApiException {
            onRegister.run();
            askedFor.add(String.valueOf(previousId));
            int attempt = attempts.incrementAndGet();
            if (refusesKey != 0) {
                throw new ApiException(refusesKey, "{\"status\":" + refusesKey + "}");
            }
            if (attempt <= failuresBeforeSuccess) {
                throw new IllegalStateException("upstream down");
            }
            forgetsUs = false;
            return new Registered(previousId != null ? previousId : "id-" + (attempt - failuresBeforeSuccess), 1);
        }

        @Override
        protected void renew(String id) throws ApiException {
            renewals.incrementAndGet();
            if (refusesKey != 0) {
                throw new ApiException(refusesKey, "{\"status\":" + refusesKey + "}");
            }
            if (forgetsUs) {
                throw new ApiException(404, "not found");
            }
        }

        @Override
        protected void deregister(String id) {
            onDeregister.run();
            deregistered.add(id);
        }
    }

    private List<ILoggingEvent> errors(String event) {
        return logged.list.stream().filter(line -> line.getLevel() == Level.ERROR)
                .filter(line -> event.equals(line.getMDCPropertyMap().get("event"))).toList();
    }
}
