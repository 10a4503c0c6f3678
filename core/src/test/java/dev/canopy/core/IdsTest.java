package dev.canopy.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.constraints.Pattern;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class IdsTest {
    private static final java.util.regex.Pattern REGEX = java.util.regex.Pattern.compile(Ids.PATTERN);

    /** Ids, ids with one character changed to anything, and strings near an id's length from a wide alphabet. */
    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> ids = Arbitraries.create(Ids::next);
        Arbitrary<String> changed = ids.flatMap(id -> Arbitraries.integers().between(0, 25).flatMap(at ->
                Arbitraries.chars().range('\u0000', '\u0200').map(c -> id.substring(0, at) + c + id.substring(at + 1))));
        Arbitrary<String> near = Arbitraries.strings().withChars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghjkmnpqrstvwxyz8-\n")
                .ofMinLength(24).ofMaxLength(28);
        return Arbitraries.oneOf(ids, changed, near, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 20000)
    void answersAsTheRegularExpressionDoes(@ForAll("candidates") String candidate) {
        Matcher matcher = REGEX.matcher(candidate);
        assertThat(Ids.isUlid(candidate)).as(candidate).isEqualTo(matcher.matches());
    }

    @Test
    void isThePatternTheGeneratedApisPutOnAnId() throws Exception {
        Pattern onPath = dev.canopy.api.parent.ServicesApi.class.getMethod("getService", String.class)
                .getParameters()[0].getAnnotation(Pattern.class);
        assertThat(onPath.regexp()).isEqualTo(Ids.PATTERN);
        assertThat(Ids.isUlid(Ids.next())).isTrue();
        assertThat(Ids.isUlid("8" + Ids.next().substring(1))).as("beyond the 48-bit time").isFalse();
        assertThat(Ids.isUlid(Ids.next().toLowerCase())).isFalse();
        assertThat(Ids.isUlid(Ids.next().substring(0, 25) + "I")).as("I, L, O: Crockford's aliases, not canonical").isFalse();
        assertThat(Ids.isUlid(null)).isFalse();
    }
}
