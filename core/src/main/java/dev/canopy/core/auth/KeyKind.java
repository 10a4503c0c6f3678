package dev.canopy.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a key is for. The OpenAPI documents name the kinds an operation takes in {@code x-canopy-keys}
 * (in lower case); an admin key is taken everywhere.
 */
public enum KeyKind {
    ADMIN("auth.adminKeys", "CANOPY_ADMIN_KEYS"),
    CHILD("auth.childKeys", "CANOPY_CHILD_KEYS"),
    SERVICE("auth.serviceKeys", "CANOPY_SERVICE_KEYS"),
    READ("auth.readKeys", "CANOPY_READ_KEYS");

    private static final Map<String, KeyKind> BY_SPEC_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(KeyKind::specName, Function.identity()));

    private final String setting;
    private final String environmentVariable;
    /** Asked for on every guarded request (the role a key is checked against): made once. */
    private final String specName;

    KeyKind(String setting, String environmentVariable) {
        this.setting = setting;
        this.environmentVariable = environmentVariable;
        this.specName = name().toLowerCase(Locale.ROOT);
    }

    /** As the documents write it: {@code child}. */
    public String specName() {
        return specName;
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
        KeyKind kind = name == null ? null : BY_SPEC_NAME.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("unknown kind of key '" + name + "'");
        }
        return kind;
    }
}
