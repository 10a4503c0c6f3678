package dev.canopy.core.problem;

import dev.canopy.api.model.InvalidParam;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glassfish.jersey.model.Parameter;
import org.glassfish.jersey.server.model.Invocable;

/**
 * Bean Validation failures of the generated interfaces' constraints. Where the bad value sits decides
 * the status: an id in the path that cannot exist is 404, a query parameter 400, the body 422.
 */
public final class ConstraintViolationProblemMapper implements ExceptionMapper<JerseyViolationException> {
    @Context
    private UriInfo request;

    @Override
    public Response toResponse(JerseyViolationException exception) {
        Invocable invocable = exception.getInvocable();
        List<InvalidParam> invalid = new ArrayList<>();
        Parameter.Source worst = null;
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            Located located = locate(violation, invocable);
            if (located.source == null) {
                // A constraint on what we return failed: our bug, not the client's.
                return new UnhandledExceptionMapper().toResponse(exception);
            }
            invalid.add(new InvalidParam(located.name, violation.getMessage()));
            worst = moreSevere(worst, located.source);
        }
        invalid.sort(Comparator.comparing(InvalidParam::getName).thenComparing(InvalidParam::getReason));
        String summary = describe(invalid);
        if (worst == Parameter.Source.PATH) {
            return ProblemResponses.of(ProblemType.NOT_FOUND, "No resource here: " + summary, request, invalid).build();
        }
        if (worst == Parameter.Source.ENTITY) {
            return ProblemResponses.of(ProblemType.INVALID_BODY, summary, request, invalid).build();
        }
        return ProblemResponses.of(ProblemType.INVALID_PARAMETER, summary, request, invalid).build();
    }

    private static Parameter.Source moreSevere(Parameter.Source current, Parameter.Source next) {
        if (current == Parameter.Source.PATH || next == Parameter.Source.PATH) {
            return Parameter.Source.PATH;
        }
        if (current == Parameter.Source.ENTITY || next == Parameter.Source.ENTITY) {
            return Parameter.Source.ENTITY;
        }
        return next;
    }

    static String describe(List<InvalidParam> invalid) {
        StringBuilder detail = new StringBuilder();
        for (InvalidParam param : invalid) {
            if (detail.length() > 0) {
                detail.append("; ");
            }
            detail.append(param.getName()).append(' ').append(param.getReason());
        }
        return detail.toString();
    }

    private record Located(Parameter.Source source, String name) {
    }

    private static Located locate(ConstraintViolation<?> violation, Invocable invocable) {
        Parameter.Source source = null;
        StringBuilder name = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                Parameter parameter = invocable.getParameters()
                        .get(node.as(Path.ParameterNode.class).getParameterIndex());
                // Jersey marks the entity parameter UNKNOWN: it is the one without a JAX-RS source annotation.
                source = parameter.getSource() == Parameter.Source.UNKNOWN ? Parameter.Source.ENTITY : parameter.getSource();
                name.append(prefixOf(source));
                if (source != Parameter.Source.ENTITY) {
                    name.append('.').append(parameter.getSourceName());
                }
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    name.append('.').append(JsonNames.of(node.getName()));
                }
                if (node.getKey() != null) {
                    name.append('.').append(node.getKey());
                } else if (node.getIndex() != null) {
                    name.append('[').append(node.getIndex()).append(']');
                }
            } else if (node.getKind() == ElementKind.RETURN_VALUE) {
                return new Located(null, "response");
            }
        }
        return new Located(source, name.toString());
    }

    private static String prefixOf(Parameter.Source source) {
        return switch (source) {
            case PATH -> "path";
            case QUERY -> "query";
            case HEADER -> "header";
            case ENTITY -> "body";
            default -> source.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
