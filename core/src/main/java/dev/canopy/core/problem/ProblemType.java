package dev.canopy.core.problem;

/** The problem types Canopy answers with, beyond plain HTTP errors (which use {@code about:blank}). */
public enum ProblemType {
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    INVALID_PARAMETER("invalid-parameter", 400, "Invalid parameter"),
    INVALID_BODY("invalid-body", 422, "Invalid request body"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not Found"),
    UNKNOWN_ORCHESTRATOR("unknown-orchestrator", 404, "Unknown orchestrator"),
    CONFLICT("conflict", 409, "Conflict"),
    SERVICE_LIMIT_REACHED("service-limit-reached", 409, "Service limit reached"),
    TOO_MANY_STREAMS("too-many-streams", 503, "Too many event streams"),
    INTERNAL("internal", 500, "Internal Server Error");

    private final String uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = "urn:canopy:problem:" + slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
