package dev.canopy.core.problem;

import dev.canopy.api.model.InvalidParam;
import java.util.List;

/** Thrown by resources for a request that cannot be served as asked; answered as a problem. */
public final class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final List<InvalidParam> invalidParams;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<InvalidParam> invalidParams) {
        super(detail, null, false, false);
        this.type = type;
        this.invalidParams = List.copyOf(invalidParams);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No " + what + " with id " + id);
    }

    /** A body that breaks the contract's limits: 422, naming each place. */
    public static ProblemException invalidBody(List<InvalidParam> invalidParams) {
        return new ProblemException(ProblemType.INVALID_BODY, ConstraintViolationProblemMapper.describe(invalidParams),
                invalidParams);
    }

    public ProblemType type() {
        return type;
    }

    public List<InvalidParam> invalidParams() {
        return invalidParams;
    }
}
