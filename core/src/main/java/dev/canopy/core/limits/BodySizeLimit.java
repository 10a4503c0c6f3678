package dev.canopy.core.limits;

import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ConditionalHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * Caps request bodies with Jetty's own {@link SizeLimitHandler}, inside a servlet context: a body that
 * declares a larger Content-Length is refused before anything reads it, and a chunked body is counted
 * as it is read and cut off at the limit, so no body is ever buffered beyond it. Both answer 413.
 */
public final class BodySizeLimit {
    private BodySizeLimit() {
    }

    /** Every request into {@code context} may carry at most {@code maxBytes}. */
    public static void install(ServletContextHandler context, long maxBytes) {
        context.insertHandler(new SizeLimitHandler(maxBytes, -1));
    }

    /** Requests with {@code method} to paths matching {@code pathRegex} (in the context). */
    public record Route(String method, Pattern path) {
        public Route(String method, String pathRegex) {
            this(method, Pattern.compile(pathRegex));
        }

        boolean matches(Request request) {
            return method.equals(request.getMethod()) && path.matcher(Request.getPathInContext(request)).matches();
        }

        /** Whether any of {@code routes} matches: asked of every request, so a plain loop, no stream. */
        static boolean anyMatches(List<Route> routes, Request request) {
            for (Route route : routes) {
                if (route.matches(request)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * As {@link #install(ServletContextHandler, long)}, except that requests on one of {@code larger}
     * may carry up to {@code largerMaxBytes}. Each route pairs its method with its path: another method on
     * the same path keeps the usual limit.
     */
    public static void install(ServletContextHandler context, long maxBytes, List<Route> larger,
                               long largerMaxBytes) {
        // Inserted handlers stack up right below the context: the larger limit goes in first, so that
        // it ends up innermost; the usual limit goes above it, and the exempted requests skip it.
        context.insertHandler(new SizeLimitHandler(largerMaxBytes, -1));
        ConditionalHandler.SkipNext skipUsualLimit =
                new ConditionalHandler.SkipNext(new SizeLimitHandler(maxBytes, -1));
        List<Route> routes = List.copyOf(larger);
        skipUsualLimit.include(request -> Route.anyMatches(routes, request));
        context.insertHandler(skipUsualLimit);
    }

    /**
     * As {@link #install(ServletContextHandler, long)}, for a context whose servlets cannot tell a body
     * cut off at the limit from their own failure (Dropwizard's admin tasks answer 500 to any failed
     * read): a chunked body is refused up front with 411 Length Required, and a declared length is
     * checked before anything is read.
     */
    public static void installRequiringLength(ServletContextHandler context, long maxBytes) {
        install(context, maxBytes);
        ConditionalHandler.Reject chunked = new ConditionalHandler.Reject(HttpStatus.LENGTH_REQUIRED_411);
        chunked.include(request -> request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
        context.insertHandler(chunked);
    }
}
