package dev.canopy.e2e.harness;

import dev.canopy.core.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The certificates the TLS tests share, made once per test JVM in a temporary directory that is deleted
 * when the JVM exits: each keytool call starts a JVM, and every test can use the same ones.
 */
public final class TestCertificates {
    private static TestCertificates shared;

    private final TestPki pki;
    private final Path node;
    private final Path stranger;

    private TestCertificates(Path directory) {
        this.pki = TestPki.create(directory);
        this.node = pki.issue("node");
        this.stranger = TestPki.selfSigned(directory, "stranger");
    }

    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("canopy-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "tls-certificates-cleanup"));
                shared = new TestCertificates(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The test CA: its trust store, the CANOPY_TLS_* variables, clients that trust it. */
    public TestPki pki() {
        return pki;
    }

    /** A key store signed by the test CA, valid for localhost and 127.0.0.1: every app's in these tests. */
    public Path node() {
        return node;
    }

    /** A self-signed key store for the same hosts, which the test CA did not sign. */
    public Path stranger() {
        return stranger;
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is no reason to fail a test run.
        }
    }
}
