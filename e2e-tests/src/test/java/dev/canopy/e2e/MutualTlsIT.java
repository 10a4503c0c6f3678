package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestPki;
import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.TestCertificates;
import dev.canopy.e2e.harness.Topology;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parent that needs a client certificate (CANOPY_TLS_CLIENT_AUTH=need): a child presenting one the
 * test CA signed registers and forwards; a child with no certificate cannot register; and a client
 * without a certificate, or with one the CA did not sign, does not get past the handshake.
 */
class MutualTlsIT {
    @RegisterExtension
    static final Topology topology = new Topology("MutualTlsIT");

    private static TestCertificates certificates;
    private static ParentOrchestrator parent;
    private static ChildOrchestrator certified;
    private static ChildOrchestrator anonymous;

    @BeforeAll
    static void startAParentThatNeedsClientCertificates() {
        certificates = TestCertificates.shared();
        Map<String, String> tls = certificates.pki().environment(certificates.node());
        topology.configure(App.PARENT, tls).configure(App.PARENT, Map.of("CANOPY_TLS_CLIENT_AUTH", "need"))
                .configure(App.CHILD, tls);
        parent = topology.startParent();
        certified = topology.startChild("certified", Scope.region("mtls-east"));
        // Trusts the CA, so it would accept the parent, but has no certificate to show (and serves HTTP).
        anonymous = topology.startChild("anonymous", Scope.region("mtls-west"), topology.parentUrl(),
                Map.of("CANOPY_TLS_KEYSTORE", "", "CANOPY_TLS_KEYSTORE_PASSWORD", ""));
        topology.awaitHealthy();
    }

    @Test
    void aChildWithACertificateFromTheTrustedCaRegistersAndForwards() throws Exception {
        RegistrationResult registered = certified.services()
                .registerService(new LocalServiceRegistration("https://127.0.0.1:1/orders"));

        converges().ignoreExceptions().untilAsserted(() -> {
            String childId = certified.info().getOrchestratorId();
            assertThat(childId).isNotNull();
            assertThat(parent.orchestrators().getOrchestrator(childId).getUrl())
                    .isEqualTo("https://127.0.0.1:" + certified.process().port());
            assertThat(parent.services().getService(registered.getId()).getOrchestratorId()).isEqualTo(childId);
        });
    }

    @Test
    void aChildWithoutAClientCertificateCannotRegister() throws Exception {
        HealthReport health = converges().until(anonymous.health()::getHealth,
                report -> report.getChecks().get("parent").getMessage().contains("last attempt"));
        // The certified child is in: the parent was up and answering while this one was refused.
        converges().until(() -> certified.info().getOrchestratorId() != null);

        assertThat(health.getStatus()).isEqualTo(HealthState.DEGRADED);
        assertThat(anonymous.info().getOrchestratorId()).isNull();
        assertThat(parent.allOrchestrators())
                .extracting(OrchestratorDetail::getUrl).doesNotContain(anonymous.url());
    }

    @Test
    void onlyAClientWithACertificateTheCaSignedGetsPastTheHandshake() {
        TestPki pki = certificates.pki();
        SSLContext signedByTheCa = pki.clientContext(certificates.node());
        SSLContext noCertificate = pki.clientContext(null);
        SSLContext selfSigned = TestPki.clientContext(certificates.stranger(), TestPki.password(),
                pki.trustStore(), TestPki.password());

        assertThat(healthStatusWith(signedByTheCa)).isEqualTo(200);
        assertThat(handshakeFailureWith(noCertificate)).isInstanceOf(ProcessingException.class);
        assertThat(handshakeFailureWith(selfSigned)).isInstanceOf(ProcessingException.class);
    }

    private static int healthStatusWith(SSLContext tls) {
        try (Client client = TestClients.raw(tls);
             Response response = client.target(parent.url()).path("health").request().get()) {
            return response.getStatus();
        }
    }

    private static Throwable handshakeFailureWith(SSLContext tls) {
        try (Client client = TestClients.raw(tls)) {
            return catchThrowable(() -> {
                try (Response response = client.target(parent.url()).path("health").request().get()) {
                    throw new AssertionError("Answered " + response.getStatus() + " without a trusted certificate");
                }
            });
        }
    }
}
