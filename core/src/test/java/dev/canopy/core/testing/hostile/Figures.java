package dev.canopy.core.testing.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a hostile-input run saw, for the record (docs/security.md quotes it): requests tried, the
 * statuses they got, and the failures that matter most counted apart.
 */
public final class Figures {
    private final String name;
    private final Map<Integer, AtomicInteger> statuses = new TreeMap<>();
    private final AtomicInteger tried = new AtomicInteger();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger stateChanges = new AtomicInteger();
    private final AtomicInteger notProblems = new AtomicInteger();
    private final AtomicInteger contractChecked = new AtomicInteger();
    private final AtomicInteger unhealthy = new AtomicInteger();

    public Figures(String name) {
        this.name = name;
    }

    public synchronized void answered(int status) {
        tried.incrementAndGet();
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        if (status >= 500) {
            serverErrors.incrementAndGet();
        }
    }

    public void notAProblem() {
        notProblems.incrementAndGet();
    }

    public void stateChanged() {
        stateChanges.incrementAndGet();
    }

    public void contractChecked() {
        contractChecked.incrementAndGet();
    }

    public void unhealthy() {
        unhealthy.incrementAndGet();
    }

    public int tried() {
        return tried.get();
    }

    public int serverErrors() {
        return serverErrors.get();
    }

    public int stateChanges() {
        return stateChanges.get();
    }

    public synchronized String report() {
        return name + ": " + tried + " requests; statuses " + statuses + "; 5xx seen " + serverErrors
                + "; answers not problem+json " + notProblems + "; state changes seen " + stateChanges
                + "; unhealthy after " + unhealthy + "; checked against the OpenAPI document " + contractChecked;
    }

    /** Prints the report and keeps it under {@code target/hostile-input/}, where a build leaves it. */
    public void publish() {
        String report = report();
        System.out.println("[hostile-input] " + report);
        try {
            Path dir = Path.of("target", "hostile-input");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt"), report + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
