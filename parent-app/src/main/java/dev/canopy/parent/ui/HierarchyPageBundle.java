package dev.canopy.parent.ui;

import dev.canopy.core.logging.Events;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live hierarchy page at {@code /ui/}: static files (HTML, one JS module, CSS) that read the
 * parent's event stream in the browser. Like Swagger UI, they are not part of the API contract; unlike
 * it, they show data that strangers registered, so every answer carries {@link PageSecurityHeaders}.
 */
public final class HierarchyPageBundle implements ConfiguredBundle<Configuration> {
    public static final String PATH = "/ui";
    private static final Logger LOG = LoggerFactory.getLogger(HierarchyPageBundle.class);

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new AssetsBundle("/dev/canopy/parent/ui", PATH, "index.html", "hierarchy-page"));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.servlets().addFilter("hierarchy-page-headers", new PageSecurityHeaders())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, PATH + "/*");
        environment.lifecycle().addServerLifecycleListener(new ServerLifecycleListener() {
            @Override
            public void serverStarted(Server server) {
                Events.info(LOG, "hierarchy_page_ready")
                        .with("url", scheme(server) + "://localhost:" + getLocalPort(server) + PATH + "/")
                        .log("Live hierarchy page ready");
            }
        });
    }

    private static String scheme(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector.getConnectionFactory(SslConnectionFactory.class) != null) {
                return "https";
            }
        }
        return "http";
    }
}
