package dev.canopy.core.auth;

import java.security.Principal;

/**
 * Who asks for a change, as the registries see it: the owner it stamps on the entries it creates, and
 * whether it may change an entry another caller created. An entry's owner is the key that created it
 * (its {@linkplain KeyPrincipal#getName() name}), and it lasts as long as the entry does.
 */
public interface Caller {
    /** With authentication disabled: anyone may change anything, and entries have no owner. */
    Caller UNRESTRICTED = new Unrestricted();

    /** Stamped on what this caller creates; null for {@link #UNRESTRICTED}. */
    String owner();

    /** May this caller change (update, renew, remove) an entry owned by {@code owner}? */
    boolean mayChange(String owner);

    final class Unrestricted implements Caller, Principal {
        private Unrestricted() {
        }

        @Override
        public String owner() {
            return null;
        }

        @Override
        public boolean mayChange(String owner) {
            return true;
        }

        @Override
        public String getName() {
            return "anyone";
        }

        @Override
        public String toString() {
            return "anyone (authentication disabled)";
        }
    }
}
