package dev.canopy.e2e.harness;

/** What a child orchestrator serves: a region or a domain. */
public record Scope(String region, String domain) {
    public static Scope region(String region) {
        return new Scope(region, null);
    }

    public static Scope domain(String domain) {
        return new Scope(null, domain);
    }

    /** The region, or else the domain. */
    public String label() {
        return region != null ? region : domain;
    }
}
