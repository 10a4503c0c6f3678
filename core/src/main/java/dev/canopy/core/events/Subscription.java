package dev.canopy.core.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One reader of a {@link ChangeJournal}: what it gets first (a snapshot, or the events replayed from
 * the history), then the live events, from a bounded buffer the journal fills without waiting. Read by
 * one thread (the stream that sends them); ended by the journal when the buffer overflows, or by
 * {@link #close}.
 */
public final class Subscription implements AutoCloseable {
    /** Why a subscription ended. */
    public enum End { OVERFLOW, CLOSED }

    private static final ChangeEvent WAKE_UP = new ChangeEvent(-1, "", 0, "", () -> null);

    private final ChangeJournal journal;
    private final Queue<ChangeEvent> first;
    private final BlockingQueue<ChangeEvent> live;
    private final int bufferSize;
    private volatile End end;

    Subscription(ChangeJournal journal, List<ChangeEvent> first, int bufferSize) {
        this.journal = journal;
        this.first = new ArrayDeque<>(first);
        // One slot more than the buffer, kept for the wake-up of close().
        this.live = new LinkedBlockingQueue<>(bufferSize + 1);
        this.bufferSize = bufferSize;
    }

    /** Called by the journal, under its lock; false if the buffer is full. */
    boolean offer(ChangeEvent event) {
        return live.size() < bufferSize && live.offer(event);
    }

    /** Called by the journal, under its lock, after it dropped this subscriber. */
    void overflowed() {
        end = End.OVERFLOW;
        live.offer(WAKE_UP);
    }

    /**
     * The next event, waiting at most {@code wait}: null if none came in time, or if the subscription
     * has ended (see {@link #end()}).
     */
    public ChangeEvent next(Duration wait) throws InterruptedException {
        if (end != null) {
            return null;
        }
        ChangeEvent replayed = first.poll();
        if (replayed != null) {
            return replayed;
        }
        ChangeEvent event = live.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        return event == WAKE_UP || end != null ? null : event;
    }

    /** The next event if one is waiting, without waiting; null otherwise. */
    public ChangeEvent poll() {
        if (end != null) {
            return null;
        }
        ChangeEvent replayed = first.poll();
        if (replayed != null) {
            return replayed;
        }
        ChangeEvent event = live.poll();
        return event == WAKE_UP ? null : event;
    }

    /** Why it ended, or null while it lasts. */
    public End end() {
        return end;
    }

    /** Ends it: the journal stops filling it and a reader waiting in {@link #next} returns at once. */
    @Override
    public void close() {
        journal.unsubscribe(this);
        if (end == null) {
            end = End.CLOSED;
        }
        live.offer(WAKE_UP);
    }
}
