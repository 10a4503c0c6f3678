package dev.canopy.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.InvalidParam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InfoLimitsTest {
    @Test
    void acceptsWhatServicesReallySend() {
        Map<String, Object> info = Map.of("display_name", "US Payment Service", "version", "1.0.0",
                "tags", List.of("pci", "eu"), "owner", Map.of("team", "payments", "oncall", Map.of("rota", "a\tb\nc")),
                "weight", 1.5, "port", 8001, "big", new java.math.BigInteger("123456789012345678901234567890"));

        assertThat(InfoLimits.violations("body.info", info)).isEmpty();
        assertThat(InfoLimits.violations("body.info", null)).isEmpty();
        assertThat(InfoLimits.violations("body.info", Map.of())).isEmpty();
    }

    @Test
    void refusesNestingBeyondFourLevels() {
        Map<String, Object> four = Map.of("a", Map.of("b", List.of(Map.of("d", 1))));
        Map<String, Object> five = Map.of("a", Map.of("b", List.of(Map.of("d", List.of()))));

        assertThat(InfoLimits.violations("body.info", four)).isEmpty();
        assertThat(names(InfoLimits.violations("body.info", five))).containsExactly("body.info.a.b[0].d");
        assertThat(InfoLimits.violations("body.info", five).get(0).getReason()).contains("nested too deep");
    }

    @Test
    void refusesTooManyEntriesAtAnyLevel() {
        Map<String, Object> wide = new LinkedHashMap<>();
        IntStream.range(0, 33).forEach(i -> wide.put("k" + i, i));
        List<Integer> longList = IntStream.range(0, 33).boxed().toList();

        assertThat(names(InfoLimits.violations("body.info", Map.of("nested", wide))))
                .containsExactly("body.info.nested");
        assertThat(names(InfoLimits.violations("body.info", Map.of("list", longList))))
                .containsExactly("body.info.list");
        assertThat(InfoLimits.violations("body.info", Map.of("list", longList.subList(0, 32)))).isEmpty();
    }

    @Test
    void refusesLongOrBrokenKeysWithoutEchoingThem() {
        String longKey = "k".repeat(65);
        List<InvalidParam> found = InfoLimits.violations("body.info", Map.of(longKey, 1));
        assertThat(names(found)).containsExactly("body.info");
        assertThat(found.get(0).getReason()).contains("65 characters").doesNotContain(longKey);

        assertThat(names(InfoLimits.violations("body.info", Map.of("", 1)))).containsExactly("body.info");
        assertThat(names(InfoLimits.violations("body.info", Map.of("a\nb", 1)))).containsExactly("body.info");
        assertThat(names(InfoLimits.violations("body.info", Map.of("a\u001b[31m", 1)))).containsExactly("body.info");
        assertThat(InfoLimits.violations("body.info", Map.of("k".repeat(64), 1))).isEmpty();
    }

    @Test
    void refusesLongStringsControlCharactersAndUnpairedSurrogates() {
        assertThat(InfoLimits.violations("body.info", Map.of("s", "x".repeat(1024)))).isEmpty();
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "x".repeat(1025)))))
                .containsExactly("body.info.s");
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "a\u0000b")))).containsExactly("body.info.s");
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "\u001b[2J")))).containsExactly("body.info.s");
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "\u0085")))).containsExactly("body.info.s");
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "\ud800")))).containsExactly("body.info.s");
        assertThat(names(InfoLimits.violations("body.info", Map.of("s", "a\udc00")))).containsExactly("body.info.s");
        assertThat(InfoLimits.violations("body.info", Map.of("s", "emoji \ud83d\ude00, line\r\nbreak\ttab"))).isEmpty();
    }

    @Test
    void holdsDisplayNameToOneShortLineOfText() {
        assertThat(InfoLimits.violations("body.info", Map.of("display_name", "n".repeat(256)))).isEmpty();
        for (Object bad : List.of("n".repeat(257), "", "two\nlines", "tab\there", 42, Map.of(), List.of("x"))) {
            assertThat(names(InfoLimits.violations("body.info", Map.of("display_name", bad))))
                    .as(String.valueOf(bad)).contains("body.info.display_name");
        }
    }

    @Test
    void refusesNumbersThatCannotBeWrittenBackAsNumbers() {
        assertThat(names(InfoLimits.violations("body.info", Map.of("n", Double.POSITIVE_INFINITY))))
                .containsExactly("body.info.n");
        assertThat(names(InfoLimits.violations("body.info", Map.of("n", List.of(Double.NaN)))))
                .containsExactly("body.info.n[0]");
    }

    @Test
    void reportsAHostileBodyBriefly() {
        Map<String, Object> info = new LinkedHashMap<>();
        IntStream.range(0, 30).forEach(i -> info.put("s" + i, "\u0000"));

        List<InvalidParam> found = InfoLimits.violations("body.info", info);

        assertThat(found).hasSize(11);
        assertThat(found.get(10).getName()).isEqualTo("body.info");
        assertThat(found.get(10).getReason()).startsWith("breaks ").endsWith(" more limits");
    }

    private static List<String> names(List<InvalidParam> found) {
        return found.stream().map(InvalidParam::getName).toList();
    }
}
