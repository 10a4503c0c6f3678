package dev.canopy.core.tls;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpsConnectorFactory;
import java.util.List;

/** The URL an app gives its peers, with the scheme its server actually speaks. */
public final class AdvertisedUrl {
    private AdvertisedUrl() {
    }

    /**
     * {@code configured} (an {@code advertisedUrl} setting), with {@code http://} made {@code https://}
     * when the app serves TLS: one switch, CANOPY_TLS_KEYSTORE, turns both on, so the two cannot
     * disagree. An {@code https://} URL stays as it is while the app serves plain HTTP: a proxy in front
     * may end TLS for it.
     */
    public static String of(String configured, ServerFactory server) {
        if (configured != null && servesTls(server) && configured.regionMatches(true, 0, "http://", 0, 7)) {
            return "https://" + configured.substring(7);
        }
        return configured;
    }

    /** Whether the connector that serves the application (the first one, if there are several) is TLS. */
    public static boolean servesTls(ServerFactory server) {
        ConnectorFactory connector = null;
        if (server instanceof SimpleServerFactory simple) {
            connector = simple.getConnector();
        } else if (server instanceof DefaultServerFactory multiple) {
            List<ConnectorFactory> connectors = multiple.getApplicationConnectors();
            connector = connectors.isEmpty() ? null : connectors.get(0);
        }
        if (connector instanceof HttpOrHttpsConnectorFactory switchable) {
            return switchable.isTlsEnabled();
        }
        return connector instanceof HttpsConnectorFactory;
    }
}
