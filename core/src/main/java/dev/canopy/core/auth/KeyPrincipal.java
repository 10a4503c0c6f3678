package dev.canopy.core.auth;

import java.security.Principal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The holder of a configured key, named after where the key is configured ({@code auth.childKeys[1]}),
 * never after the key itself: the name is safe for logs and problem details. An admin key may change
 * every entry; any other key only the entries it created.
 */
public final class KeyPrincipal implements Principal, Caller {
    private final String name;
    private final Set<KeyKind> kinds;

    KeyPrincipal(String name, Set<KeyKind> kinds) {
        this.name = Objects.requireNonNull(name, "name");
        this.kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    @Override
    public String getName() {
        return name;
    }

    /** The kinds this key was configured as (one key may be listed under several). */
    public Set<KeyKind> kinds() {
        return kinds;
    }

    public boolean isAdmin() {
        return kinds.contains(KeyKind.ADMIN);
    }

    /** Does this key do for an operation that takes {@code kind}? An admin key does for all. */
    public boolean actsAs(KeyKind kind) {
        return isAdmin() || kinds.contains(kind);
    }

    @Override
    public String owner() {
        return name;
    }

    @Override
    public boolean mayChange(String owner) {
        return isAdmin() || name.equals(owner);
    }

    @Override
    public String toString() {
        return name;
    }
}
