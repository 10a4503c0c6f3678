package dev.canopy.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jersey.validation.JerseyParameterNameProvider;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ParameterNameProvider;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.hibernate.validator.HibernateValidator;
import org.junit.jupiter.api.Test;

class CachedParameterNamesTest {
    /** Stands for a resource: what Hibernate Validator checks on every call. */
    public static final class Lookups {
        public String get(@PathParam("id") @Pattern(regexp = "[0-9A-Z]{26}") String id,
                          @QueryParam("limit") @Pattern(regexp = "[0-9]+") String limit) {
            return id;
        }
    }

    /** Counts how often it is asked, per method. */
    private static final class Counting implements ParameterNameProvider {
        private final ParameterNameProvider names = new JerseyParameterNameProvider();
        private final ConcurrentHashMap<Object, AtomicInteger> asked = new ConcurrentHashMap<>();

        @Override
        public List<String> getParameterNames(Constructor<?> constructor) {
            asked.computeIfAbsent(constructor, key -> new AtomicInteger()).incrementAndGet();
            return names.getParameterNames(constructor);
        }

        @Override
        public List<String> getParameterNames(Method method) {
            asked.computeIfAbsent(method, key -> new AtomicInteger()).incrementAndGet();
            return names.getParameterNames(method);
        }
    }

    private final Method get = Lookups.class.getMethod("get", String.class, String.class);

    CachedParameterNamesTest() throws NoSuchMethodException {
    }

    @Test
    void givesTheNamesTheProviderGivesAndAsksItOncePerMethod() throws Exception {
        Counting counting = new Counting();
        CachedParameterNames cached = new CachedParameterNames(counting);
        Constructor<Lookups> constructor = Lookups.class.getConstructor();

        List<String> expected = new JerseyParameterNameProvider().getParameterNames(get);
        assertThat(expected).containsExactly("path param id", "query param limit");
        for (int i = 0; i < 5; i++) {
            assertThat(cached.getParameterNames(get)).isEqualTo(expected);
            assertThat(cached.getParameterNames(Lookups.class.getMethod("get", String.class, String.class)))
                    .isEqualTo(expected);
            assertThat(cached.getParameterNames(constructor)).isEmpty();
        }
        assertThat(counting.asked.get(get)).hasValue(1);
        assertThat(counting.asked.get(constructor)).hasValue(1);
    }

    @Test
    void violationsNameParametersAsBeforeAndTheProviderIsAskedOnceWhateverTheCalls() {
        Counting counting = new Counting();
        Validator cached = Validation.byProvider(HibernateValidator.class).configure()
                .parameterNameProvider(new CachedParameterNames(counting)).buildValidatorFactory().getValidator();
        Validator uncached = Validation.byProvider(HibernateValidator.class).configure()
                .parameterNameProvider(new JerseyParameterNameProvider()).buildValidatorFactory().getValidator();
        Object[] bad = {"not-an-id", "ten"};

        List<String> before = paths(uncached.forExecutables().validateParameters(new Lookups(), get, bad));
        assertThat(before).containsExactlyInAnyOrder("get.path param id", "get.query param limit");
        // From many threads at once: every call sees the same names.
        List<List<String>> seen = IntStream.range(0, 200).parallel()
                .mapToObj(i -> paths(cached.forExecutables().validateParameters(new Lookups(), get, bad)))
                .toList();
        assertThat(seen).allSatisfy(paths -> assertThat(paths).containsExactlyInAnyOrderElementsOf(before));
        assertThat(counting.asked.get(get)).hasValue(1);
    }

    private static List<String> paths(Set<? extends ConstraintViolation<?>> violations) {
        List<String> paths = new ArrayList<>();
        violations.forEach(violation -> paths.add(violation.getPropertyPath().toString()));
        return paths;
    }
}
