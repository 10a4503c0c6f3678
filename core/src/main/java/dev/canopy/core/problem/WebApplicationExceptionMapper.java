package dev.canopy.core.problem;

import dev.canopy.api.model.InvalidParam;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.glassfish.jersey.server.ParamException;

/**
 * Jersey's own refusals (no such path, method not allowed, unsupported or unacceptable media type)
 * become problems with the same status. Their messages are Jersey's, so the detail is ours.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;
    @Context
    private HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        if (exception instanceof ParamException.QueryParamException param) {
            // Jersey answers 404 when a query parameter does not convert to its type (limit=abc): the
            // resource exists, the request is wrong, so it is the same 400 as a value out of range.
            InvalidParam invalid = new InvalidParam("query." + param.getParameterName(),
                    "must be a value of its type (see the contract)");
            return ProblemResponses.of(ProblemType.INVALID_PARAMETER,
                    ConstraintViolationProblemMapper.describe(List.of(invalid)), uriInfo, List.of(invalid)).build();
        }
        if (status >= 500) {
            return new UnhandledExceptionMapper().toResponse(exception);
        }
        Response.ResponseBuilder answer = ProblemResponses.ofStatus(status, detailFor(exception, status), uriInfo);
        if (exception instanceof NotAllowedException) {
            answer.header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW));
        }
        return answer.build();
    }

    private String detailFor(WebApplicationException exception, int status) {
        return switch (status) {
            case 404 -> exception instanceof NotFoundException
                    ? "Nothing is served at " + request.getMethod() + " /" + uriInfo.getPath()
                    : "Not found";
            case 405 -> "Method " + request.getMethod() + " is not allowed on /" + uriInfo.getPath();
            case 406 -> "This operation answers application/json; the Accept header allows none of it";
            case 415 -> "The body must be application/json, not " + describe(headers.getMediaType());
            default -> "The request was refused";
        };
    }

    private static String describe(Object mediaType) {
        return mediaType == null ? "a body without Content-Type" : String.valueOf(mediaType);
    }
}
