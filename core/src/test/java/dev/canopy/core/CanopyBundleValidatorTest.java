package dev.canopy.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.ServiceChangeBatch;
import dev.canopy.api.model.ServiceChangeOp;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.core.validation.ContractPatternValidator;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.metadata.ConstraintDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The apps' validator against Dropwizard's own: the contract's patterns checked by hand, the same answers. */
class CanopyBundleValidatorTest {
    private final Validator canopy = CanopyBundle.validatorFactory().getValidator();
    private final Validator stock = Validators.newValidator();

    @Test
    void aPatternIsCheckedByTheContractsValidator() {
        Set<ConstraintDescriptor<?>> onUrl = canopy.getConstraintsForClass(LocalServiceRegistration.class)
                .getConstraintsForProperty("url").getConstraintDescriptors();
        assertThat(onUrl).filteredOn(d -> d.getAnnotation() instanceof jakarta.validation.constraints.Pattern)
                .singleElement()
                .satisfies(d -> assertThat(List.<Class<?>>copyOf(d.getConstraintValidatorClasses()))
                        .containsExactly(ContractPatternValidator.class));
    }

    @Test
    void everyBodyGetsTheViolationsDropwizardsValidatorGives() {
        List<String> urls = List.of("http://svc.example:8080/", "https://[::1]/a?b#c", "ftp://svc.example/",
                "http://user@svc.example/", "http://svc example/", "http://svc.example/\n", "http://", "HTTPS://A",
                "http:/svc.example", "x".repeat(3000));
        List<String> ids = List.of(Ids.next(), "01jd5z8q3m7w8y6kx2t4r9b1ce", "8" + Ids.next().substring(1), "");
        for (String url : urls) {
            for (String id : ids) {
                LocalServiceRegistration registration = new LocalServiceRegistration(url).info(Map.of()).id(id);
                assertThat(described(canopy.validate(registration))).as(url + " " + id)
                        .isEqualTo(described(stock.validate(registration)));
                ServiceChangeBatch batch = new ServiceChangeBatch(List.of(
                        new ServiceChangeRequest(ServiceChangeOp.UPSERT, id).url(url)));
                assertThat(described(canopy.validate(batch))).as(url + " " + id)
                        .isEqualTo(described(stock.validate(batch)));
            }
        }
        assertThat(described(canopy.validate(new LocalServiceRegistration("ftp://x.example/"))))
                .as("a violation is still found").hasSize(1);
    }

    private static <T> Set<String> described(Set<ConstraintViolation<T>> violations) {
        return violations.stream()
                .map(v -> v.getPropertyPath() + " | " + v.getMessage() + " | " + v.getMessageTemplate() + " | "
                        + v.getInvalidValue() + " | " + v.getConstraintDescriptor().getAnnotation().annotationType())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
