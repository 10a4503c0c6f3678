package dev.canopy.e2e.harness;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of one topology, fresh for each as {@code run-local.sh} makes them: an admin key (what the
 * tests act with), one child key per child, and one key for the services. The parent is told every
 * child key up front, since children may start after it.
 */
public final class TopologyKeys {
    private static final int CHILD_KEYS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String admin = random();
    private final String service = random();
    private final List<String> childKeys = new ArrayList<>();
    private final Map<String, String> childKeyByName = new ConcurrentHashMap<>();

    TopologyKeys() {
        for (int i = 0; i < CHILD_KEYS; i++) {
            childKeys.add(random());
        }
    }

    /** 32 random bytes in hex, as {@code openssl rand -hex 32} makes them. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public String admin() {
        return admin;
    }

    public String service() {
        return service;
    }

    /** The key of the child named {@code childName}: the same each time it is (re)started. */
    public String child(String childName) {
        return childKeyByName.computeIfAbsent(childName, name -> {
            int next = childKeyByName.size();
            if (next >= childKeys.size()) {
                throw new IllegalStateException("A topology has child keys for " + childKeys.size() + " children");
            }
            return childKeys.get(next);
        });
    }

    /** CANOPY_CHILD_KEYS for the parent. */
    String allChildKeys() {
        return String.join(",", childKeys);
    }

    /** Every key, for a test that checks none reached a log. */
    public List<String> all() {
        List<String> all = new ArrayList<>(childKeys);
        all.add(admin);
        all.add(service);
        return all;
    }
}
