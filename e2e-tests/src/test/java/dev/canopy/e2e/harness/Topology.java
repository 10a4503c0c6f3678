package dev.canopy.e2e.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A parent, its children and their services, each a process on its own port. Register it as a static
 * {@code @RegisterExtension}: after the test class, every process it started is killed, pass or fail,
 * and the class fails if any app answered something its contract does not document (also answers a
 * retrying assertion swallowed).
 *
 * <p>Authentication is on, as by default: every process gets its keys ({@link TopologyKeys}), and the
 * generated clients the tests use act with the admin key.
 *
 * <p>The parent's port is reserved up front, so children can be pointed at it before it runs.
 * Upstream delays are short (100 ms first attempt, retries capped at 1 s) so the tree converges in
 * about a second instead of the production defaults' tens of seconds. Leases keep the apps' defaults
 * (30 s) unless a test {@linkplain #configure configures} other values.
 */
public final class Topology implements AfterAllCallback, AutoCloseable {
    /** Up to eight JVMs start at once on two cores. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> FAST_UPSTREAM = Map.of(
            "REGISTRATION_DELAY", "100ms",
            "RETRY_INITIAL_DELAY", "100ms",
            "RETRY_MAX_DELAY", "1s",
            "LOG_LEVEL", "INFO");

    private final String name;
    private final int parentPort = FreePorts.next();
    private final TopologyKeys keys = new TopologyKeys();
    private final List<AppProcess> processes = new CopyOnWriteArrayList<>();
    private final Map<App, Map<String, String>> configured = new EnumMap<>(App.class);
    private volatile ParentOrchestrator parent;

    /** @param name prefixes each process's log file, e.g. {@code TopologyIT-parent.log} */
    public Topology(String name) {
        this.name = name;
    }

    /**
     * Sets environment variables (LEASE_TTL, RETRY_MAX_DELAY, ...) for every {@code app} process started
     * from now on, over the topology's own; later calls add to and override earlier ones.
     */
    public Topology configure(App app, Map<String, String> environment) {
        configured.computeIfAbsent(app, key -> new LinkedHashMap<>()).putAll(environment);
        return this;
    }

    public TopologyKeys keys() {
        return keys;
    }

    /** Where the parent listens, whether or not it runs yet: https when it is configured with a key store. */
    public String parentUrl() {
        return TlsEnvironment.scheme(configured.getOrDefault(App.PARENT, Map.of())) + "://127.0.0.1:" + parentPort;
    }

    /** Starts the parent on its reserved port (again, after {@link #crashParent}). */
    public ParentOrchestrator startParent() {
        if (parent != null && parent.process().isAlive()) {
            throw new IllegalStateException("The parent is running already: " + parent);
        }
        parent = new ParentOrchestrator(launch(App.PARENT, "parent", parentPort, Map.of("PORT", "" + parentPort,
                "CANOPY_ADMIN_KEYS", keys.admin(), "CANOPY_CHILD_KEYS", keys.allChildKeys()), Map.of()), keys.admin());
        return parent;
    }

    public ParentOrchestrator parent() {
        if (parent == null) {
            throw new IllegalStateException("The parent has not been started");
        }
        return parent;
    }

    /** kill -9 the parent: it forgets everything and deregisters nothing. */
    public void crashParent() {
        parent().process().kill();
    }

    /** Starts a child that registers with {@link #parentUrl()}, running or not. */
    public ChildOrchestrator startChild(String childName, Scope scope) {
        return startChild(childName, scope, parentUrl());
    }

    /** Starts a child that reaches its parent at {@code parentUrl}: the parent's, or a proxy's in front of it. */
    public ChildOrchestrator startChild(String childName, Scope scope, String parentUrl) {
        return startChild(childName, scope, parentUrl, Map.of());
    }

    /**
     * The same, with {@code overrides} over what is {@linkplain #configure configured} for every child:
     * one child unlike the others (say, without a client certificate, or with a key the parent refuses).
     */
    public ChildOrchestrator startChild(String childName, Scope scope, String parentUrl,
                                        Map<String, String> overrides) {
        int port = FreePorts.next();
        Map<String, String> environment = new LinkedHashMap<>(FAST_UPSTREAM);
        environment.put("PARENT_ORCHESTRATOR_URL", parentUrl);
        environment.put("ORCHESTRATOR_REGION", scope.region() == null ? "" : scope.region());
        environment.put("ORCHESTRATOR_DOMAIN", scope.domain() == null ? "" : scope.domain());
        environment.put("CHILD_HOST", "127.0.0.1");
        environment.put("CHILD_PORT", "" + port);
        environment.put("CANOPY_ADMIN_KEYS", keys.admin());
        environment.put("CANOPY_SERVICE_KEYS", keys.service());
        environment.put("CANOPY_CHILD_KEY", keys.child(childName));
        return new ChildOrchestrator(launch(App.CHILD, childName, port, environment, overrides), scope,
                keys.admin());
    }

    /** @param orchestratorUrl ORCHESTRATOR_URL, in any form the example service accepts */
    public ExampleService startExampleService(String serviceName, String orchestratorUrl) {
        int port = FreePorts.next();
        Map<String, String> environment = new LinkedHashMap<>(FAST_UPSTREAM);
        environment.put("SERVICE_NAME", serviceName);
        environment.put("SERVICE_HOST", "127.0.0.1");
        environment.put("SERVICE_PORT", "" + port);
        environment.put("ORCHESTRATOR_URL", orchestratorUrl);
        environment.put("CANOPY_SERVICE_KEY", keys.service());
        return new ExampleService(launch(App.EXAMPLE_SERVICE, serviceName, port, environment, Map.of()),
                orchestratorUrl);
    }

    /** Waits until every process still running answers 200 on {@code /health}. */
    public void awaitHealthy() {
        for (AppProcess process : processes) {
            if (process.isAlive()) {
                process.awaitHealthy(STARTUP_TIMEOUT);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Kills whatever still runs, then fails if an app broke its contract, or if one died without the
     * test stopping it (its log says why; exit code 143 means a SIGTERM from outside the test).
     */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (AppProcess process : processes) {
            if (process.exitedUnexpectedly()) {
                problems.add(process + " exited by itself with code " + process.exitValue());
            }
            process.close();
            process.contract().violations().forEach(violation -> problems.add(process.name() + ": " + violation));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Broken contracts or lost processes:\n  " + String.join("\n  ", problems));
        }
    }

    private AppProcess launch(App app, String processName, int port, Map<String, String> environment,
                              Map<String, String> overrides) {
        Map<String, String> complete = new LinkedHashMap<>(environment);
        complete.putAll(configured.getOrDefault(app, Map.of()));
        complete.putAll(overrides);
        AppProcess process = AppProcess.start(app, name + "-" + processName, port, complete);
        processes.add(process);
        return process;
    }
}
