package dev.canopy.bench.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a run saw, written from several threads: each registration's outcome (by the HTTP client's
 * threads, one slot per request, written once), and when each service id was first announced at the
 * parent (by the event reader). The two meet only at the end, by id: an event may come before the
 * child's 201 has been read, since the child forwards while it answers.
 */
final class PropagationLedger {
    private final AtomicReferenceArray<Attempt> attempts;
    private final AtomicInteger ended = new AtomicInteger();
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

    PropagationLedger(int capacity) {
        this.attempts = new AtomicReferenceArray<>(capacity);
    }

    void ended(Attempt attempt) {
        if (attempts.compareAndSet((int) attempt.n(), null, attempt)) {
            ended.incrementAndGet();
        }
    }

    /** The parent announced {@code serviceId} at {@code nanos}; only the first announcement counts. */
    void seen(String serviceId, long nanos) {
        firstSeen.putIfAbsent(serviceId, nanos);
    }

    int endedCount() {
        return ended.get();
    }

    /** How many of the first {@code sent} registrations were answered 201 but not announced yet. */
    int awaitingAnnouncement(int sent) {
        int waiting = 0;
        for (int i = 0; i < sent; i++) {
            Attempt attempt = attempts.get(i);
            if (attempt != null && attempt.registered() && !firstSeen.containsKey(attempt.serviceId())) {
                waiting++;
            }
        }
        return waiting;
    }

    int seenCount() {
        return firstSeen.size();
    }

    /** The ended attempts among the first {@code sent}, in order. */
    List<Attempt> attempts(int sent) {
        List<Attempt> list = new ArrayList<>(sent);
        for (int i = 0; i < sent; i++) {
            Attempt attempt = attempts.get(i);
            if (attempt != null) {
                list.add(attempt);
            }
        }
        return list;
    }

    Map<String, Long> firstSeen() {
        return Map.copyOf(firstSeen);
    }
}
