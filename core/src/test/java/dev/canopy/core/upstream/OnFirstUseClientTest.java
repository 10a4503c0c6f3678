package dev.canopy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.client.ssl.TlsConfiguration;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnFirstUseClientTest {
    private final AtomicInteger builds = new AtomicInteger();
    private final List<Client> built = new ArrayList<>();

    private Client countedBuild() {
        builds.incrementAndGet();
        Client client = ClientBuilder.newClient();
        synchronized (built) {
            built.add(client);
        }
        return client;
    }

    @Test
    void nothingIsBuiltUntilTheFirstCallAndThenOnlyOnceWhoeverCalls() throws Exception {
        OnFirstUseClient client = new OnFirstUseClient(this::countedBuild);
        assertThat(builds).hasValue(0);

        ExecutorService callers = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> targets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int n = i;
            targets.add(callers.submit(() -> {
                go.await();
                return client.target("http://upstream.invalid/" + n).getUri().getPath();
            }));
        }
        go.countDown();
        for (int i = 0; i < targets.size(); i++) {
            assertThat(targets.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("/" + i);
        }
        callers.shutdown();

        assertThat(builds).hasValue(1);
        assertThat(client.isBuilt()).isTrue();
        client.close();
    }

    @Test
    void stoppingClosesTheClientItBuilt() throws Exception {
        OnFirstUseClient client = new OnFirstUseClient(this::countedBuild);
        client.target("http://upstream.invalid/");

        client.stop();

        assertThatThrownBy(() -> built.get(0).target("http://upstream.invalid/"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stoppingBeforeAnyCallBuildsNothingAndLaterCallsAreRefused() throws Exception {
        OnFirstUseClient client = new OnFirstUseClient(this::countedBuild);

        client.stop();

        assertThatThrownBy(() -> client.target("http://upstream.invalid/"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(builds).hasValue(0);
    }

    @Test
    void registeringOnTheClientReturnsTheClientItself() {
        OnFirstUseClient client = new OnFirstUseClient(this::countedBuild);

        assertThat(client.property("canopy.test", "yes")).isSameAs(client);
        assertThat(client.getConfiguration().getProperty("canopy.test")).isEqualTo("yes");
        client.close();
    }

    @Test
    void anUpstreamClientIsBuiltOnItsFirstCallNotWhenTheAppRuns() {
        Environment environment = new Environment("test");

        Client client = UpstreamClients.build(environment, UpstreamClients.defaultConfiguration(), "upstream");

        assertThat(client).isInstanceOfSatisfying(OnFirstUseClient.class, c -> assertThat(c.isBuilt()).isFalse());
        // Dropwizard's client registers its pool's gauges when it is built.
        assertThat(environment.metrics().getNames()).noneMatch(name -> name.contains("HttpClientConnectionManager"));
        client.target("http://upstream.invalid/");
        assertThat(environment.metrics().getNames()).anyMatch(name -> name.contains("HttpClientConnectionManager.upstream"));
        client.close();
    }

    @Test
    void aTrustStoreThatCannotBeReadStopsTheAppWhenItRunsNotAtTheFirstCall() {
        Environment environment = new Environment("test");
        JerseyClientConfiguration configuration = UpstreamClients.defaultConfiguration();
        TlsConfiguration tls = new TlsConfiguration();
        tls.setTrustStorePath(new File("/no/such/truststore.p12"));
        tls.setTrustStorePassword("changeit");
        configuration.setTlsConfiguration(tls);

        assertThatThrownBy(() -> UpstreamClients.build(environment, configuration, "upstream"))
                .hasStackTraceContaining("truststore.p12");
    }
}
