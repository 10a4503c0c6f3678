package dev.canopy.core.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of keys from the configuration: comma-separated in one string (what an environment variable
 * holds) or a YAML list. Each entry is the key itself or {@code sha256:} and the 64 hex digits of its
 * SHA-256 hash, so a config file need not hold the key. Only hashes are kept; nothing here ever
 * prints a key or a hash, not even {@link #toString()}.
 */
public final class Keys {
    /** Shorter keys are guessable; {@code openssl rand -hex 32} makes 64 characters. */
    public static final int MIN_LENGTH = 16;
    private static final String HASH_PREFIX = "sha256:";
    /** RFC 6750's b64token: what a Bearer credential may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Keys NONE = new Keys(List.of());

    private final List<byte[]> hashes;

    private Keys(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    public static Keys none() {
        return NONE;
    }

    /**
     * @throws IllegalArgumentException naming the entry by its position, never by its value, if one
     *                                  is neither a key nor a {@code sha256:} hash
     */
    public static Keys parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        return of(List.of(commaSeparated.split(",", -1)));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Keys fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (node.isArray()) {
            List<String> entries = new ArrayList<>();
            node.forEach(entry -> entries.add(entry.asText()));
            return of(entries);
        }
        return parse(node.asText());
    }

    private static Keys of(List<String> entries) {
        List<byte[]> hashes = new ArrayList<>();
        int position = 0;
        for (String raw : entries) {
            position++;
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            hashes.add(hashOf(entry, position, entries.size()));
        }
        return new Keys(hashes);
    }

    private static byte[] hashOf(String entry, int position, int count) {
        String where = "entry " + position + " of " + count;
        if (entry.regionMatches(true, 0, HASH_PREFIX, 0, HASH_PREFIX.length())) {
            String hex = entry.substring(HASH_PREFIX.length());
            if (!HEX_HASH.matcher(hex).matches()) {
                throw new IllegalArgumentException(where + " starts with sha256: but is not followed by 64 hex digits");
            }
            return HexFormat.of().parseHex(hex.toLowerCase());
        }
        if (!TOKEN.matcher(entry).matches()) {
            throw new IllegalArgumentException(where + " has characters a Bearer key cannot carry; use letters, "
                    + "digits and - . _ ~ + / (e.g. from `openssl rand -hex 32`)");
        }
        if (entry.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(where + " is " + entry.length() + " characters long; a key needs at "
                    + "least " + MIN_LENGTH + " (e.g. from `openssl rand -hex 32`)");
        }
        return sha256(entry);
    }

    /**
     * One SHA-256 per thread: every guarded request hashes its key, and {@code MessageDigest.getInstance}
     * looks the provider up anew each time. {@code digest} resets it, and it holds nothing of a key after.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    /** The SHA-256 of a key as sent: what a configured key is compared with. */
    static byte[] sha256(String key) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        return sha.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The hashes, in the order configured. */
    List<byte[]> hashes() {
        return hashes;
    }

    public int size() {
        return hashes.size();
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    @Override
    public String toString() {
        return "Keys[" + hashes.size() + "]";
    }
}
