package dev.canopy.core.problem;

import dev.canopy.api.model.InvalidParam;
import dev.canopy.api.model.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Builds RFC 9457 answers. What a problem repeats of the request (a path, a field name, a parser's
 * message quoting the body) is clipped, so an answer never echoes a huge input back.
 */
public final class ProblemResponses {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    /** The most characters of a detail or an instance path a problem carries. */
    public static final int MAX_DETAIL = 512;
    /** The most characters of an invalid param's name or reason. */
    public static final int MAX_PARAM = 256;
    private static final String ABOUT_BLANK = "about:blank";

    private ProblemResponses() {
    }

    public static Response.ResponseBuilder of(ProblemType type, String detail, UriInfo request) {
        return of(type.uri(), type.status(), type.title(), detail, request, null);
    }

    public static Response.ResponseBuilder of(ProblemType type, String detail, UriInfo request, List<InvalidParam> invalid) {
        return of(type.uri(), type.status(), type.title(), detail, request, invalid);
    }

    /**
     * A plain HTTP error: type {@code about:blank}, titled by its reason phrase as RFC 9457 asks (Jetty's
     * phrase, so that errors Jetty answers itself are titled the same).
     */
    public static Response.ResponseBuilder ofStatus(int status, String detail, UriInfo request) {
        return of(ABOUT_BLANK, status, titleOf(status), detail, request, null);
    }

    static String titleOf(int status) {
        String title = HttpStatus.getMessage(status);
        return title == null || title.equals(String.valueOf(status)) ? "HTTP " + status : title;
    }

    /** {@code text} cut to at most {@code max} characters, marked where it was cut. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static Response.ResponseBuilder of(String type, int status, String title, String detail,
                                               UriInfo request, List<InvalidParam> invalid) {
        Problem problem = new Problem(type, title, status)
                .detail(clip(detail, MAX_DETAIL))
                .instance(request == null ? null : clip("/" + request.getPath(), MAX_DETAIL))
                .invalidParams(invalid == null || invalid.isEmpty() ? null : invalid.stream()
                        .map(param -> new InvalidParam(clip(param.getName(), MAX_PARAM),
                                clip(param.getReason(), MAX_PARAM)))
                        .toList());
        return Response.status(status).type(PROBLEM_JSON).entity(problem);
    }
}
