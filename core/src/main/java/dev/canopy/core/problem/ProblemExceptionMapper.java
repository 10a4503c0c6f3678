package dev.canopy.core.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

public final class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
    @Context
    private UriInfo request;

    @Override
    public Response toResponse(ProblemException exception) {
        return ProblemResponses.of(exception.type(), exception.getMessage(), request, exception.invalidParams())
                .build();
    }
}
