package dev.canopy.core.problem;

import dev.canopy.core.Ids;
import dev.canopy.core.logging.Events;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bug, not a client mistake: logged with an id that the answer repeats, nothing else disclosed. A body
 * the client made unreadable (cut off at the size limit, or not the gzip it claims) is the client's.
 */
public final class UnhandledExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnhandledExceptionMapper.class);

    @Context
    private UriInfo request;

    @Override
    public Response toResponse(Throwable exception) {
        Optional<Response> unreadable = BodyReadFailures.problemFor(exception, request);
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        String errorId = Ids.next();
        Events.error(LOG, "unhandled_exception").with("error_id", errorId)
                .with("path", request == null ? null : "/" + request.getPath())
                .cause(exception).log("Unhandled exception while serving a request");
        return ProblemResponses.of(ProblemType.INTERNAL,
                "An internal error occurred; it was logged with error_id " + errorId, request).build();
    }
}
