package dev.canopy.core.validation;

import jakarta.validation.ConstraintTarget;
import jakarta.validation.GroupSequence;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.Default;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import jakarta.validation.metadata.ValidateUnwrappedValue;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.hibernate.validator.group.GroupSequenceProvider;

/**
 * Whether a request body is certainly valid, found by hand for beans whose constraints are all plain
 * ones ({@code @NotNull}, {@code @Pattern}, {@code @Size}, {@code @Min}, {@code @Max} in the default
 * group) and whose cascades go into beans, lists or map values of the same kind: what the generated
 * models of the contract declare. Hibernate Validator builds a path, a context and a node for every
 * property it checks, valid or not: 8 KB and some 8 µs of a registration at a child besides the url's
 * pattern, and the same work for each change of a batch a child forwards (docs/performance.md,
 * "Registration, third pass").
 *
 * <p>It answers only "certainly valid" or "cannot say": a value that breaks a constraint, a class with
 * any other constraint, a value of a type a constraint is not checked here for, all answer false, and
 * the caller asks the validator, so every violation is still Hibernate Validator's own. What a class
 * declares is read once from the validator's own metadata. Properties are read from their field where
 * there is one (else from their getter): the generated models' getters return their fields.
 */
final class PlainBeans {
    /** Deeper than any body of the contract; a cycle, say, is left to the validator. */
    private static final int MAX_DEPTH = 16;

    private final Validator validator;
    private final Map<Class<?>, Optional<BeanCheck>> checks = new ConcurrentHashMap<>();

    PlainBeans(Validator validator) {
        this.validator = validator;
    }

    /** True only if {@code validator.validate(bean)} would find no violation; false where it might. */
    boolean certainlyValid(Object bean) {
        return bean != null && certainlyValid(bean, 0);
    }

    /** True only if cascading into {@code value} (a bean, a list's items, a map's values) finds nothing. */
    boolean cascadeCertainlyValid(Object value) {
        return cascade(value, 0);
    }

    private boolean certainlyValid(Object bean, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        BeanCheck check = checks.computeIfAbsent(bean.getClass(), this::plan).orElse(null);
        if (check == null) {
            return false;
        }
        for (PropertyCheck property : check.properties()) {
            Object value;
            try {
                value = (Object) property.reader().invokeExact(bean);
            } catch (Throwable e) {
                return false;
            }
            for (Predicate<Object> constraint : property.constraints()) {
                if (!constraint.test(value)) {
                    return false;
                }
            }
            if (property.cascaded() && !cascade(value, depth)) {
                return false;
            }
        }
        return true;
    }

