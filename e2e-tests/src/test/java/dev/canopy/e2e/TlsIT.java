package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
import dev.canopy.api.model.Hierarchy;
import dev.canopy.api.model.HierarchyBranch;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.core.testing.TestClients;
import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.TestCertificates;
import dev.canopy.e2e.harness.Topology;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parent, a child and a service, each serving HTTPS with a certificate from a CA made for this run
 * and trusting only that CA: the tree forms over TLS under https URLs, and nothing reaches an app
 * without TLS, or without trusting its certificate, or at a host name its certificate does not name.
 */
class TlsIT {
    @RegisterExtension
    static final Topology topology = new Topology("TlsIT");

    private static TestCertificates certificates;
    private static ParentOrchestrator parent;
    private static ChildOrchestrator child;
    private static ExampleService service;
    private static ChildOrchestrator misdirected;

    @BeforeAll
    static void startATreeThatSpeaksOnlyHttps() {
        certificates = TestCertificates.shared();
        Map<String, String> tls = certificates.pki().environment(certificates.node());
        topology.configure(App.PARENT, tls).configure(App.CHILD, tls).configure(App.EXAMPLE_SERVICE, tls);
        parent = topology.startParent();
        child = topology.startChild("child", Scope.region("tls-east"));
        service = topology.startExampleService("service", child.url());
        // All of 127.0.0.0/8 is loopback on Linux: 127.0.0.2 reaches the same parent, under a name its
        // certificate (localhost, 127.0.0.1) does not carry.
        misdirected = topology.startChild("misdirected", Scope.region("tls-west"),
                "https://127.0.0.2:" + parent.process().port());
        topology.awaitHealthy();
    }

    @Test
    void theChildRegistersAndForwardsItsServiceOverHttpsUnderHttpsUrls() throws Exception {
        String childUrl = "https://127.0.0.1:" + child.process().port();
        String serviceUrl = "https://127.0.0.1:" + service.process().port();

        converges().untilAsserted(() -> {
            Hierarchy hierarchy = parent.hierarchy().getHierarchy(null, null);
            assertThat(hierarchy.getOrchestrators()).singleElement().satisfies(branch -> {
                assertThat(branch.getOrchestrator().getUrl()).isEqualTo(childUrl);
                assertThat(branch.getServices()).extracting(ServiceDetail::getUrl).containsExactly(serviceUrl);
            });
        });
        assertThat(child.info().getParentUrl()).isEqualTo("https://127.0.0.1:" + parent.process().port());
        assertThat(service.identity().getUrl()).isEqualTo(serviceUrl);
        assertThat(service.identity().getServiceId()).isNotNull();
    }

    @Test
    void aPlainHttpRequestToTheHttpsPortIsNotServed() {
        try (Client plain = TestClients.raw()) {
            String plainUrl = "http://127.0.0.1:" + parent.process().port();

            Throwable refused = catchThrowable(() -> {
                try (Response response = plain.target(plainUrl).path("api/v1/hierarchy").request().get()) {
                    throw new AssertionError("A plain HTTP request was answered " + response.getStatus());
                }
            });

            assertThat(refused).isInstanceOf(ProcessingException.class);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheTestCaIsRefusedTheHandshake() {
        try (Client jvmDefaults = TestClients.raw();
             Client trusting = TestClients.raw(certificates.pki().clientContext(null))) {
            Throwable refused = catchThrowable(() -> jvmDefaults.target(parent.url()).path("health").request().get());

            assertThat(refused).isInstanceOf(ProcessingException.class).hasCauseInstanceOf(SSLHandshakeException.class);
            try (Response answer = trusting.target(parent.url()).path("health").request().get()) {
                assertThat(answer.getStatus()).as("the same request from a client that trusts the CA").isEqualTo(200);
            }
        }
    }

    @Test
    void aChildDoesNotRegisterWithAParentWhoseCertificateNamesAnotherHost() throws Exception {
        HealthReport health = converges().until(misdirected.health()::getHealth,
                report -> report.getChecks().get("parent").getMessage().contains("last attempt"));

        assertThat(health.getStatus()).isEqualTo(HealthState.DEGRADED);
        assertThat(health.getChecks().get("parent").getMessage())
                .containsIgnoringCase("subject alternative names");
        converges().until(() -> parent.allOrchestrators().size() == 1);
        assertThat(parent.allOrchestrators())
                .extracting(OrchestratorDetail::getUrl).containsExactly(child.url());
        assertThat(parent.hierarchy().getHierarchy(null, null).getOrchestrators()).extracting(HierarchyBranch::getOrchestrator)
                .extracting(OrchestratorDetail::getRegion).containsExactly("tls-east");
    }
}
