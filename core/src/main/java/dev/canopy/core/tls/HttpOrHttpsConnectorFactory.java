package dev.canopy.core.tls;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.jetty.HttpsConnectorFactory;
import io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Dropwizard's {@code https} connector, which serves plain HTTP for as long as no key store is set
 * ({@code type: http-or-https}). Every {@code http} and {@code https} property keeps its meaning.
 *
 * <p>Why a connector type of its own: every setting of a Canopy app comes from the environment through
 * its one {@code config.yml}, and {@code java -jar app.jar server config.yml} with nothing set must
 * serve plain HTTP. Neither stock type can be switched by a variable: {@code http} rejects the key
 * store properties and {@code https} refuses to start without a key store. A second shipped
 * {@code config-https.yml} would copy every other setting and drift; {@code -Ddw.server.connector.*}
 * overrides would need a launcher and put the passwords on the command line, where {@code ps} shows
 * them. Here the key store path decides: blank (an unset {@code CANOPY_TLS_KEYSTORE}) is HTTP, a path is
 * HTTPS.
 */
@JsonTypeName("http-or-https")
public class HttpOrHttpsConnectorFactory extends HttpsConnectorFactory {
    /** Whether a client must present a certificate that the trust store vouches for (mutual TLS). */
    public enum ClientAuth {
        NONE,
        NEED
    }

    @NotNull
    private ClientAuth clientAuth = ClientAuth.NONE;

    public HttpOrHttpsConnectorFactory() {
        // keytool's default since Java 9, and the one format every TLS tool reads.
        setKeyStoreType("PKCS12");
        setTrustStoreType("PKCS12");
    }

    @JsonIgnore
    public boolean isTlsEnabled() {
        return getKeyStorePath() != null;
    }

    @Override
    public Connector build(Server server, MetricRegistry metrics, String name, ThreadPool threadPool) {
        if (isTlsEnabled()) {
            return super.build(server, metrics, name, threadPool);
        }
        // What HttpConnectorFactory.build does; super.build is the TLS one.
        return buildConnector(server, new ScheduledExecutorScheduler(), buildBufferPool(), name, threadPool,
                new InstrumentedConnectionFactory(buildHttpConnectionFactory(buildHttpConfiguration()),
                        metrics.timer(httpConnections())));
    }

    @Override
    protected HttpConfiguration buildHttpConfiguration() {
        HttpConfiguration configuration = super.buildHttpConfiguration();
        // Jetty's per-connection header cache matches values case-insensitively by default: on a kept-alive
        // connection, `Bearer ABC…` would be read as the `Bearer abc…` sent before it. Keys are exact.
        configuration.setHeaderCacheCaseSensitive(true);
        if (!isTlsEnabled()) {
            // Plain HTTP, exactly as the http type builds it: no TLS details to add to a request.
            configuration.getCustomizers().removeIf(SecureRequestCustomizer.class::isInstance);
        }
        return configuration;
    }

    /** Blank means no key store: the environment variable was left unset. */
    @Override
    @JsonProperty
    public void setKeyStorePath(String keyStorePath) {
        super.setKeyStorePath(blankToNull(keyStorePath));
    }

    @Override
    @JsonProperty
    public void setKeyStorePassword(String keyStorePassword) {
        super.setKeyStorePassword(blankToNull(keyStorePassword));
    }

    @Override
    @JsonProperty
    public void setTrustStorePath(String trustStorePath) {
        super.setTrustStorePath(blankToNull(trustStorePath));
    }

    @Override
    @JsonProperty
    public void setTrustStorePassword(String trustStorePassword) {
        super.setTrustStorePassword(blankToNull(trustStorePassword));
    }

    @JsonProperty
    public ClientAuth getClientAuth() {
        return clientAuth;
    }

    @JsonProperty
    public void setClientAuth(ClientAuth clientAuth) {
        this.clientAuth = clientAuth;
        setNeedClientAuth(clientAuth == ClientAuth.NEED);
    }

    /** No key store is plain HTTP, not a mistake. */
    @Override
    public boolean isValidKeyStorePath() {
        return true;
    }

    @Override
    public boolean isValidKeyStorePassword() {
        return !isTlsEnabled() || super.isValidKeyStorePassword();
    }

    @ValidationMethod(message = "trustStorePassword (CANOPY_TLS_TRUSTSTORE_PASSWORD) is required with trustStorePath")
    @JsonIgnore
    public boolean isTrustStorePasswordGiven() {
        return getTrustStorePath() == null || getTrustStorePassword() != null;
    }

    /**
     * Without both stores a required client certificate could not be checked, or there would be no TLS
     * to ask for it in; Jetty would quietly trust the key store's own entries instead.
     */
    @ValidationMethod(message = "clientAuth need (CANOPY_TLS_CLIENT_AUTH) requires keyStorePath (CANOPY_TLS_KEYSTORE) "
            + "and trustStorePath (CANOPY_TLS_TRUSTSTORE)")
    @JsonIgnore
    public boolean isClientAuthUsable() {
        return clientAuth != ClientAuth.NEED || (isTlsEnabled() && getTrustStorePath() != null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
