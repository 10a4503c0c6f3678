package dev.canopy.e2e.harness;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** How long the tests wait for the tree to agree, and how often they look. */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(150);

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
}
