package dev.canopy.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTest {
    private static final String ID = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";
    private static final String URL = "http://svc.example:8080/";

    @Test
    void aFrozenInfoKeepsOrderNullsAndNestingAndCannotBeChanged() throws Exception {
        Map<String, Object> info = sample();
        Map<String, Object> frozen = Info.freeze(info);

        assertThat(frozen).isEqualTo(info).hasSameHashCodeAs(info);
        assertThat(frozen.keySet()).containsExactly("version", "display_name", "nil", "nested");
        assertThat(frozen).containsEntry("nil", null).containsKey("nil").doesNotContainKey("absent");
        assertThat(frozen.get("absent")).isNull();
        assertThat(new ObjectMapper().writeValueAsString(frozen)).isEqualTo(new ObjectMapper().writeValueAsString(info));
        assertThatThrownBy(() -> frozen.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.remove("version")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) frozen.get("nested");
        assertThatThrownBy(() -> nested.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) nested.get("a")).add(1)).isInstanceOf(UnsupportedOperationException.class);

        info.put("version", "changed");
        assertThat(frozen).containsEntry("version", "1.0.0");
    }

    /**
     * A read must not store anything into a stored record's info: a view kept in a field of an old
     * object dirties a card that every young collection scans (docs/performance.md, scenario 4).
     */
    @Test
    void readingAFrozenInfoKeepsNoViewInIt() {
        Map<String, Object> frozen = Info.freeze(sample());

        assertThat(frozen.keySet()).isNotSameAs(frozen.keySet());
        assertThat(frozen.values()).isNotSameAs(frozen.values());
        assertThat(frozen.entrySet()).isNotSameAs(frozen.entrySet());
        assertThat(frozen.values()).containsExactly("1.0.0", "Ünïcode ☃", null, frozen.get("nested"));
        assertThat(frozen.keySet()).hasSize(4);
        var keys = frozen.keySet().iterator();
        for (int i = 0; i < 4; i++) {
            keys.next();
        }
        assertThatThrownBy(keys::next).isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> frozen.keySet().remove("version")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void freezingAFrozenInfoIsTheSameMap() {
        Map<String, Object> frozen = Info.freeze(sample());
        assertThat(Info.freeze(frozen)).isSameAs(frozen);
        assertThat(Info.freeze(null)).isEmpty();
        assertThat(Info.freeze(Map.of())).isEqualTo(Map.of());
    }

    /** Children and parents of different versions compare these: the values come from the version before. */
    @Test
    void theServiceDigestIsTheOneEarlierVersionsCompute() {
        assertThat(ServicesDigest.format(ServicesDigest.of(ID, URL, Info.freeze(sample())))).isEqualTo("c992278680e27123");
        assertThat(ServicesDigest.format(ServicesDigest.of(ID, URL, Info.freeze(Map.of())))).isEqualTo("c87995db646183fb");
        assertThat(ServiceRecord.of(ID, URL, sample(), null, java.time.Instant.EPOCH, java.time.Instant.EPOCH, null,
                null).digest()).isEqualTo(ServicesDigest.of(ID, URL, Info.freeze(sample())));
    }

    private static Map<String, Object> sample() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", Arrays.asList("x", null, 2.5));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", "1.0.0");
        info.put("display_name", "Ünïcode ☃");
        info.put("nil", null);
        info.put("nested", nested);
        return info;
    }
}
