package dev.canopy.e2e.harness;

import dev.canopy.core.testing.TestPki;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What an app's CANOPY_TLS_* variables mean for a test that talks to it: it serves HTTPS when it has a
 * key store, and the test reaches it as its peers do, trusting its trust store and presenting its key
 * store when asked for a certificate.
 */
final class TlsEnvironment {
    private TlsEnvironment() {
    }

    static boolean servesHttps(Map<String, String> environment) {
        return !blank(environment.get("CANOPY_TLS_KEYSTORE"));
    }

    static String scheme(Map<String, String> environment) {
        return servesHttps(environment) ? "https" : "http";
    }

    static SSLContext peerContext(Map<String, String> environment) {
        return TestPki.clientContext(
                path(environment.get("CANOPY_TLS_KEYSTORE")), environment.get("CANOPY_TLS_KEYSTORE_PASSWORD"),
                path(environment.get("CANOPY_TLS_TRUSTSTORE")), environment.get("CANOPY_TLS_TRUSTSTORE_PASSWORD"));
    }

    /** The environment as a log may show it: passwords and keys (CANOPY_*_KEY, CANOPY_*_KEYS) masked. */
    static String printable(Map<String, String> environment) {
        StringBuilder printed = new StringBuilder("{");
        environment.forEach((name, value) -> printed.append(printed.length() > 1 ? ", " : "").append(name)
                .append('=').append(isSecret(name) ? "****" : value));
        return printed.append('}').toString();
    }

    private static boolean isSecret(String name) {
        return name.contains("PASSWORD") || name.endsWith("_KEY") || name.endsWith("_KEYS");
    }

    private static Path path(String value) {
        return blank(value) ? null : Path.of(value);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
