package dev.canopy.core.auth;

import java.util.Locale;

/**
 * What a key is for. The OpenAPI documents name the kinds an operation takes in {@code x-canopy-keys}
 * (in lower case); an admin key is taken everywhere.
 */
public enum KeyKind {
    ADMIN("auth.adminKeys", "CANOPY_ADMIN_KEYS"),
    CHILD("auth.childKeys", "CANOPY_CHILD_KEYS"),
    SERVICE("auth.serviceKeys", "CANOPY_SERVICE_KEYS"),
    READ("auth.readKeys", "CANOPY_READ_KEYS");

    private final String setting;
    private final String environmentVariable;

    KeyKind(String setting, String environmentVariable) {
        this.setting = setting;
        this.environmentVariable = environmentVariable;
    }

    /** As the documents write it: {@code child}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The YAML key that lists these keys, e.g. {@code auth.childKeys}. */
    public String setting() {
        return setting;
    }

    /** The variable the apps' config.yml read it from, e.g. {@code CANOPY_CHILD_KEYS}. */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** @throws IllegalArgumentException for a name no kind has */
    public static KeyKind ofSpecName(String name) {
        for (KeyKind kind : values()) {
            if (kind.specName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind of key '" + name + "'");
    }
}
