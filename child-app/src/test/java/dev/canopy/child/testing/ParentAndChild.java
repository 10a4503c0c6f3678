package dev.canopy.child.testing;

import dev.canopy.child.ChildApplication;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real parent and a real child in one JVM, the child registering with the parent at once, for tests
 * that hold the two as {@code DropwizardAppExtension} static fields. It sets only what every such test
 * needs (ports, keys, the child's way to its parent); a test adds or replaces the rest by key, so its
 * field initialiser shows at a glance how its pair differs:
 *
 * <pre>{@code
 * private static final ParentAndChild APPS = new ParentAndChild()
 *         .childConfig("region", "eu-west")
 *         .logLevel("WARN");
 * static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
 * static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();
 * }</pre>
 */
public final class ParentAndChild {
    private final int parentPort = freePort();
    private final Map<String, String> parentConfig = new LinkedHashMap<>();
    private final Map<String, String> childConfig = new LinkedHashMap<>();

    public ParentAndChild() {
        // A fixed parent port, known before either app starts: the child's parent.url needs it.
        parentConfig.put("server.connector.port", String.valueOf(parentPort));
        parentConfig.put("auth.adminKeys", TestKeys.ADMIN);
        parentConfig.put("auth.childKeys", TestKeys.CHILD);

        childConfig.put("server.connector.port", "0");
        childConfig.put("auth.adminKeys", TestKeys.ADMIN);
        childConfig.put("auth.serviceKeys", TestKeys.SERVICE);
        childConfig.put("parent.key", TestKeys.CHILD);
        childConfig.put("parent.url", "http://localhost:" + parentPort);
        childConfig.put("parent.registrationDelay", "0s");
    }

    /** Adds, or replaces, one setting of the parent's configuration. */
    public ParentAndChild parentConfig(String key, String value) {
        parentConfig.put(key, value);
        return this;
    }

    /** Adds, or replaces, one setting of the child's configuration. */
    public ParentAndChild childConfig(String key, String value) {
        childConfig.put(key, value);
        return this;
    }

    /** The child reaches its parent under this path of the parent's address, not at its root. */
    public ParentAndChild parentUrlPath(String path) {
        return childConfig("parent.url", "http://localhost:" + parentPort + path);
    }

    /** One logging level for both apps; left unset, each logs as its config.yml says. */
    public ParentAndChild logLevel(String level) {
        return parentConfig("logging.level", level).childConfig("logging.level", level);
    }

    public int parentPort() {
        return parentPort;
    }

    public DropwizardAppExtension<ParentConfiguration> parent() {
        return new DropwizardAppExtension<>(ParentApplication.class, "../parent-app/config.yml", "parent",
                overrides("parent", parentConfig));
    }

    public DropwizardAppExtension<ChildConfiguration> child() {
        return new DropwizardAppExtension<>(ChildApplication.class, "config.yml", "child",
                overrides("child", childConfig));
    }

    // Each app reads its own overrides: both share this JVM's system properties.
    private static ConfigOverride[] overrides(String prefix, Map<String, String> config) {
        return config.entrySet().stream()
                .map(setting -> ConfigOverride.config(prefix, setting.getKey(), setting.getValue()))
                .toArray(ConfigOverride[]::new);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
