package dev.canopy.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyAuthenticatorTest {
    private static final String ADMIN = "admin-key-0123456789abcdef";
    private static final String CHILD = "child-key-0123456789abcdef";
    private static final String HASHED_CHILD = "hashed-child-key-0123456789";
    private static final String READ = "read-key-0123456789abcdef";

    private final KeyAuthenticator authenticator = new KeyAuthenticator(Map.of(
            KeyKind.ADMIN, Keys.parse(ADMIN),
            KeyKind.CHILD, Keys.parse(CHILD + ",sha256:" + HexFormat.of().formatHex(Keys.sha256(HASHED_CHILD))),
            KeyKind.READ, Keys.parse(READ + "," + ADMIN)));

    @Test
    void findsAKeyGivenAsItselfOrAsItsHashAndNamesItByWhereItIsConfigured() {
        KeyPrincipal child = authenticator.authenticate(CHILD).orElseThrow();
        assertThat(child.getName()).isEqualTo("auth.childKeys[0]");
        assertThat(child.kinds()).containsExactly(KeyKind.CHILD);

        KeyPrincipal hashed = authenticator.authenticate(HASHED_CHILD).orElseThrow();
        assertThat(hashed.getName()).isEqualTo("auth.childKeys[1]");
        assertThat(hashed.actsAs(KeyKind.CHILD)).isTrue();
        assertThat(hashed.actsAs(KeyKind.READ)).isFalse();
    }

    @Test
    void aKeyListedTwiceHasBothKindsAndTheFirstName() {
        KeyPrincipal admin = authenticator.authenticate(ADMIN).orElseThrow();
        assertThat(admin.getName()).isEqualTo("auth.adminKeys[0]");
        assertThat(admin.kinds()).containsExactlyInAnyOrder(KeyKind.ADMIN, KeyKind.READ);
        assertThat(admin.actsAs(KeyKind.SERVICE)).as("an admin key does for every kind").isTrue();
    }

    @Test
    void knowsNothingElse() {
        assertThat(authenticator.authenticate("child-key-0123456789abcdeF")).isEmpty();
        assertThat(authenticator.authenticate(CHILD + " ")).isEmpty();
        assertThat(authenticator.authenticate("sha256:" + HexFormat.of().formatHex(Keys.sha256(HASHED_CHILD))))
                .as("a configured hash is not a key").isEmpty();
        assertThat(authenticator.authenticate("")).isEmpty();
    }

    @Test
    void aKeyChangesOnlyWhatItOwnsUnlessItIsAnAdminKey() {
        KeyPrincipal child = authenticator.authenticate(CHILD).orElseThrow();
        KeyPrincipal admin = authenticator.authenticate(ADMIN).orElseThrow();

        assertThat(child.mayChange(child.owner())).isTrue();
        assertThat(child.mayChange("auth.childKeys[1]")).isFalse();
        assertThat(child.mayChange(null)).as("an entry with no owner is an admin's to change").isFalse();
        assertThat(admin.mayChange("auth.childKeys[1]")).isTrue();
        assertThat(admin.mayChange(null)).isTrue();
    }
}
