package dev.canopy.core.testing.hostile;

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
     * Before authentication: every request goes without credentials, and a row asking for any other
     * credential than {@link Credential#VALID} is a mistake in the suite.
     */
    CredentialHeaders NONE_YET = credential -> {
        if (credential != Credential.VALID) {
            throw new IllegalStateException("No credentials exist yet; a row cannot send " + credential);
        }
        return List.of();
    };

    /** {@code Authorization: Bearer <key>} for each credential, from {@code keys}. */
    static CredentialHeaders bearer(java.util.function.Function<Credential, String> keys) {
        return credential -> {
            String key = keys.apply(credential);
            return key == null ? List.of() : List.<String[]>of(new String[] {"Authorization", "Bearer " + key});
        };
    }
}