    /** As Hibernate Validator cascades a property marked {@code @Valid}: into a container's items. */
    private boolean cascade(Object value, int depth) {
        if (value == null) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return all(map.values(), depth);
        }
        if (value instanceof Iterable<?> items) {
            return all(items, depth);
        }
        if (value instanceof Optional<?> || value.getClass().isArray()) {
            return false;
        }
        return certainlyValid(value, depth + 1);
    }

    private boolean all(Iterable<?> items, int depth) {
        for (Object item : items) {
            if (item != null && !certainlyValid(item, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private Optional<BeanCheck> plan(Class<?> type) {
        BeanDescriptor bean = validator.getConstraintsForClass(type);
        if (!bean.isBeanConstrained()) {
            return Optional.of(BeanCheck.NOTHING);
        }
        if (!bean.getConstraintDescriptors().isEmpty() || type.isAnnotationPresent(GroupSequence.class)
                || type.isAnnotationPresent(GroupSequenceProvider.class)) {
            return Optional.empty();
        }
        List<PropertyCheck> properties = new ArrayList<>();
        for (PropertyDescriptor property : bean.getConstrainedProperties()) {
            Optional<PropertyCheck> check = PropertyCheck.of(type, property);
            if (check.isEmpty()) {
                return Optional.empty();
            }
            properties.add(check.get());
        }
        return Optional.of(new BeanCheck(properties.toArray(PropertyCheck[]::new)));
    }

    /** A class's constrained properties; none for a class without constraints or cascades. */
    private record BeanCheck(PropertyCheck[] properties) {
        static final BeanCheck NOTHING = new BeanCheck(new PropertyCheck[0]);
    }

    /** One property: how to read it, what each of its constraints allows, and whether to cascade into it. */
    private record PropertyCheck(MethodHandle reader, Predicate<Object>[] constraints, boolean cascaded) {
        static Optional<PropertyCheck> of(Class<?> type, PropertyDescriptor property) {
            if (!property.getGroupConversions().isEmpty()) {
                return Optional.empty();
            }
            boolean cascaded = property.isCascaded();
            for (ContainerElementTypeDescriptor element : property.getConstrainedContainerElementTypes()) {
                if (!element.getConstraintDescriptors().isEmpty() || !element.getGroupConversions().isEmpty()
                        || !element.getConstrainedContainerElementTypes().isEmpty()) {
                    return Optional.empty();
                }
                if (element.isCascaded()) {
                    if (!itemsOf(property.getElementClass(), element.getTypeArgumentIndex())) {
                        return Optional.empty();
                    }
                    cascaded = true;
                }
            }
            List<Predicate<Object>> constraints = new ArrayList<>();
            for (ConstraintDescriptor<?> constraint : property.getConstraintDescriptors()) {
                Predicate<Object> check = check(constraint);
                if (check == null) {
                    return Optional.empty();
                }
                constraints.add(check);
            }
            MethodHandle reader = readerOf(type, property.getPropertyName());
            if (reader == null) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            Predicate<Object>[] array = constraints.toArray(Predicate[]::new);
            return Optional.of(new PropertyCheck(reader, array, cascaded));
        }

        /** A list's items or a map's values: what {@code @Valid} on the container itself reaches too. */
        private static boolean itemsOf(Class<?> container, Integer typeArgument) {
            return typeArgument != null && (Map.class.isAssignableFrom(container) ? typeArgument == 1
                    : List.class.isAssignableFrom(container) && typeArgument == 0);
        }
    }

    /** What one constraint allows, exactly as its validator in Hibernate Validator; null for any other. */
    static Predicate<Object> check(ConstraintDescriptor<?> constraint) {
        // Constraints declared on an interface are in its group as well as in the default one.
        if (!constraint.getComposingConstraints().isEmpty() || !constraint.getGroups().contains(Default.class)
                || constraint.getValueUnwrapping() == ValidateUnwrappedValue.UNWRAP
                || constraint.getValidationAppliesTo() == ConstraintTarget.PARAMETERS) {
            return null;
        }
        if (constraint.getAnnotation() instanceof NotNull) {
            return value -> value != null;
        }
        if (constraint.getAnnotation() instanceof Pattern pattern) {
            Predicate<String> matches = ContractPatterns.matcher(pattern);
            return value -> value == null || value instanceof String text && matches.test(text);
        }
        if (constraint.getAnnotation() instanceof Size size) {
            int min = size.min();
            int max = size.max();
            return value -> value == null || within(sizeOf(value), min, max);
        }
        if (constraint.getAnnotation() instanceof Min min) {
            long bound = min.value();
            return value -> value == null || isWholeNumber(value) && ((Number) value).longValue() >= bound;
        }
        if (constraint.getAnnotation() instanceof Max max) {
            long bound = max.value();
            return value -> value == null || isWholeNumber(value) && ((Number) value).longValue() <= bound;
        }
        return null;
    }

    /** The size {@code @Size} checks, or -1 for a type it is not checked for here. */
    private static int sizeOf(Object value) {
        if (value instanceof CharSequence text) {
            return text.length();
        }
        if (value instanceof Collection<?> items) {
            return items.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return -1;
    }

    private static boolean within(int size, int min, int max) {
        return size >= 0 && size >= min && size <= max;
    }

    /** The number types whose {@code @Min} and {@code @Max} compare as a long does. */
    private static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    /** The property's field, from the class or a superclass, else its getter; null if neither is found. */
    private static MethodHandle readerOf(Class<?> type, String name) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
                for (Field field : at.getDeclaredFields()) {
                    if (field.getName().equals(name) && !java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        return lookup.unreflectGetter(field).asType(MethodType.methodType(Object.class, Object.class));
                    }
                }
            }
            String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            for (String getter : new String[] {"get" + suffix, "is" + suffix}) {
                try {
                    Method method = type.getMethod(getter);
                    return lookup.unreflect(method).asType(MethodType.methodType(Object.class, Object.class));
                } catch (NoSuchMethodException e) {
                    // try the next name
                }
            }
            return null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }
}
