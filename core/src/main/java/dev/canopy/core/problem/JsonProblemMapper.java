package dev.canopy.core.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.canopy.api.model.InvalidParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A body that is not JSON (or not one JSON value) is 400; JSON of the wrong shape (unknown field,
 * wrong type, missing required field, a number out of its field's range) is 422 naming the field, like
 * any other invalid body. Jackson's own messages name
 * Java classes, so the reasons here are written in the contract's terms.
 */
public final class JsonProblemMapper implements ExceptionMapper<JsonProcessingException> {
    @Context
    private UriInfo request;

    @Override
    public Response toResponse(JsonProcessingException exception) {
        Optional<Response> unreadable = BodyReadFailures.problemFor(exception, request);
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        if (exception instanceof MismatchedInputException trailing && String.valueOf(trailing.getOriginalMessage())
                .startsWith("Trailing token")) {
            return ProblemResponses.of(ProblemType.MALFORMED_JSON,
                    "The body holds more than one JSON value; it must be exactly one object", request).build();
        }
        if (exception instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException
                && !mapping.getPath().isEmpty()) {
            InvalidParam param = new InvalidParam(pathOf(mapping), "is out of range");
            return ProblemResponses.of(ProblemType.INVALID_BODY,
                    ConstraintViolationProblemMapper.describe(List.of(param)), request, List.of(param)).build();
        }
        if (exception instanceof ValueInstantiationException value && value.getCause() instanceof IllegalArgumentException
                && !value.getPath().isEmpty()) {
            // A generated enum refuses a value it does not list this way: the body is JSON, the value is wrong.
            InvalidParam param = new InvalidParam(pathOf(value), "is not one of the values the contract lists");
            return ProblemResponses.of(ProblemType.INVALID_BODY,
                    ConstraintViolationProblemMapper.describe(List.of(param)), request, List.of(param)).build();
        }
        if (exception instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            InvalidParam param = new InvalidParam(pathOf(mismatch), reasonFor(mismatch));
            return ProblemResponses.of(ProblemType.INVALID_BODY,
                    ConstraintViolationProblemMapper.describe(List.of(param)), request, List.of(param)).build();
        }
        if (exception instanceof MismatchedInputException mismatch) {
            return ProblemResponses.of(ProblemType.INVALID_BODY,
                    "The body must be " + expected(mismatch.getTargetType()), request,
                    List.of(new InvalidParam("body", "must be " + expected(mismatch.getTargetType())))).build();
        }
        return ProblemResponses.of(ProblemType.MALFORMED_JSON, "The body is not well-formed JSON"
                + at(exception.getLocation()) + ": " + exception.getOriginalMessage(), request).build();
    }

    private static String pathOf(JsonMappingException exception) {
        StringBuilder name = new StringBuilder("body");
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                name.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                name.append('[').append(reference.getIndex()).append(']');
            }
        }
        return name.toString();
    }

    private static String reasonFor(MismatchedInputException exception) {
        if (exception instanceof UnrecognizedPropertyException) {
            return "is not a field of this body";
        }
        String message = exception.getOriginalMessage();
        if (message != null && message.startsWith("Missing required creator property")) {
            return "is required";
        }
        if (exception instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return "is not one of the allowed values";
        }
        return "must be " + expected(exception.getTargetType());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.getPackageName().startsWith("dev.canopy.api.model")) {
            return "an object";
        }
        return "a value of another type";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
