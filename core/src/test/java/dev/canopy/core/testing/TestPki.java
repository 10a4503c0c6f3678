package dev.canopy.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.glassfish.jersey.SslConfigurator;

/**
 * A certificate authority for one test run, made with the JDK's {@code keytool} in a directory the test
 * owns, and the PKCS12 key stores it issues: nothing binary is committed. Every store has the same
 * password; every certificate is valid for {@code localhost} and {@code 127.0.0.1}, for a server and as
 * a client, for two days. The commands are those the README gives for a development CA.
 */
public final class TestPki {
    private static final String PASSWORD = "canopy-test-only";
    private static final String HOSTS = "SAN=dns:localhost,ip:127.0.0.1";
    /** keytool is a JVM: quick start-up matters more than anything it could optimise. */
    private static final List<String> KEYTOOL_JVM = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC");

    private final Path directory;
    private final Path caKeyStore;
    private final Path caCertificate;
    private final Path trustStore;

    private TestPki(Path directory) {
        this.directory = directory;
        this.caKeyStore = directory.resolve("ca.p12");
        this.caCertificate = directory.resolve("ca.pem");
        this.trustStore = directory.resolve("truststore.p12");
    }

    /** A new CA in {@code directory}, and a trust store holding its certificate only. */
    public static TestPki create(Path directory) {
        TestPki pki = new TestPki(directory);
        keytool(directory, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Canopy Test CA", "-ext", "bc:c", "-validity", "2",
                "-keystore", pki.caKeyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(directory, "-exportcert", "-alias", "ca", "-rfc", "-file", pki.caCertificate.toString(),
                "-keystore", pki.caKeyStore.toString(), "-storepass", PASSWORD);
        keytool(directory, "-importcert", "-noprompt", "-alias", "canopy-test-ca",
                "-file", pki.caCertificate.toString(),
                "-keystore", pki.trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return pki;
    }

    /** {@code <name>.p12} in {@code directory}: a key and a certificate that signs itself, which no CA vouches for. */
    public static Path selfSigned(Path directory, String name) {
        Path keyStore = directory.resolve(name + ".p12");
        keytool(directory, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", HOSTS, "-ext", "EKU=serverAuth,clientAuth", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return keyStore;
    }

    /** {@code <name>.p12}: a key and its certificate signed by this CA, with the CA's certificate above it. */
    public Path issue(String name) {
        Path keyStore = directory.resolve(name + ".p12");
        Path request = directory.resolve(name + ".csr");
        Path certificate = directory.resolve(name + ".pem");
        Path chain = directory.resolve(name + "-chain.pem");
        keytool(directory, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(directory, "-certreq", "-alias", name, "-file", request.toString(),
                "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        keytool(directory, "-gencert", "-alias", "ca", "-infile", request.toString(),
                "-outfile", certificate.toString(), "-rfc", "-validity", "2",
                "-ext", HOSTS, "-ext", "EKU=serverAuth,clientAuth", "-ext", "KU=digitalSignature",
                "-keystore", caKeyStore.toString(), "-storepass", PASSWORD);
        // The certificate and the CA's above it, so that the store holds the whole chain its owner shows.
        try {
            Files.writeString(chain, Files.readString(certificate) + Files.readString(caCertificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool(directory, "-importcert", "-noprompt", "-alias", name, "-file", chain.toString(),
                "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        return keyStore;
    }

    /** The CA's certificate alone, in PKCS12. */
    public Path trustStore() {
        return trustStore;
    }

    /** The password of every store this class makes. */
    public static String password() {
        return PASSWORD;
    }

    /**
     * The CANOPY_TLS_* variables for an app that trusts this CA and serves (and presents as a client)
     * {@code keyStore}; none for the key store when it is {@code null}, so the app serves plain HTTP.
     */
    public Map<String, String> environment(Path keyStore) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (keyStore != null) {
            environment.put("CANOPY_TLS_KEYSTORE", keyStore.toString());
            environment.put("CANOPY_TLS_KEYSTORE_PASSWORD", PASSWORD);
        }
        environment.put("CANOPY_TLS_TRUSTSTORE", trustStore.toString());
        environment.put("CANOPY_TLS_TRUSTSTORE_PASSWORD", PASSWORD);
        return environment;
    }

    /** A client's TLS: trusts this CA, and presents {@code keyStore} when asked for a certificate (unless null). */
    public SSLContext clientContext(Path keyStore) {
        return clientContext(keyStore, PASSWORD, trustStore, PASSWORD);
    }

    /** A client's TLS from PKCS12 stores; either may be {@code null}: no certificate, or the JVM's CAs. */
    public static SSLContext clientContext(Path keyStore, String keyStorePassword, Path trustStore,
                                           String trustStorePassword) {
        SslConfigurator tls = SslConfigurator.newInstance(false);
        if (keyStore != null) {
            tls.keyStoreFile(keyStore.toString()).keyStorePassword(keyStorePassword).keyStoreType("PKCS12");
        }
        if (trustStore != null) {
            tls.trustStoreFile(trustStore.toString()).trustStorePassword(trustStorePassword).trustStoreType("PKCS12");
        }
        return tls.createSSLContext();
    }

    private static void keytool(Path directory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(KEYTOOL_JVM);
        command.addAll(List.of(arguments));
        Path output = directory.resolve("keytool.log");
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(output.toFile())).start();
            // Nothing to answer: a question keytool asks ends in "no" and a failure, not a hang.
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with " + process.exitValue()
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }
}
