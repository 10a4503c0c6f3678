package dev.canopy.bench.propagation;

import java.util.concurrent.locks.LockSupport;

/**
 * An open model of arrivals: request {@code n} is due at {@code start + n / rate}, whatever happened to
 * the requests before it. A stall (a pause in the child, a slow answer) therefore makes the requests
 * due during it late, and their latency is measured from when they were due, not from when the sender
 * got round to them: the stall shows in the figures instead of hiding in a lower rate (coordinated
 * omission). The sender never waits for an answer; a late request goes out at once, and so do the
 * ones due behind it.
 */
final class OpenModelSchedule {
    /** The time source and the wait, apart so that a test can drive the schedule with a fake clock. */
    interface Ticker {
        long nanoTime();

        /** Returns at {@code deadline} ({@link #nanoTime} scale) or later. */
        void sleepUntil(long deadline) throws InterruptedException;
    }

    /** The JVM's monotonic clock; parks until the deadline, waking early only to be interrupted. */
    static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };

    /**
     * Sends request {@code n}, due at {@code intended}, without waiting for its answer (it may wait for
     * a free connection, which makes it and the requests behind it late, never rescheduled).
     */
    interface Sender {
        void send(long n, long intended) throws InterruptedException;
    }

    private final double ratePerSecond;
    private final long start;

    OpenModelSchedule(double ratePerSecond, long start) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("the rate must be positive: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.start = start;
    }

    /** When request {@code n} is due; from the start, not from the request before, so no error adds up. */
    long intendedAt(long n) {
        return start + (long) Math.floor(n * 1e9 / ratePerSecond);
    }

    /** How many requests are due in the first {@code nanos} after the start. */
    long countWithin(long nanos) {
        return (long) Math.ceil(nanos * ratePerSecond / 1e9);
    }

    long start() {
        return start;
    }

    /** Sends requests 0 to {@code count - 1}, each at its time or at once if that time has passed. */
    void run(long count, Ticker ticker, Sender sender) throws InterruptedException {
        for (long n = 0; n < count; n++) {
            long intended = intendedAt(n);
            if (ticker.nanoTime() < intended) {
                ticker.sleepUntil(intended);
            }
            sender.send(n, intended);
        }
    }
}
