package dev.canopy.bench.propagation;

/**
 * One registration sent to the child, once it has ended: when it was due, sent and answered
 * ({@link System#nanoTime} scale), the status (0 when no answer came) and the id the child gave it
 * (null unless 201), or what went wrong.
 */
record Attempt(long n, long intended, long sent, long answered, int status, String serviceId, String error) {
    boolean registered() {
        return status == 201 && serviceId != null;
    }
}
