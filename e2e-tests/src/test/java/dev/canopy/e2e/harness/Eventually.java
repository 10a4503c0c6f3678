package dev.canopy.e2e.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/** How long the tests wait for the tree to agree, and how often they look. */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(150);
    /** Fault tests time convergence; a finer poll makes the figures finer. */
    private static final Duration TIMING_POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** Convergence after processes start or restart: registrations, retries with backoff, resyncs. */
    public static ConditionFactory converges() {
        return Awaitility.await().atMost(Duration.ofSeconds(25)).pollDelay(Duration.ZERO).pollInterval(POLL);
    }

    /**
     * Propagation of one change through running apps: a child forwards at once, so anything slower
     * than this is a bug (a lost forward, a TTL standing in for a deregistration), not latency.
     */
    public static ConditionFactory propagates() {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(POLL);
    }

    /**
     * How long after {@code since} {@code condition} first held, looking every 100 ms (exceptions, such
     * as a refused connection to a restarting app, count as "not yet"); empty if it did not hold
     * within {@code giveUpAfter}. The time is taken when the look that succeeded began, so a slow look
     * (a long list checked against the contract) does not count against the apps. A fault test records
     * the time even when it is over its bound.
     */
    public static Optional<Duration> timeUntil(Instant since, Duration giveUpAfter, Callable<Boolean> condition) {
        AtomicReference<Instant> lookBegan = new AtomicReference<>();
        try {
            Awaitility.await().atMost(giveUpAfter).pollDelay(Duration.ZERO).pollInterval(TIMING_POLL)
                    .ignoreExceptions().until(() -> {
                        lookBegan.set(Instant.now());
                        return condition.call();
                    });
            return Optional.of(Duration.between(since, lookBegan.get()));
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }
}
