package dev.canopy.core.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import javax.net.ssl.SSLContext;
import org.glassfish.jersey.client.ClientProperties;
import io.dropwizard.jersey.jackson.JacksonFeature;

/** HTTP clients for tests, reading and writing JSON the way Canopy's apps do. */
public final class TestClients {
    private TestClients() {
    }

    public static ObjectMapper json() {
        return Jackson.newObjectMapper()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Every response is checked against {@code filter}'s document; see {@link ContractCheckingFilter}. */
    public static Client contractChecked(ContractCheckingFilter filter) {
        return raw().register(filter);
    }

    /** The same, for an app that serves HTTPS: {@code tls} decides what it trusts and which certificate it shows. */
    public static Client contractChecked(ContractCheckingFilter filter, SSLContext tls) {
        return raw(tls).register(filter);
    }

    /** For what lies outside any contract on purpose: unknown paths, methods no operation has. */
    public static Client raw() {
        return configure(ClientBuilder.newBuilder());
    }

    /** A raw client whose HTTPS is {@code tls}. */
    public static Client raw(SSLContext tls) {
        return configure(ClientBuilder.newBuilder().sslContext(tls));
    }

    private static Client configure(ClientBuilder builder) {
        return builder.build()
                .register(new JacksonFeature(json()))
                .property(ClientProperties.CONNECT_TIMEOUT, 5_000)
                .property(ClientProperties.READ_TIMEOUT, 15_000)
                // Lets a test send PATCH and friends with HttpUrlConnection.
                .property("jersey.config.client.httpUrlConnection.setMethodWorkaround", true);
    }
}
