package dev.canopy.core.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpException;

/**
 * A request body that could not be read because of the client, found in whatever the failure was
 * wrapped in on its way up (Jackson and Jersey wrap I/O errors): Jetty cutting a chunked body off at
 * the size limit (413), or a body sent as {@code Content-Encoding: gzip} that is not gzip (400).
 * Without this they would pass for malformed JSON or for a bug.
 */
final class BodyReadFailures {
    private static final int MAX_CAUSES = 16;

    private BodyReadFailures() {
    }

    static Optional<Response> problemFor(Throwable failure, UriInfo request) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return Optional.of(ProblemResponses.ofStatus(http.getCode(), http.getReason(), request).build());
            }
            if (cause instanceof ZipException) {
                return Optional.of(ProblemResponses.ofStatus(400,
                        "The body is sent as Content-Encoding: gzip but is not valid gzip", request).build());
            }
        }
        return Optional.empty();
    }
}
