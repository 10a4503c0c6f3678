package dev.canopy.core.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;

/**
 * An order-independent digest of a set of services: the XOR of one 64-bit hash per service (id, url
 * and info in canonical JSON). A child and its parent compute it the same way, so equal digests mean
 * equal sets, and the digest of a set is kept up to date in O(1) per change.
 */
public final class ServicesDigest {
    private static final ObjectWriter CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writer();
    /** {@code MessageDigest.getInstance} looks the provider up anew each time; one per thread is reset by digest(). */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ServicesDigest::sha256);
    private static final HexFormat HEX = HexFormat.of();

    private ServicesDigest() {
    }

    /** The hash one service contributes. */
    public static long of(String id, String url, Map<String, Object> info) {
        try {
            MessageDigest sha = SHA_256.get();
            sha.reset();
            sha.update(id.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(url.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(CANONICAL.writeValueAsBytes(info));
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot digest service " + id, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The digest of a whole set, as {@link #format formatted}. */
    public static String ofAll(Collection<ServiceRecord> services) {
        long digest = 0;
        for (ServiceRecord service : services) {
            digest ^= service.digest();
        }
        return format(digest);
    }

    public static String format(long digest) {
        return HEX.toHexDigits(digest);
    }
}
