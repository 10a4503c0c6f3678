package dev.canopy.core.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Pattern;
import java.util.function.Predicate;
import org.hibernate.validator.internal.constraintvalidators.bv.PatternValidator;

/**
 * Hibernate Validator's {@code @Pattern} validator, except that a value of one of the
 * {@link ContractPatterns} that matches is let through by the check by hand. Everything else (any
 * other pattern, a value that does not match) is decided by the stock validator, so every violation
 * and its message are exactly Hibernate Validator's.
 */
public final class ContractPatternValidator implements ConstraintValidator<Pattern, CharSequence> {
    private final PatternValidator stock = new PatternValidator();
    private Predicate<String> handWritten;

    @Override
    public void initialize(Pattern pattern) {
        stock.initialize(pattern);
        handWritten = ContractPatterns.handWritten(pattern);
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        if (handWritten != null && value instanceof String text && handWritten.test(text)) {
            return true;
        }
        return stock.isValid(value, context);
    }
}
