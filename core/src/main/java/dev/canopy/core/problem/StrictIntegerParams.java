package dev.canopy.core.problem;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Integer query parameters (a page's {@code limit}) in the contract's form only: ASCII decimal digits.
 * Jersey's default parses with {@code Integer.valueOf}, which also takes other scripts' digits
 * ({@code limit=１}, a full-width one) and a leading {@code +}; a value that is not what the contract
 * calls an integer is refused as a 400 naming it, like any other bad parameter.
 */
public final class StrictIntegerParams implements ParamConverterProvider {
    private static final ParamConverter<Integer> STRICT = new ParamConverter<>() {
        @Override
        public Integer fromString(String value) {
            if (value == null || value.isEmpty() || value.length() > 11 || !value.matches("-?[0-9]+")) {
                throw new IllegalArgumentException("not an integer in ASCII decimal");
            }
            return Integer.valueOf(value);
        }

        @Override
        public String toString(Integer value) {
            return value.toString();
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == Integer.class ? (ParamConverter<T>) STRICT : null;
    }
}
