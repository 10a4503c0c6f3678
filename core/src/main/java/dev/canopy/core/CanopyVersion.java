package dev.canopy.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Canopy was built as, and the Swagger UI it bundles; both come from the build. */
public final class CanopyVersion {
    private static final Properties BUILD = load();

    private CanopyVersion() {
    }

    public static String current() {
        return BUILD.getProperty("version");
    }

    public static String swaggerUi() {
        return BUILD.getProperty("swagger-ui.version");
    }

    private static Properties load() {
        try (InputStream in = CanopyVersion.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("version.properties is missing from the canopy-core jar", e);
        }
    }
}
