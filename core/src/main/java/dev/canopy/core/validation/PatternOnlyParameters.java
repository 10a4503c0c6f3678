package dev.canopy.core.validation;

import dev.canopy.core.Ids;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.executable.ExecutableValidator;
import jakarta.validation.groups.Default;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.MethodDescriptor;
import jakarta.validation.metadata.ParameterDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A validator that answers the commonest resource method itself: one whose parameters carry no
 * constraint but {@code @Pattern} (a path id, say), called with values that all match. Such a call has
 * no violation, and Hibernate Validator would spend more finding that out (building a validation
 * context, a path for each parameter) than the lookup it guards costs (docs/performance.md, "Lookup,
 * warm"). Any other call (a value that does not match, a body to cascade into, other constraints,
 * groups) goes to the validator this wraps, so every violation is still Hibernate Validator's own.
 */
public final class PatternOnlyParameters implements Validator, ExecutableValidator {
    private final Validator validator;
    private final ExecutableValidator executables;
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

    public PatternOnlyParameters(Validator validator) {
        this.validator = validator;
        this.executables = validator.forExecutables();
    }

    /**
     * What a method's constraints allow this class to check itself, for one resource class: the
     * patterns by parameter ({@code null} where a parameter has none), or none of it ({@code patterns}
     * null: the validator must look).
     */
    private record Plan(Class<?> beanClass, Predicate<String>[] patterns, boolean returnValueConstrained) {
        static Plan of(Class<?> beanClass, Method method, Validator validator) {
            BeanDescriptor bean = validator.getConstraintsForClass(beanClass);
            MethodDescriptor described = bean.getConstraintsForMethod(method.getName(), method.getParameterTypes());
            if (described == null) {
                return new Plan(beanClass, predicates(method.getParameterCount()), false);
            }
            boolean returnValueConstrained = described.getReturnValueDescriptor() != null
                    && (described.getReturnValueDescriptor().hasConstraints()
                    || described.getReturnValueDescriptor().isCascaded());
            if (described.getCrossParameterDescriptor().hasConstraints()) {
                return new Plan(beanClass, null, returnValueConstrained);
            }
            Predicate<String>[] patterns = predicates(method.getParameterCount());
            for (ParameterDescriptor parameter : described.getParameterDescriptors()) {
                if (parameter.isCascaded() || !parameter.getGroupConversions().isEmpty()
                        || !parameter.getConstrainedContainerElementTypes().isEmpty()) {
                    return new Plan(beanClass, null, returnValueConstrained);
                }
                for (ConstraintDescriptor<?> constraint : parameter.getConstraintDescriptors()) {
                    if (!(constraint.getAnnotation() instanceof Pattern pattern) || patterns[parameter.getIndex()] != null
                            || !constraint.getGroups().contains(Default.class)
                            || !constraint.getComposingConstraints().isEmpty()
                            || method.getParameterTypes()[parameter.getIndex()] != String.class) {
                        return new Plan(beanClass, null, returnValueConstrained);
                    }
                    patterns[parameter.getIndex()] = compile(pattern);
                }
            }
            return new Plan(beanClass, patterns, returnValueConstrained);
        }

        @SuppressWarnings("unchecked")
        private static Predicate<String>[] predicates(int count) {
            return (Predicate<String>[]) new Predicate<?>[count];
        }

        /** The pattern as Hibernate Validator's {@code PatternValidator} compiles it; an id's, checked by hand. */
        private static Predicate<String> compile(Pattern pattern) {
            if (pattern.flags().length == 0 && pattern.regexp().equals(Ids.PATTERN)) {
                return Ids::isUlid;
            }
            int flags = 0;
            for (Pattern.Flag flag : pattern.flags()) {
                flags |= flag.getValue();
            }
            return java.util.regex.Pattern.compile(pattern.regexp(), flags).asMatchPredicate();
        }

        boolean allMatch(Object[] values) {
            for (int i = 0; i < patterns.length; i++) {
                if (patterns[i] != null && values[i] != null && !patterns[i].test((String) values[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private Plan planFor(Object object, Method method) {
        Plan plan = plans.computeIfAbsent(method, key -> Plan.of(object.getClass(), method, validator));
        // One resource class per method in practice; another class's call is planned afresh, not cached.
        return plan.beanClass() == object.getClass() ? plan : Plan.of(object.getClass(), method, validator);
    }

    private static boolean defaultGroupOnly(Class<?>[] groups) {
        return groups.length == 0 || groups.length == 1 && groups[0] == Default.class;
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateParameters(T object, Method method, Object[] parameterValues,
                                                              Class<?>... groups) {
        if (object != null && parameterValues != null && defaultGroupOnly(groups)) {
            Plan plan = planFor(object, method);
            if (plan.patterns() != null && plan.patterns().length == parameterValues.length
                    && plan.allMatch(parameterValues)) {
                return Set.of();
            }
        }
        return executables.validateParameters(object, method, parameterValues, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateReturnValue(T object, Method method, Object returnValue,
                                                               Class<?>... groups) {
        if (object != null && defaultGroupOnly(groups) && !planFor(object, method).returnValueConstrained()) {
            return Set.of();
        }
        return executables.validateReturnValue(object, method, returnValue, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateConstructorParameters(Constructor<? extends T> constructor,
                                                                         Object[] parameterValues, Class<?>... groups) {
        return executables.validateConstructorParameters(constructor, parameterValues, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateConstructorReturnValue(Constructor<? extends T> constructor,
                                                                          T createdObject, Class<?>... groups) {
        return executables.validateConstructorReturnValue(constructor, createdObject, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validate(T object, Class<?>... groups) {
        return validator.validate(object, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateProperty(T object, String propertyName, Class<?>... groups) {
        return validator.validateProperty(object, propertyName, groups);
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateValue(Class<T> beanType, String propertyName, Object value,
                                                         Class<?>... groups) {
        return validator.validateValue(beanType, propertyName, value, groups);
    }

    @Override
    public BeanDescriptor getConstraintsForClass(Class<?> clazz) {
        return validator.getConstraintsForClass(clazz);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : validator.unwrap(type);
    }

    @Override
    public ExecutableValidator forExecutables() {
        return this;
    }
}
