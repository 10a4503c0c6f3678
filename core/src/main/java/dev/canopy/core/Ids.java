package dev.canopy.core;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;

/** Registry ids: monotonic ULIDs, so that ids created in one process sort in creation order. */
public final class Ids {
    private Ids() {
    }

    public static String next() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    /** True for a canonical (upper-case) ULID, the only form Canopy hands out and accepts. */
    public static boolean isUlid(String candidate) {
        return candidate != null && Ulid.isValid(candidate) && candidate.equals(candidate.toUpperCase(java.util.Locale.ROOT));
    }
}
