package dev.canopy.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a Node.js test command ({@code node --test ...}, or {@code npm test}) in a directory as its own
 * OS process, with the environment a test hands it, and waits for it within a timeout.
 *
 * <p>Everything it prints goes to {@code target/e2e-logs/<name>.log}; the {@link Result} carries the
 * exit code and the last lines, for an assertion message that shows why it failed. A run over its
 * timeout is killed with its child processes, and so is any run still going when the test JVM exits.
 *
 * <pre>{@code
 * NodeTests.Result result = NodeTests.run("TypeScriptClientIT-node", clientDirectory,
 *         List.of("node", "--test", "target/dist/test/problems.test.js"),
 *         Map.of("CANOPY_PARENT_URL", parent.url()), Duration.ofMinutes(3));
 * assertThat(result.passed()).as(result.describe()).isTrue();
 * }</pre>
 */
public final class NodeTests {
    /** Lines of output a {@link Result} keeps for the assertion message; the log has them all. */
    public static final int TAIL_LINES = 80;

    /**
     * What the command may need from the test's environment (to find node and npm, a home for npm's
     * cache, a locale); nothing else leaks in, so a developer's own CANOPY_* variables cannot change a run.
     */
    private static final Set<String> INHERITED_ENVIRONMENT = Set.of("PATH", "HOME", "LANG", "TMPDIR", "TZ");
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(NodeTests::killTree),
                "node-tests-reaper"));
    }

    private NodeTests() {
    }

    /**
     * How one run ended.
     *
     * @param exitCode the command's exit code; -1 when it was killed over its timeout
     * @param timedOut whether it was killed for running longer than its timeout
     * @param elapsed  from start to exit (or to the kill)
     * @param log      where all of its output is
     * @param tail     its last {@link #TAIL_LINES} lines of output
     */
    public record Result(int exitCode, boolean timedOut, Duration elapsed, Path log, String tail) {
        public boolean passed() {
            return exitCode == 0 && !timedOut;
        }

        /** For an assertion message: how it ended, where the log is, and the end of the output. */
        public String describe() {
            return (timedOut ? "killed after its timeout of " + elapsed.toSeconds() + " s" : "exited with " + exitCode
                    + " after " + elapsed.toMillis() + " ms") + "; full output in " + log + "; last lines:\n" + tail;
        }
    }

    /**
     * Runs {@code command} in {@code directory} with {@code environment} (over PATH, HOME, LANG, TMPDIR
     * and TZ taken from the test JVM) and waits for it to end, at most {@code timeout}.
     *
     * @param name names the log, {@code target/e2e-logs/<name>.log}; a second run with the same name
     *             overwrites it
     */
    public static Result run(String name, Path directory, List<String> command, Map<String, String> environment,
                             Duration timeout) {
        Path log = App.logDirectory().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().keySet().retainAll(INHERITED_ENVIRONMENT);
        builder.environment().putAll(environment);
        Instant started = Instant.now();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            // The variables' names only: their values are keys.
            Files.writeString(log, "=== " + started + " in " + directory + ": " + String.join(" ", command)
                    + "\n=== environment set by the test: " + environment.keySet().stream().sorted().toList() + "\n",
                    StandardCharsets.UTF_8);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + String.join(" ", command) + " in " + directory, e);
        }
        RUNNING.add(process.toHandle());
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                killTree(process.toHandle());
            }
            Duration elapsed = Duration.between(started, Instant.now());
            return new Result(exited ? process.exitValue() : -1, !exited, elapsed, log, tail(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process.toHandle());
            throw new IllegalStateException("Interrupted while waiting for " + String.join(" ", command), e);
        } finally {
            RUNNING.remove(process.toHandle());
        }
    }

    /**
     * The whole tree, found while its root still runs: {@code npm test} and a browser start processes of
     * their own that would outlive node, and once node is gone they can no longer be found from it.
     */
    private static void killTree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        for (ProcessHandle each : tree) {
            try {
                each.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // SIGKILL cannot be refused; the process is gone or going whether or not the wait saw it end.
            }
        }
    }

    private static String tail(Path log) {
        try {
            // Leniently decoded: a test's output is not ours to vouch for.
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
