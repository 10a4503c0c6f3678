package dev.canopy.core.problem;

/** Thrown by resources for a request that cannot be served as asked; answered as a problem. */
public final class ProblemException extends RuntimeException {
    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No " + what + " with id " + id);
    }

    public ProblemType type() {
        return type;
    }
}
