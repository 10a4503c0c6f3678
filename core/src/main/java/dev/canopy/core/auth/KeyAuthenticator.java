package dev.canopy.core.auth;

import io.dropwizard.auth.Authenticator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the configured key a request presents. The presented key is hashed with SHA-256 and compared
 * with every configured hash with {@link MessageDigest#isEqual}, always all of them: how long it takes
 * says nothing about how much of a key was right, or which one matched.
 */
public final class KeyAuthenticator implements Authenticator<String, KeyPrincipal> {
    private record Entry(String name, KeyKind kind, byte[] hash) {
    }

    private final List<Entry> entries;

    /** @param keys each kind's keys; an entry is named after its kind's setting and position */
    public KeyAuthenticator(Map<KeyKind, Keys> keys) {
        List<Entry> all = new ArrayList<>();
        for (KeyKind kind : KeyKind.values()) {
            List<byte[]> hashes = keys.getOrDefault(kind, Keys.none()).hashes();
            for (int i = 0; i < hashes.size(); i++) {
                all.add(new Entry(kind.setting() + "[" + i + "]", kind, hashes.get(i)));
            }
        }
        this.entries = List.copyOf(all);
    }

    @Override
    public Optional<KeyPrincipal> authenticate(String presented) {
        byte[] hash = Keys.sha256(presented);
        String name = null;
        Set<KeyKind> kinds = EnumSet.noneOf(KeyKind.class);
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(hash, entry.hash())) {
                // The first listing names it (admin before the others): one key, one owner name.
                name = name == null ? entry.name() : name;
                kinds.add(entry.kind());
            }
        }
        return name == null ? Optional.empty() : Optional.of(new KeyPrincipal(name, kinds));
    }

    /** Are any keys configured of {@code kind}? */
    public boolean hasKeys(KeyKind kind) {
        return entries.stream().anyMatch(entry -> entry.kind() == kind);
    }
}
