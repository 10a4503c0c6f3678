package dev.canopy.core.events;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The changes a registry made, numbered, with the last few kept, and handed to each subscriber.
 *
 * <p>The registry appends under its own write lock, in the critical section of the change, so the
 * order of indexes is the order of the states, and {@link #subscribe} (also under that lock) takes a
 * snapshot and its index atomically. The journal never does I/O and never waits: each subscriber has
 * a bounded buffer, and one that is full is ended (its stream closes; the client resumes from the
 * history or gets a snapshot) instead of slowing the registry down.
 */
public final class ChangeJournal {
    private final Clock clock;
    private final int bufferSize;
    private final ChangeEvent[] history;
    private final Set<Subscription> subscribers = new HashSet<>();
    // Guarded by this; the registry's lock orders the appends, this one keeps the journal sound on its own.
    private long lastIndex;
    private int held;

    /**
     * @param firstIndex the index of the first change (see {@link #startIndex})
     * @param historySize how many past events a reconnecting client can resume from
     * @param bufferSize how many events a subscriber may fall behind before its stream is ended
     */
    public ChangeJournal(long firstIndex, int historySize, int bufferSize, Clock clock) {
        if (historySize < 1 || bufferSize < 1) {
            throw new IllegalArgumentException("history and buffer sizes must be positive");
        }
        this.clock = clock;
        this.bufferSize = bufferSize;
        this.history = new ChangeEvent[historySize];
        this.lastIndex = firstIndex - 1;
    }

    /**
     * The first index of a process: its start in epoch microseconds, so indexes keep growing across a
     * restart and one from before it is recognisably older than the new history.
     */
    public static long startIndex(Clock clock) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    }

    /** Records one change, its payload already built; see {@link #appendView}. */
    public ChangeEvent append(String type, String field, Object payload) {
        return appendView(type, field, () -> payload);
    }

    /**
     * Records one change and hands it to every subscriber; the caller holds the registry's write lock.
     * {@code view} builds the payload when a stream first sends the event, so it must capture the
     * state at the change (immutable records), not read anything that changes after it.
     */
    public synchronized ChangeEvent appendView(String type, String field, Supplier<?> view) {
        ChangeEvent event = new ChangeEvent(lastIndex + 1, type, now(), field, view);
        lastIndex = event.index();
        history[(int) Math.floorMod(lastIndex, (long) history.length)] = event;
        held = Math.min(held + 1, history.length);
        for (Iterator<Subscription> each = subscribers.iterator(); each.hasNext(); ) {
            Subscription subscriber = each.next();
            if (!subscriber.offer(event)) {
                each.remove();
                subscriber.overflowed();
            }
        }
        return event;
    }

    /**
     * A new subscriber, which gets the events after {@code after} from the history and then every new
     * one; or, without {@code after}, or if the history does not reach back to it, or it is above the
     * last index (from before a restart), a snapshot first. The caller holds the registry's write lock
     * (or its equivalent), so that {@code snapshot} sees exactly the changes up to {@link #lastIndex}.
     *
     * @param snapshotField the name the snapshot's payload goes under
     */
    public synchronized Subscription subscribe(OptionalLong after, String snapshotField, Supplier<?> snapshot) {
        List<ChangeEvent> first = new ArrayList<>();
        if (after.isPresent() && canResumeAfter(after.getAsLong())) {
            for (long index = after.getAsLong() + 1; index <= lastIndex; index++) {
                first.add(history[(int) Math.floorMod(index, (long) history.length)]);
            }
        } else {
            Object taken = snapshot.get();
            first.add(new ChangeEvent(lastIndex, ChangeEvent.SNAPSHOT, now(), snapshotField, () -> taken));
        }
        Subscription subscription = new Subscription(this, first, bufferSize);
        subscribers.add(subscription);
        return subscription;
    }

    /** The index of the last change; one less than the first index while there has been none. */
    public synchronized long lastIndex() {
        return lastIndex;
    }

    /** The oldest index a client can resume after without a snapshot. */
    public synchronized long oldestResumable() {
        return lastIndex - held;
    }

    public synchronized int subscriberCount() {
        return subscribers.size();
    }

    synchronized void unsubscribe(Subscription subscription) {
        subscribers.remove(subscription);
    }

    private boolean canResumeAfter(long index) {
        return index >= lastIndex - held && index <= lastIndex;
    }

    private long now() {
        return clock.millis();
    }
}
