package dev.canopy.core.registry;

/**
 * How many services one orchestrator holds and the {@link ServicesDigest} of that set, as one
 * immutable value: a reader that takes it gets a count and a digest of the same set, never the count
 * of one state and the digest of the next, without taking the registry's lock.
 */
public record Holding(int count, long digest) {
    /** What an orchestrator that holds nothing holds. */
    public static final Holding NONE = new Holding(0, 0L);

    public Holding {
        if (count < 0) {
            throw new IllegalArgumentException("a count of services cannot be negative: " + count);
        }
    }

    /** The same set with the service whose hash is {@code serviceDigest} added. */
    Holding with(long serviceDigest) {
        return new Holding(count + 1, digest ^ serviceDigest);
    }

    /** The same set without the service whose hash is {@code serviceDigest}. */
    Holding without(long serviceDigest) {
        return new Holding(count - 1, digest ^ serviceDigest);
    }

    /** The same set with one service changed in place, from hash {@code before} to {@code after}. */
    Holding replacing(long before, long after) {
        return new Holding(count, digest ^ before ^ after);
    }

    /** The digest as the contract writes it. */
    public String formattedDigest() {
        return ServicesDigest.format(digest);
    }
}
