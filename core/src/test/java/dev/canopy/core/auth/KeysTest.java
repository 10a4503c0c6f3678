package dev.canopy.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void readsCommaSeparatedKeysAndHashesSkippingBlanks() {
        Keys keys = Keys.parse(" " + KEY + " ,, sha256:" + hex(Keys.sha256("another-key-0123456789")) + ",");

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.hashes().get(0)).isEqualTo(Keys.sha256(KEY));
        assertThat(keys.hashes().get(1)).isEqualTo(Keys.sha256("another-key-0123456789"));
        assertThat(Keys.parse("").isEmpty()).isTrue();
        assertThat(Keys.parse(null).isEmpty()).isTrue();
    }

    @Test
    void aHashMayBeWrittenInEitherCase() {
        String upper = "SHA256:" + hex(Keys.sha256(KEY)).toUpperCase();
        assertThat(Keys.parse(upper).hashes().get(0)).isEqualTo(Keys.sha256(KEY));
    }

    @Test
    void refusesShortKeysOddCharactersAndBrokenHashesWithoutRepeatingThem() {
        assertThatThrownBy(() -> Keys.parse(KEY + ",short-secret"))
                .hasMessageContaining("entry 2 of 2").hasMessageContaining("12 characters")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> Keys.parse("a key with spaces in it"))
                .hasMessageContaining("entry 1 of 1").hasMessageNotContaining("spaces");
        assertThatThrownBy(() -> Keys.parse("sha256:abc123"))
                .hasMessageContaining("64 hex digits").hasMessageNotContaining("abc123");
    }

    @Test
    void neverPrintsWhatItHolds() {
        Keys keys = Keys.parse(KEY);
        assertThat(keys.toString()).doesNotContain(KEY).doesNotContain(hex(Keys.sha256(KEY))).isEqualTo("Keys[1]");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
