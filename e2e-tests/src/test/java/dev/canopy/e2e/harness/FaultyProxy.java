package dev.canopy.e2e.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on loopback, in front of a parent orchestrator, that the test turns bad and good
 * again: {@link #healthy()} forwards every request as it is, {@link #slow(Duration)} holds each
 * request that long before forwarding it, {@link #unavailable()} answers every request 503 with a
 * problem body, as an overloaded parent or a load balancer without a backend would.
 *
 * <p>Children pointed at it (PARENT_ORCHESTRATOR_URL) see a parent that is slow or down while the
 * parent itself runs normally, so the test can still read the parent's state directly.
 */
public final class FaultyProxy implements AutoCloseable {
    /** Hop-by-hop headers, and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "keep-alive", "transfer-encoding",
                    "te", "trailer", "proxy-connection", "date");
    private static final String UNAVAILABLE_PROBLEM = """
            {"type":"urn:canopy:problem:unavailable","title":"Service Unavailable","status":503,\
            "detail":"The parent is unavailable (fault injected by the test's proxy)"}""";

    private sealed interface Mode permits Healthy, Slow, Unavailable {
    }

    private record Healthy() implements Mode {
    }

    private record Slow(Duration delay) implements Mode {
    }

    private record Unavailable() implements Mode {
    }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient upstream;
    private final AtomicLong requests = new AtomicLong();
    private volatile Mode mode = new Healthy();

    private FaultyProxy(URI target, HttpServer server, ExecutorService threads) {
        this.target = target;
        this.server = server;
        this.threads = threads;
        this.upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
    }

    /** Starts a healthy proxy to {@code targetUrl} on a free loopback port. */
    public static FaultyProxy start(String targetUrl) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            // Held requests sleep on their own threads: a slow parent must not queue the requests behind them.
            ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "faulty-proxy");
                thread.setDaemon(true);
                return thread;
            });
            FaultyProxy proxy = new FaultyProxy(URI.create(targetUrl), server, threads);
            server.setExecutor(threads);
            server.createContext("/", proxy::handle);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the proxy to " + targetUrl, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void healthy() {
        mode = new Healthy();
    }

    /** Each request from now on waits {@code delay} before it is forwarded. */
    public void slow(Duration delay) {
        mode = new Slow(delay);
    }

    /** Each request from now on is answered 503, and never reaches the parent. */
    public void unavailable() {
        mode = new Unavailable();
    }

    /** Requests received so far, whatever was done with them: proof that the children use the proxy. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Mode current = mode;
            if (current instanceof Unavailable) {
                respond(exchange, 503, Map.of("Content-Type", List.of("application/problem+json")),
                        UNAVAILABLE_PROBLEM.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (current instanceof Slow slow) {
                Thread.sleep(slow.delay().toMillis());
            }
            HttpResponse<byte[]> answer = upstream.send(forwarded(exchange, body), HttpResponse.BodyHandlers.ofByteArray());
            respond(exchange, answer.statusCode(), answer.headers().map(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The parent is not there (killed, or not started): what a gateway says then.
            respond(exchange, 502, Map.of("Content-Type", List.of("application/problem+json")),
                    ("{\"type\":\"urn:canopy:problem:bad-gateway\",\"title\":\"Bad Gateway\",\"status\":502,"
                            + "\"detail\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8));
        } finally {
            exchange.close();
        }
    }

    private HttpRequest forwarded(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean empty = body.length == 0 || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
