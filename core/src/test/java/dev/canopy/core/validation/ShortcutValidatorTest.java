package dev.canopy.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.executable.ExecutableValidator;
import jakarta.validation.groups.Default;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShortcutValidatorTest {
    /** A body to cascade into. */
    public static final class Body {
        @NotNull
        public String url;

        Body(String url) {
            this.url = url;
        }
    }

    /** Constraints on the interface, as the generated APIs declare them. */
    public interface Api {
        String byId(@Pattern(regexp = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$") String id,
                    @Pattern(regexp = "^[a-z]+$", flags = Pattern.Flag.CASE_INSENSITIVE) String name, Integer limit);

        String sized(@Pattern(regexp = "^[a-z]+$") @Size(max = 3) String name);

        String body(@Pattern(regexp = "^[a-z]+$") String name, @Valid Body body);

        String plain(String anything);

        String other(@Email String address);

        @NotNull
        String constrainedAnswer(@Pattern(regexp = "^[a-z]+$") String name);
    }

    /** Stands for a resource. */
    public static final class Resource implements Api {
        @Override
        public String byId(String id, String name, Integer limit) {
            return id;
        }

        @Override
        public String sized(String name) {
            return name;
        }

        @Override
        public String body(String name, Body body) {
            return name;
        }

        @Override
        public String plain(String anything) {
            return anything;
        }

        @Override
        public String other(String address) {
            return address;
        }

        @Override
        public String constrainedAnswer(String name) {
            return null;
        }
    }

    private static final String ULID = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";

    private final Validator hibernate = Validation.buildDefaultValidatorFactory().getValidator();
    /** Every call that reaches Hibernate Validator's executable validator, by method name. */
    private final List<String> delegated = new CopyOnWriteArrayList<>();
    private final ShortcutValidator validator = new ShortcutValidator(counting(hibernate));
    private final Resource resource = new Resource();

    private Validator counting(Validator validator) {
        ExecutableValidator executables = validator.forExecutables();
        ExecutableValidator countingExecutables = (ExecutableValidator) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ExecutableValidator.class}, (proxy, method, args) -> {
                    delegated.add(method.getName());
                    return method.invoke(executables, args);
                });
        return (Validator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Validator.class},
                (proxy, method, args) -> method.getName().equals("forExecutables")
                        ? countingExecutables : method.invoke(validator, args));
    }

    private static Method method(String name) {
        return List.of(Resource.class.getMethods()).stream().filter(m -> m.getName().equals(name)
                && m.getDeclaringClass() == Resource.class).findFirst().orElseThrow();
    }

    /** What a violation says, so the wrapper's and Hibernate Validator's can be compared. */
    private static Set<String> described(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> v.getPropertyPath() + ": " + v.getMessageTemplate() + " = " + v.getInvalidValue())
                .collect(Collectors.toSet());
    }

    private Set<String> both(String method, Object... values) {
        Set<String> ours = described(validator.forExecutables().validateParameters(resource, method(method), values));
        Set<String> theirs = described(hibernate.forExecutables().validateParameters(resource, method(method), values));
        assertThat(ours).as("%s%s", method, Arrays.asList(values)).isEqualTo(theirs);
        return ours;
    }

    @Test
    void matchingPatternsAreAnsweredWithoutHibernateValidator() {
        assertThat(both("byId", ULID, "Name", 5)).isEmpty();
        assertThat(both("byId", null, null, null)).isEmpty();
        assertThat(both("plain", "anything at all")).isEmpty();
        assertThat(delegated).isEmpty();
    }

    @Test
    void aValueThatDoesNotMatchGetsHibernateValidatorsViolation() {
        assertThat(both("byId", "01JD5Z8Q3M7W8Y6KX2T4R9B1CU", "Name", 5)).hasSize(1);
        assertThat(both("byId", ULID, "two words", 5)).singleElement().asString().startsWith("byId.name");
        assertThat(delegated).containsExactly("validateParameters", "validateParameters");
    }

    @Test
    void aSizeAndABodyArePlainConstraintsToo() {
        assertThat(both("sized", "abc")).isEmpty();
        assertThat(both("body", "abc", new Body("http://a"))).isEmpty();
        assertThat(delegated).isEmpty();
        assertThat(both("sized", "abcd")).hasSize(1);
        assertThat(both("body", "abc", new Body(null))).singleElement().asString().startsWith("body.body.url");
        assertThat(delegated).hasSize(2);
    }

    @Test
    void anyOtherConstraintGoesToHibernateValidator() {
        assertThat(both("other", "someone@example.com")).isEmpty();
        assertThat(both("other", "nobody")).hasSize(1);
        assertThat(delegated).hasSize(2);
    }

    @Test
    void otherGroupsGoToHibernateValidator() {
        validator.forExecutables().validateParameters(resource, method("byId"), new Object[] {ULID, "a", 1}, Default.class);
        assertThat(delegated).isEmpty();
        validator.forExecutables().validateParameters(resource, method("byId"), new Object[] {ULID, "a", 1}, Size.class);
        assertThat(delegated).containsExactly("validateParameters");
    }

    @Test
    void onlyAConstrainedReturnValueIsChecked() {
        assertThat(validator.forExecutables().validateReturnValue(resource, method("byId"), ULID)).isEmpty();
        assertThat(validator.forExecutables().validateReturnValue(resource, method("plain"), "x")).isEmpty();
        assertThat(delegated).isEmpty();
        assertThat(validator.forExecutables().validateReturnValue(resource, method("constrainedAnswer"), null))
                .hasSize(1);
        assertThat(delegated).containsExactly("validateReturnValue");
    }
}
