package dev.canopy.child.testing;

import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real child with no parent: its parent.url is a port nothing listens on and it waits an hour
 * before registering there, so a test sees only what the child does by itself. A test adds or
 * replaces settings by key and holds {@link #app()} as its {@code DropwizardAppExtension} static field.
 */
public final class LoneChild {
    private final Map<String, String> config = new LinkedHashMap<>();

    public LoneChild() {
        config.put("server.connector.port", "0");
        config.put("auth.adminKeys", TestKeys.ADMIN);
        config.put("parent.key", TestKeys.CHILD);
        config.put("parent.url", "http://localhost:1");
        config.put("parent.registrationDelay", "1h");
    }

    /** Adds, or replaces, one setting of the child's configuration. */
    public LoneChild config(String key, String value) {
        config.put(key, value);
        return this;
    }

    public DropwizardAppExtension<ChildConfiguration> app() {
        return new DropwizardAppExtension<>(ChildApplication.class, "config.yml",
                config.entrySet().stream()
                        .map(setting -> ConfigOverride.config(setting.getKey(), setting.getValue()))
                        .toArray(ConfigOverride[]::new));
    }
}
