package dev.canopy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code server:} block every app ships, read with a given environment: no CANOPY_TLS_* is plain
 * HTTP, a key store is HTTPS, and settings that cannot work stop the app before it starts.
 */
class HttpOrHttpsConnectorFactoryTest {
    /** The server block of parent-app/config.yml (child and service differ only in the port variable). */
    private static final String SHIPPED_SERVER_BLOCK = """
            type: simple
            applicationContextPath: /
            adminContextPath: /admin
            connector:
              type: http-or-https
              port: ${PORT:-9000}
              keyStorePath: ${CANOPY_TLS_KEYSTORE:-}
              keyStorePassword: ${CANOPY_TLS_KEYSTORE_PASSWORD:-}
              keyStoreType: ${CANOPY_TLS_KEYSTORE_TYPE:-PKCS12}
              trustStorePath: ${CANOPY_TLS_TRUSTSTORE:-}
              trustStorePassword: ${CANOPY_TLS_TRUSTSTORE_PASSWORD:-}
              trustStoreType: ${CANOPY_TLS_TRUSTSTORE_TYPE:-PKCS12}
              clientAuth: ${CANOPY_TLS_CLIENT_AUTH:-none}
            """;

    @Test
    void withoutAKeyStoreItServesPlainHttpAndAdvertisesHttp() throws Exception {
        ServerFactory server = serverWith(Map.of());
        HttpOrHttpsConnectorFactory connector = connectorOf(server);

        assertThat(connector.isTlsEnabled()).isFalse();
        assertThat(connector.getPort()).isEqualTo(9000);
        assertThat(build(connector).getProtocols()).containsExactly("http/1.1");
        assertThat(AdvertisedUrl.of("http://localhost:9001", server)).isEqualTo("http://localhost:9001");
    }

    @Test
    void aKeyStoreTurnsOnTlsAndTheAdvertisedUrlFollows(@TempDir Path certs) throws Exception {
        // Jetty wants the file to exist when it is named; it reads it only when the connector starts.
        Path keyStore = Files.createFile(certs.resolve("node.p12"));
        ServerFactory server = serverWith(Map.of(
                "CANOPY_TLS_KEYSTORE", keyStore.toString(),
                "CANOPY_TLS_KEYSTORE_PASSWORD", "secret"));
        HttpOrHttpsConnectorFactory connector = connectorOf(server);

        assertThat(connector.isTlsEnabled()).isTrue();
        assertThat(connector.getKeyStoreType()).isEqualTo("PKCS12");
        assertThat(connector.getNeedClientAuth()).isFalse();
        assertThat(build(connector).getProtocols()).containsExactly("ssl", "http/1.1");
        assertThat(AdvertisedUrl.of("http://us-orchestrator:9001", server)).isEqualTo("https://us-orchestrator:9001");
        assertThat(AdvertisedUrl.of("https://gw.example:8443", server)).isEqualTo("https://gw.example:8443");
    }

    @Test
    void anHttpsUrlBehindAProxyIsKeptWhileTheAppServesPlainHttp() throws Exception {
        assertThat(AdvertisedUrl.of("https://gw.example:8443/us", serverWith(Map.of())))
                .isEqualTo("https://gw.example:8443/us");
    }

    @Test
    void clientAuthNeedRequiresACertificateSignedByTheTrustStore() throws Exception {
        HttpOrHttpsConnectorFactory connector = connectorOf(serverWith(Map.of(
                "CANOPY_TLS_KEYSTORE", "/certs/node.p12",
                "CANOPY_TLS_KEYSTORE_PASSWORD", "secret",
                "CANOPY_TLS_TRUSTSTORE", "/certs/truststore.p12",
                "CANOPY_TLS_TRUSTSTORE_PASSWORD", "secret",
                "CANOPY_TLS_CLIENT_AUTH", "need")));

        assertThat(connector.getClientAuth()).isEqualTo(HttpOrHttpsConnectorFactory.ClientAuth.NEED);
        assertThat(connector.getNeedClientAuth()).isTrue();
    }

    @Test
    void aKeyStoreWithoutItsPasswordStopsTheApp() {
        assertThatThrownBy(() -> serverWith(Map.of("CANOPY_TLS_KEYSTORE", "/certs/node.p12")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("keyStorePassword should not be null or empty");
    }

    @Test
    void aTrustStoreWithoutItsPasswordStopsTheApp() {
        assertThatThrownBy(() -> serverWith(Map.of("CANOPY_TLS_TRUSTSTORE", "/certs/truststore.p12")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("CANOPY_TLS_TRUSTSTORE_PASSWORD");
    }

    @Test
    void clientAuthNeedWithoutATrustStoreStopsTheApp() {
        assertThatThrownBy(() -> serverWith(Map.of(
                "CANOPY_TLS_KEYSTORE", "/certs/node.p12",
                "CANOPY_TLS_KEYSTORE_PASSWORD", "secret",
                "CANOPY_TLS_CLIENT_AUTH", "need")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("clientAuth need (CANOPY_TLS_CLIENT_AUTH) requires");
    }

    @Test
    void clientAuthNeedWithoutTlsStopsTheApp() {
        assertThatThrownBy(() -> serverWith(Map.of(
                "CANOPY_TLS_TRUSTSTORE", "/certs/truststore.p12",
                "CANOPY_TLS_TRUSTSTORE_PASSWORD", "secret",
                "CANOPY_TLS_CLIENT_AUTH", "need")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("clientAuth need (CANOPY_TLS_CLIENT_AUTH) requires");
    }

    @Test
    void anUnknownClientAuthModeStopsTheApp() {
        assertThatThrownBy(() -> serverWith(Map.of("CANOPY_TLS_CLIENT_AUTH", "sometimes")))
                .isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("clientAuth");
    }

    @Test
    void noPasswordReachesTheValidationMessage() {
        assertThatThrownBy(() -> serverWith(Map.of(
                "CANOPY_TLS_KEYSTORE", "/certs/node.p12",
                "CANOPY_TLS_KEYSTORE_PASSWORD", "s3cr3t-password",
                "CANOPY_TLS_CLIENT_AUTH", "need")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageNotContaining("s3cr3t-password");
    }

    /** The shipped block, with {@code environment} standing in for the process environment. */
    private static ServerFactory serverWith(Map<String, String> environment)
            throws IOException, ConfigurationException {
        YamlConfigurationFactory<ServerFactory> factory = new YamlConfigurationFactory<>(ServerFactory.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        return factory.build(new SubstitutingSourceProvider(
                path -> new ByteArrayInputStream(SHIPPED_SERVER_BLOCK.getBytes(StandardCharsets.UTF_8)),
                new StringSubstitutor(environment)), "config.yml");
    }

    private static HttpOrHttpsConnectorFactory connectorOf(ServerFactory server) {
        return (HttpOrHttpsConnectorFactory) ((SimpleServerFactory) server).getConnector();
    }

    private static Connector build(HttpOrHttpsConnectorFactory connector) {
        return connector.build(new Server(), new MetricRegistry(), "test", null);
    }
}
