package dev.canopy.core.testing.hostile;

import dev.canopy.core.testing.TestKeys;
import java.util.List;

/**
 * The headers that carry a {@link Credential}: the one place that knows how a suite authenticates.
 * Each app's suite passes one to its {@link SuiteClient}.
 */
@FunctionalInterface
public interface CredentialHeaders {
    /** Headers as {name, value} pairs. */
    List<String[]> headersFor(Credential credential);

    /**
     * The suites' apps run with auth on and {@link TestKeys}: a valid row sends the admin key (allowed
     * everything, so a row tests only what it was written for), a forged one a key no app was given.
     */
    CredentialHeaders TEST_KEYS = bearer(credential -> switch (credential) {
        case VALID -> TestKeys.ADMIN;
        case NONE -> null;
        case FORGED -> "forged-key-0a1b2c3d4e5f6a7b";
        case OTHER_CHILD -> TestKeys.OTHER_CHILD;
    });

    /** {@code Authorization: Bearer <key>} for each credential, from {@code keys}. */
    static CredentialHeaders bearer(java.util.function.Function<Credential, String> keys) {
        return credential -> {
            String key = keys.apply(credential);
            return key == null ? List.of() : List.<String[]>of(new String[] {"Authorization", "Bearer " + key});
        };
    }
}
