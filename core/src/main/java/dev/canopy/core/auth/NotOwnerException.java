package dev.canopy.core.auth;

/**
 * A caller asked to change an entry another key owns (see {@link Caller}); answered 403 and nothing
 * changes. Thrown by the registries, which check ownership under the same lock as the change.
 */
public final class NotOwnerException extends RuntimeException {
    public NotOwnerException(String what) {
        super(what + " belongs to another key; only that key or an admin key may change it", null, false, false);
    }
}
