package dev.canopy.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.api.model.ServiceChangeRequest;
import dev.canopy.core.Ids;
import jakarta.validation.constraints.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ContractPatternsTest {
    private static final java.util.regex.Pattern URL_REGEX = java.util.regex.Pattern.compile(ContractPatterns.HTTP_URL);

    /** Characters either side of every class boundary in the expression, and a few beyond ASCII. */
    private static final String EDGES = "aZ09.-_:/?#@[]%~ \t\n\u000B\f\r\u0000\u001F\u007F\u0080\u0085\u00A0é\u2028\uD83D\uDE00\uDC00sShHtTpP";

    private static final java.util.regex.Pattern ID_REGEX = java.util.regex.Pattern.compile(Ids.PATTERN);

    /** Each of the strings with one character changed to anything from the first 512. */
    private static Arbitrary<String> oneChanged(Arbitrary<String> strings) {
        return strings.flatMap(s -> s.isEmpty() ? Arbitraries.just(s) : Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(at -> Arbitraries.chars().range('\u0000', '\u0200').map(c -> s.substring(0, at) + c + s.substring(at + 1))));
    }

    /** Urls put together around the expression's classes, urls with one character changed, and any strings. */
    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> scheme = Arbitraries.of("http://", "https://", "HTTP://", "hTtPs://", "http:/", "https:", "httpss://",
                "ftp://", "http//", "", "https://@", "http:///");
        Arbitrary<String> host = Arbitraries.strings().withChars(EDGES).ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> rest = Arbitraries.strings().withChars(EDGES).ofMinLength(0).ofMaxLength(16);
        Arbitrary<String> urls = Combinators.combine(scheme, host, Arbitraries.of("", "/", "?", "#", ":8080/"), rest)
                .as((s, h, sep, r) -> s + h + sep + r);
        Arbitrary<String> plain = Arbitraries.of("http://svc-1.bench.example:8080/", "https://[::1]:8443/a?b#c",
                "http://localhost", "http://a", "http://a\n", "http://a/\n", "http://a b/", "http://a/b c", "https://x@y/");
        return Arbitraries.oneOf(urls, oneChanged(urls), plain, Arbitraries.strings().ofMaxLength(20));
    }

    /** Ids, ids with one character changed, and strings near an id's length from a wide alphabet. */
    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> ids = Arbitraries.create(Ids::next);
        Arbitrary<String> near = Arbitraries.strings().withChars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghjkmnpqrstvwxyz8-\n")
                .ofMinLength(24).ofMaxLength(28);
        return Arbitraries.oneOf(ids, oneChanged(ids), near, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 20000)
    void aUrlIsCheckedByHandAsTheRegularExpressionChecksIt(@ForAll("urls") String candidate) {
        assertThat(ContractPatterns.isHttpUrl(candidate)).as(candidate).isEqualTo(URL_REGEX.matcher(candidate).matches());
    }

    @Property(tries = 20000)
    void anIdIsCheckedByHandAsTheRegularExpressionChecksIt(@ForAll("ids") String candidate) {
        assertThat(Ids.isUlid(candidate)).as(candidate).isEqualTo(ID_REGEX.matcher(candidate).matches());
    }

    @Test
    void theUrlPatternIsTheOneTheGeneratedModelsCarry() throws Exception {
        for (Class<?> model : new Class<?>[] {LocalServiceRegistration.class, ServiceChangeRequest.class,
                OrchestratorRegistration.class}) {
            Pattern onUrl = model.getMethod("getUrl").getAnnotation(Pattern.class);
            assertThat(onUrl.regexp()).as(model.getSimpleName()).isEqualTo(ContractPatterns.HTTP_URL);
            assertThat(ContractPatterns.handWritten(onUrl)).as(model.getSimpleName()).isNotNull();
        }
        Pattern onId = LocalServiceRegistration.class.getMethod("getId").getAnnotation(Pattern.class);
        assertThat(onId.regexp()).isEqualTo(Ids.PATTERN);
        assertThat(ContractPatterns.handWritten(onId).test(Ids.next())).isTrue();
        assertThat(ContractPatterns.isHttpUrl(null)).isFalse();
    }

    @Test
    void anyOtherPatternIsARegularExpressionWithItsFlags() throws Exception {
        Pattern caseless = Holder.class.getDeclaredField("caseless").getAnnotation(Pattern.class);
        assertThat(ContractPatterns.handWritten(caseless)).isNull();
        assertThat(ContractPatterns.matcher(caseless).test("ABC")).isTrue();
        assertThat(ContractPatterns.matcher(caseless).test("ab1")).isFalse();
        Pattern urlWithFlags = Holder.class.getDeclaredField("urlWithAFlag").getAnnotation(Pattern.class);
        assertThat(ContractPatterns.handWritten(urlWithFlags)).as("a flag changes what the expression means").isNull();
    }

    static final class Holder {
        @Pattern(regexp = "^[a-z]+$", flags = Pattern.Flag.CASE_INSENSITIVE)
        String caseless;

        @Pattern(regexp = ContractPatterns.HTTP_URL, flags = Pattern.Flag.MULTILINE)
        String urlWithAFlag;
    }
}
