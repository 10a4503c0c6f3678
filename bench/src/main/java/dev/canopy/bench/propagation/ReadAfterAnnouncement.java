package dev.canopy.bench.propagation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks that "announced" means "readable": for every {@code every}-th service announced at the parent,
 * asks {@code GET /api/v1/services/{id}} there as soon as the announcement is read. A 404 would mean an
 * event can reach a client before a reader can see its service.
 */
final class ReadAfterAnnouncement {
    private final HttpClient client;
    private final URI services;
    private final String readKey;
    private final long every;
    private final AtomicLong announcements = new AtomicLong();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong readable = new AtomicLong();
    private final AtomicLong notFound = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    /** @param every check one announcement in this many; 0 checks none */
    ReadAfterAnnouncement(HttpClient client, URI parentBase, String readKey, long every) {
        this.client = client;
        this.services = parentBase.resolve("/api/v1/services/");
        this.readKey = readKey;
        this.every = every;
    }

    /** The parent has just announced {@code serviceId}. */
    void announced(String serviceId) {
        if (every <= 0 || announcements.incrementAndGet() % every != 0) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(services.resolve(serviceId))
                .timeout(Duration.ofSeconds(10)).GET();
        if (readKey != null) {
            request.header("Authorization", "Bearer " + readKey);
        }
        pending.incrementAndGet();
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            int status = failure == null ? response.statusCode() : 0;
            (status == 200 ? readable : status == 404 ? notFound : other).incrementAndGet();
            checked.incrementAndGet();
            pending.decrementAndGet();
        });
    }

    /** Waits at most {@code wait} for the checks still under way. */
    void awaitPending(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    PropagationReport.Readability result() {
        return new PropagationReport.Readability(checked.get(), readable.get(), notFound.get(), other.get());
    }
}
