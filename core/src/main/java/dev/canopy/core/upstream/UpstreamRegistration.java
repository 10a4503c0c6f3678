package dev.canopy.core.upstream;

import dev.canopy.client.invoker.ApiException;
import dev.canopy.core.lifecycle.EarlyStop;
import dev.canopy.core.logging.Events;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this app registered with the orchestrator above it: a service with its child, a child with
 * its parent. Start-up only schedules the first attempt (the registration delay after the server has
 * started), so an absent upstream never delays or fails it; failed attempts are retried with backoff
 * until one succeeds. Once registered it renews its lease every third of the TTL the upstream gave;
 * an upstream that answers a renewal with 404 has forgotten it (the lease ran out, or the upstream
 * restarted), and it registers again under the same id after a short jittered pause. On stop it deregisters.
 *
 * <p>Registrations, renewals and the deregistration all run on one single-threaded executor, so
 * they never overlap and the deregistration on stop runs after anything in flight.
 *
 * <p>{@link #manageIn} deregisters as soon as the server begins to stop, before Jetty drains its
 * connections: the upstream stops sending clients here while the requests in flight finish.
 */
public abstract class UpstreamRegistration implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRegistration.class);

    private final String upstream;
    private final ScheduledExecutorService executor;
    private final Backoff backoff;
    private final Duration initialDelay;
    private final Duration stopTimeout;

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Object stateLock = new Object();
    private String registeredId;
    private String previousId;
    private ScheduledFuture<?> heartbeat;
    private String lastFailure;
    private int failures;
    private boolean stopping;
    private ScheduledFuture<?> pending;

    /**
     * @param upstream what is registered with, for logs and health ("parent orchestrator http://…")
     * @param executor a single-threaded executor owned by the app's lifecycle
     */
    protected UpstreamRegistration(String upstream, ScheduledExecutorService executor, Backoff backoff,
                                   Duration initialDelay, Duration stopTimeout) {
        this.upstream = upstream;
        this.executor = executor;
        this.backoff = backoff;
        this.initialDelay = initialDelay;
        this.stopTimeout = stopTimeout;
    }

    protected UpstreamRegistration(String upstream, UpstreamFactory factory, ScheduledExecutorService executor) {
        this(upstream, executor, factory.getRetry().build(), factory.getRegistrationDelay().toJavaDuration(),
                factory.getDeregistrationTimeout().toJavaDuration());
    }

    /** A deregistration call: one the upstream answers 404 to has nothing left to undo. */
    protected interface Call {
        void run() throws ApiException;
    }

    protected static void unlessAlreadyGone(Call deregistration) throws ApiException {
        try {
            deregistration.run();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** What the upstream answered a registration with. */
    public record Registered(String id, int ttlSeconds) {
    }

    /**
     * Registers with the upstream, under {@code previousId} if we had one (null the first time); any
     * exception means "try again later".
     */
    protected abstract Registered register(String previousId) throws Exception;

    /** Renews the lease of {@code id}; an {@link ApiException} 404 means the upstream forgot us. */
    protected abstract void renew(String id) throws Exception;

    /** Deregisters the id {@link #register} returned. */
    protected abstract void deregister(String id) throws Exception;

    /** {@code listener} hears each id the upstream gives, on the registration thread. */
    public void whenRegistered(Consumer<String> listener) {
        listeners.add(listener);
    }

    public String upstream() {
        return upstream;
    }

    /** The id the upstream gave, while registered. */
    public Optional<String> registeredId() {
        synchronized (stateLock) {
            return Optional.ofNullable(registeredId);
        }
    }

    public Optional<String> lastFailure() {
        synchronized (stateLock) {
            return Optional.ofNullable(lastFailure);
        }
    }

    /** Blocks until registered; returns the id. */
    public String awaitRegistration() throws InterruptedException {
        synchronized (stateLock) {
            while (registeredId == null) {
                stateLock.wait();
            }
            return registeredId;
        }
    }

    @Override
    public void start() {
        schedule(initialDelay);
    }

    /**
     * Runs with the app's lifecycle. The first attempt is scheduled once the server has started, not
     * when the lifecycle starts: the upstream is never told a URL that does not answer yet, and the
     * attempt (with the HTTP client's first call, a second of class loading and JIT on one core) does
     * not compete with the rest of start-up for the CPU. Deregisters the moment the server starts stopping.
     */
    public void manageIn(LifecycleEnvironment lifecycle) {
        Managed stopOnly = new Managed() {
            @Override
            public void stop() {
                UpstreamRegistration.this.stop();
            }
        };
        EarlyStop.manage(lifecycle, stopOnly, this::stop);
        lifecycle.addServerLifecycleListener(server -> start());
    }

    /**
     * The upstream no longer knows {@code id} (it restarted, or an operator removed us): register
     * again soon. Ignored if we have already moved on to another id.
     */
    public void registrationLost(String id) {
        if (unlink(id)) {
            Events.warn(LOG, "upstream_registration_lost").with("upstream", upstream).with("registration_id", id)
                    .log("The upstream no longer knows this registration; registering again");
            schedule(backoff.delay(0));
        }
    }

    /** Drops the registration {@code id} if it is still the current one; true if it was. */
    private boolean unlink(String id) {
        synchronized (stateLock) {
            if (stopping || registeredId == null || !registeredId.equals(id)) {
                return false;
            }
            registeredId = null;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            return true;
        }
    }

    /**
     * 401 or 403: the upstream does not take this app's key (a wrong or missing key, or the id belongs
     * to another key). Not something a retry fixes by itself, but an operator may fix the key on either
     * side at any time, so it is an error worth a line, and retried like any failure.
     */
    public static boolean refusesCredentials(Throwable error) {
        return error instanceof ApiException api && (api.getCode() == 401 || api.getCode() == 403);
    }

    private void schedule(Duration delay) {
        synchronized (stateLock) {
            if (stopping || (pending != null && !pending.isDone())) {
                return;
            }
            pending = executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        synchronized (stateLock) {
            if (stopping || registeredId != null) {
                return;
            }
        }
        Registered registered;
        String asked;
        synchronized (stateLock) {
            asked = previousId;
        }
        try {
            registered = register(asked);
        } catch (Exception e) {
            Duration retryIn;
            String failure = describe(e);
            int attempt;
            synchronized (stateLock) {
                lastFailure = failure;
                attempt = ++failures;
                retryIn = backoff.delay(attempt - 1);
                pending = null;
            }
            if (refusesCredentials(e)) {
                Events.error(LOG, "upstream_credentials_rejected").with("upstream", upstream)
                        .with("status", ((ApiException) e).getCode()).with("attempt", attempt)
                        .with("retry_in_ms", retryIn.toMillis()).with("error", failure)
                        .log("The upstream orchestrator refused this app's key; check the key this app sends "
                                + "against the keys the upstream takes. Retrying");
            } else {
                Events.warn(LOG, "upstream_registration_failed").with("upstream", upstream)
                        .with("attempt", attempt).with("retry_in_ms", retryIn.toMillis()).with("error", failure)
                        .log("Registration with the upstream orchestrator failed; retrying");
            }
            schedule(retryIn);
            return;
        }
        String id = registered.id();
        long every = Math.max(100, registered.ttlSeconds() * 1000L / 3);
        synchronized (stateLock) {
            registeredId = id;
            previousId = id;
            lastFailure = null;
            failures = 0;
            if (!stopping) {
                heartbeat = executor.scheduleWithFixedDelay(() -> beat(id), every, every, TimeUnit.MILLISECONDS);
            }
            stateLock.notifyAll();
        }
        Events.info(LOG, "upstream_registered").with("upstream", upstream).with("registration_id", id)
                .with("ttl_seconds", registered.ttlSeconds()).with("renew_every_ms", every)
                .log("Registered with the upstream orchestrator");
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                Events.error(LOG, "upstream_listener_failed").with("registration_id", id).cause(e)
                        .log("A listener of the upstream registration failed");
            }
        }
    }

    private void beat(String id) {
        synchronized (stateLock) {
            if (stopping || !id.equals(registeredId)) {
                return;
            }
        }
        try {
            renew(id);
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                registrationLost(id);
            } else if (refusesCredentials(e)) {
                credentialsRefusedOnRenewal(id, e);
            } else {
                renewalFailed(id, e);
            }
        } catch (Exception e) {
            renewalFailed(id, e);
        }
    }

    /**
     * The upstream stopped taking our key (rotated away, or the id went to another key after it
     * restarted). Renewing would be refused until the lease runs out unnoticed; instead the link is
     * dropped, health says degraded, and registration retries with backoff until the key is fixed.
     */
    private void credentialsRefusedOnRenewal(String id, ApiException e) {
        if (!unlink(id)) {
            return;
        }
        String failure = describe(e);
        synchronized (stateLock) {
            lastFailure = failure;
        }
        Events.error(LOG, "upstream_credentials_rejected").with("upstream", upstream).with("registration_id", id)
                .with("status", e.getCode()).with("error", failure)
                .log("The upstream orchestrator refused this app's key on a renewal; registering again");
        schedule(backoff.delay(0));
    }

    private void renewalFailed(String id, Exception e) {
        // Keep beating: the next renewal may get through before the lease runs out; if it does not,
        // the upstream answers 404 and we register again.
        Events.warn(LOG, "upstream_renewal_failed").with("upstream", upstream).with("registration_id", id)
                .with("error", describe(e)).log("Could not renew the lease with the upstream orchestrator");
    }

    @Override
    public void stop() {
        synchronized (stateLock) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (pending != null) {
                pending.cancel(false);
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            stateLock.notifyAll();
        }
        try {
            // Queued behind any attempt in flight, so a registration that lands now is undone too.
            executor.submit(this::deregisterNow).get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Events.warn(LOG, "upstream_deregistration_failed").with("upstream", upstream).with("error", describe(e))
                    .log("Could not deregister from the upstream orchestrator before stopping");
        }
    }

    private void deregisterNow() {
        String id;
        synchronized (stateLock) {
            id = registeredId;
            registeredId = null;
        }
        if (id == null) {
            return;
        }
        try {
            deregister(id);
            Events.info(LOG, "upstream_deregistered").with("upstream", upstream).with("registration_id", id)
                    .log("Deregistered from the upstream orchestrator");
        } catch (Exception e) {
            Events.warn(LOG, "upstream_deregistration_failed").with("upstream", upstream)
                    .with("registration_id", id).with("error", describe(e))
                    .log("Could not deregister from the upstream orchestrator before stopping");
        }
    }

    /** One line for logs and health: the HTTP status and what the upstream said, or the exception. */
    static String describe(Throwable error) {
        Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api && api.getCode() > 0) {
            return "HTTP " + api.getCode() + ": " + firstLine(String.valueOf(api.getMessage()));
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
