package dev.canopy.core.validation;

import jakarta.validation.ParameterNameProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names another provider gives a method's parameters, asked for once per method. Hibernate
 * Validator asks for them on every validated call (to name the parameter in a violation's path, even
 * when there is none), and Dropwizard's provider reads them from the parameters' JAX-RS annotations,
 * which the JDK parses afresh on each {@link Method#getParameterAnnotations()}: a lookup by id paid
 * more for that than for its own work. A method's parameters never change, so neither do their names.
 */
public final class CachedParameterNames implements ParameterNameProvider {
    private final ParameterNameProvider names;
    private final Map<Executable, List<String>> known = new ConcurrentHashMap<>();

    public CachedParameterNames(ParameterNameProvider names) {
        this.names = names;
    }

    @Override
    public List<String> getParameterNames(Constructor<?> constructor) {
        return known.computeIfAbsent(constructor, key -> List.copyOf(names.getParameterNames(constructor)));
    }

    @Override
    public List<String> getParameterNames(Method method) {
        return known.computeIfAbsent(method, key -> List.copyOf(names.getParameterNames(method)));
    }
}
