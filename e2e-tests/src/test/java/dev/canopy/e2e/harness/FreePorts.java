package dev.canopy.e2e.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports nobody listens on, for apps that are started later (a parent's port is handed to its children
 * before the parent runs).
 *
 * <p>Ports come from below 32768, outside the ephemeral range Linux (32768-60999) and macOS
 * (49152-65535) draw outgoing connections' local ports from: a port the OS picked for us with
 * {@code new ServerSocket(0)} could be taken by any outgoing connection before the app binds it.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port found between " + LOWEST + " and " + HIGHEST);
    }

    /** The apps bind every interface, so the port must be free on every interface, not only loopback. */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
