package dev.canopy.core.auth;

import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemResponses;
import dev.canopy.core.problem.ProblemType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A change refused because another key owns the entry: 403, and an event naming the key that tried. */
public final class NotOwnerExceptionMapper implements ExceptionMapper<NotOwnerException> {
    private static final Logger LOG = LoggerFactory.getLogger(NotOwnerExceptionMapper.class);

    @Context
    private UriInfo request;
    @Context
    private SecurityContext security;

    @Override
    public Response toResponse(NotOwnerException exception) {
        Events.warn(LOG, "change_refused")
                .with("key", security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName())
                .with("reason", exception.getMessage())
                .log("A key asked to change an entry another key owns");
        return ProblemResponses.of(ProblemType.FORBIDDEN, exception.getMessage(), request).build();
    }
}
