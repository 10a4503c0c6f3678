package dev.canopy.e2e.harness;

import static org.awaitility.Awaitility.await;

import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One app jar running as its own OS process on a loopback port, with a Jersey client that checks each
 * answer against the app's OpenAPI document.
 *
 * <p>Output goes to {@code target/e2e-logs/<name>.log}. Every process started is also killed by a JVM
 * shutdown hook, so none outlives the test JVM, whatever happened to the test that started it.
 */
public final class AppProcess implements AutoCloseable {
    /** Two cores run up to eight of these at once: small heaps, C1 only, and the shared archive. */
    private static final List<String> JVM_FLAGS =
            List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    /** What the JVM may need from the test's environment; nothing else leaks in (PORT, LOG_LEVEL, ...). */
    private static final Set<String> INHERITED_ENVIRONMENT = Set.of("PATH", "HOME", "LANG", "TMPDIR", "TZ");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Set<Path> LOGS_STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "e2e-process-reaper"));
    }

    private final String name;
    private final String scheme;
    private final int port;
    private final Path log;
    private final Process process;
    private final ContractCheckingFilter contract;
    private final Client http;
    private volatile boolean stopRequested;

    private AppProcess(App app, String name, int port, Map<String, String> environment, Path log, Process process) {
        this.name = name;
        this.scheme = TlsEnvironment.scheme(environment);
        this.port = port;
        this.log = log;
        this.process = process;
        this.contract = new ContractCheckingFilter(app.contractDocument());
        this.http = TlsEnvironment.servesHttps(environment)
                ? TestClients.contractChecked(contract, TlsEnvironment.peerContext(environment))
                : TestClients.contractChecked(contract);
    }

    /**
     * Starts {@code app} with {@code environment}; returns at once, see {@link #awaitHealthy}. With
     * CANOPY_TLS_KEYSTORE in it, the app serves HTTPS and {@link #http()} speaks it.
     */
    public static AppProcess start(App app, String name, int port, Map<String, String> environment) {
        Path log = App.logDirectory().resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", app.jar().toString(), "server", app.config().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().keySet().retainAll(INHERITED_ENVIRONMENT);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            // A restart on the same name appends to the log; a new test run starts it afresh.
            boolean first = LOGS_STARTED.add(log);
            Files.writeString(log, "=== " + Instant.now() + " starting " + name + " on port " + port + ": "
                            + String.join(" ", command)
                            + "\n=== environment: " + TlsEnvironment.printable(environment) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
            Process process = builder.start();
            RUNNING.add(process);
            return new AppProcess(app, name, port, environment, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The base URL the app serves and advertises: it is started with {@code 127.0.0.1} as its host. */
    public String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    /** A client whose every response is checked against this app's contract. */
    public Client http() {
        return http;
    }

    public ContractCheckingFilter contract() {
        return contract;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** It died, and not because the test stopped or killed it: a crash, or a signal from outside. */
    public boolean exitedUnexpectedly() {
        return !stopRequested && !process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Waits until {@code GET /health} answers 200 (a child without its parent is degraded, still 200). */
    public void awaitHealthy(Duration timeout) {
        await(name + " answering 200 on /health").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .ignoreException(ProcessingException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + " before it was healthy; last lines of " + log + ":\n" + tail(40));
                    }
                    return healthStatus() == 200;
                });
    }

    /** SIGTERM, as an orchestrator or an operator stops a service; returns at once, see {@link #stop}. */
    public void terminate() {
        stopRequested = true;
        process.destroy();
    }

    /** SIGTERM (unless {@link #terminate} sent it already); waits for it to exit. */
    public int stop() {
        terminate();
        boolean exited;
        try {
            exited = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            kill();
            throw new IllegalStateException(name + " did not exit within " + STOP_TIMEOUT + " of SIGTERM and was "
                    + "killed. Last lines of " + log + ":\n" + tail(40));
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    /** SIGKILL: a crash, with no chance to deregister. */
    public void kill() {
        stopRequested = true;
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // SIGKILL cannot be refused: the process is gone or going, whether or not the wait saw it end.
        RUNNING.remove(process);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        http.close();
    }

    /** The last {@code lines} lines of this app's log, to explain a failure. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ", log " + log + ")";
    }

    private int healthStatus() {
        try (Response response = http.target(url()).path("health").request(MediaType.APPLICATION_JSON).get()) {
            return response.getStatus();
        }
    }
}
