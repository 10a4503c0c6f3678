package dev.canopy.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client's and Jetty's debug output prints request headers verbatim, {@code Authorization:
 * Bearer <key>} included. These loggers are held at INFO, whatever LOG_LEVEL says, so that debugging
 * an app never writes its keys to a log.
 */
public final class HeaderLoggers {
    static final List<String> PRINTING_HEADERS = List.of(
            "org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire",
            "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.http.HttpGenerator");

    private HeaderLoggers() {
    }

    /** Call once logging is configured (in a bundle's or the app's {@code run}). */
    public static void keepQuiet() {
        for (String name : PRINTING_HEADERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            if (!logger.isInfoEnabled() || logger.isDebugEnabled()) {
                logger.setLevel(Level.INFO);
            }
        }
    }
}
