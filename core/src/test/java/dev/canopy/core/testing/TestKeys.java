package dev.canopy.core.testing;

import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Keys for tests, one per role a test plays. Each is long enough for the apps to accept it, and none
 * is a substring of another, so a test that looks for one in a log finds only that one.
 */
public final class TestKeys {
    public static final String ADMIN = "test-admin-key-4f1c2b9e7a3d";
    public static final String CHILD = "test-child-key-a-8e2d51c07b96";
    public static final String OTHER_CHILD = "test-child-key-b-3a9f60d4e1c2";
    public static final String SERVICE = "test-service-key-a-71be0c5d92fa";
    public static final String OTHER_SERVICE = "test-service-key-b-c4d83e1a5f07";
    public static final String READ = "test-read-key-5d2a9c8e1f34";

    private TestKeys() {
    }

    /** Sends {@code Authorization: Bearer <key>} with every request, unless the request sets its own. */
    public static ClientRequestFilter bearer(String key) {
        return request -> {
            if (!request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
                request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + key);
            }
        };
    }
}
