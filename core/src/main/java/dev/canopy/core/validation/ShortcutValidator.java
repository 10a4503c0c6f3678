package dev.canopy.core.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
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
 * A validator that answers plainly valid resource-method calls itself: those whose parameters carry
 * only plain constraints ({@code @Pattern} on a path id, {@code @NotNull} and {@code @Valid} on a
 * body whose class {@link PlainBeans} can check), called with values that pass them all. Such a call
 * has no violation, and Hibernate Validator would spend more finding that out (a validation context,
 * a path and nodes for every parameter and property) than the lookup it guards costs
 * (docs/performance.md, "Lookup, warm"), and allocate 8 KB of the 22 KB a registration allocates beyond
 * the no-op's ("Registration, third pass"). Any other call (a value that breaks a constraint, any other constraint, groups) goes to
 * the validator this wraps, so every violation is still Hibernate Validator's own.
 */
public final class ShortcutValidator implements Validator, ExecutableValidator {
    private final Validator validator;
    private final ExecutableValidator executables;
    private final PlainBeans beans;
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

    public ShortcutValidator(Validator validator) {
        this.validator = validator;
        this.executables = validator.forExecutables();
        this.beans = new PlainBeans(validator);
    }

    /**
     * What a method's constraints allow this class to check itself, for one resource class: a check by
     * parameter ({@code null} where a parameter has none), or none of it ({@code checks} null: the
     * validator must look).
     */
    private record Plan(Class<?> beanClass, Predicate<Object>[] checks, boolean returnValueConstrained) {
        static Plan of(Class<?> beanClass, Method method, Validator validator, PlainBeans beans) {
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
            Predicate<Object>[] checks = predicates(method.getParameterCount());
            for (ParameterDescriptor parameter : described.getParameterDescriptors()) {
                if (!parameter.getGroupConversions().isEmpty() || !parameter.getConstrainedContainerElementTypes().isEmpty()) {
                    return new Plan(beanClass, null, returnValueConstrained);
                }
                Predicate<Object> check = null;
                for (ConstraintDescriptor<?> constraint : parameter.getConstraintDescriptors()) {
                    Predicate<Object> one = PlainBeans.check(constraint);
                    if (one == null) {
                        return new Plan(beanClass, null, returnValueConstrained);
                    }
                    check = check == null ? one : check.and(one);
                }
                if (parameter.isCascaded()) {
                    Predicate<Object> cascade = beans::cascadeCertainlyValid;
                    check = check == null ? cascade : check.and(cascade);
                }
                checks[parameter.getIndex()] = check;
            }
            return new Plan(beanClass, checks, returnValueConstrained);
        }

        @SuppressWarnings("unchecked")
        private static Predicate<Object>[] predicates(int count) {
            return (Predicate<Object>[]) new Predicate<?>[count];
        }

        boolean allPass(Object[] values) {
            for (int i = 0; i < checks.length; i++) {
                if (checks[i] != null && !checks[i].test(values[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private Plan planFor(Object object, Method method) {
        Plan plan = plans.computeIfAbsent(method, key -> Plan.of(object.getClass(), method, validator, beans));
        // One resource class per method in practice; another class's call is planned afresh, not cached.
        return plan.beanClass() == object.getClass() ? plan : Plan.of(object.getClass(), method, validator, beans);
    }

    private static boolean defaultGroupOnly(Class<?>[] groups) {
        return groups.length == 0 || groups.length == 1 && groups[0] == Default.class;
    }

    @Override
    public <T> Set<ConstraintViolation<T>> validateParameters(T object, Method method, Object[] parameterValues,
                                                              Class<?>... groups) {
        if (object != null && parameterValues != null && defaultGroupOnly(groups)) {
            Plan plan = planFor(object, method);
            if (plan.checks() != null && plan.checks().length == parameterValues.length
                    && plan.allPass(parameterValues)) {
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
