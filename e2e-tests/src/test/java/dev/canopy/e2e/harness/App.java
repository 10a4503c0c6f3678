package dev.canopy.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three Canopy apps as the build packaged them. The e2e module's pom passes each jar and config
 * path as a system property, so the tests run exactly what {@code mvn package} produced.
 */
public enum App {
    PARENT("parent"),
    CHILD("child"),
    EXAMPLE_SERVICE("example-service");

    private final String name;

    App(String name) {
        this.name = name;
    }

    /** The app's OpenAPI document in api-spec: what {@code ContractCheckingFilter} checks its answers against. */
    public String contractDocument() {
        return name;
    }

    Path jar() {
        return existing("canopy.e2e." + name + ".jar", "run `mvn package` (or `mvn verify`) from the root first");
    }

    Path config() {
        return existing("canopy.e2e." + name + ".config", "it is the app's config.yml");
    }

    static Path logDirectory() {
        String logs = System.getProperty("canopy.e2e.logs");
        return Path.of(logs == null ? "target/e2e-logs" : logs).toAbsolutePath().normalize();
    }

    private static Path existing(String property, String hint) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run the e2e tests "
                    + "through Maven (mvn verify), whose failsafe configuration sets it");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (" + property + ") does not exist: " + hint);
        }
        return path;
    }
}
