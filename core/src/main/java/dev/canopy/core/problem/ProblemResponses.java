package dev.canopy.core.problem;

import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Builds RFC 9457 answers. */
public final class ProblemResponses {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final String ABOUT_BLANK = "about:blank";

    private ProblemResponses() {
    }

    public static Response.ResponseBuilder of(ProblemType type, String detail, UriInfo request) {
        return of(type.uri(), type.status(), type.title(), detail, request, null);
    }

    public static Response.ResponseBuilder of(ProblemType type, String detail, UriInfo request, List<InvalidParam> invalid) {
        return of(type.uri(), type.status(), type.title(), detail, request, invalid);
    }

    /** A plain HTTP error: type {@code about:blank}, titled by its reason phrase as RFC 9457 asks. */
    public static Response.ResponseBuilder ofStatus(int status, String detail, UriInfo request) {
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        return of(ABOUT_BLANK, status, title, detail, request, null);
    }

    private static Response.ResponseBuilder of(String type, int status, String title, String detail,
                                               UriInfo request, List<InvalidParam> invalid) {
        Problem problem = new Problem(type, title, status)
                .detail(detail)
                .instance(request == null ? null : "/" + request.getPath())
                .invalidParams(invalid == null || invalid.isEmpty() ? null : invalid);
        return Response.status(status).type(PROBLEM_JSON).entity(problem);
    }
}
