package dev.canopy.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

/** Whether {@code Ids.isUlid} answers as the regular expression does is {@code ContractPatternsTest}'s property. */
class IdsTest {
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
