package dev.canopy.e2e.harness;

/** The faults the reliability figures cover, in the order of their table, each with the test that injects it. */
public enum Fault {
    PARENT_KILLED_UNDER_LOAD("ParentCrashIT",
            "kill -9 the parent while 3 children take 1,000 registrations; restart it on the same port",
            "restarted parent healthy (and load done) → parent's sets equal the children's"),
    CHILD_KILLED("ChildCrashIT",
            "kill -9 one of 2 children",
            "kill → the child and all its services evicted at the parent, the other child intact"),
    SERVICE_KILLED("ServiceCrashIT",
            "kill -9 one of 2 example services",
            "kill → evicted at its child and at the parent, the other service intact"),
    CHILD_STARTED_BEFORE_PARENT("StartupOrderIT",
            "2 children started 10 s before their parent",
            "parent healthy → parent holds both children and all their services"),
    PARENT_RESTARTED_TWICE("StartupOrderIT",
            "kill -9, start, kill -9, start the parent",
            "second restart healthy → parent's sets equal the children's"),
    PARENT_SLOW_THEN_UNAVAILABLE("SlowParentIT",
            "parent behind a proxy: 3 s delay for 6 s, then 503 for 6 s, then healthy",
            "proxy healthy again → parent's sets equal the children's"),
    SERVICE_STOPPED("GracefulShutdownIT",
            "SIGTERM an example service (TTL 30 s)",
            "signal → gone at its child and at the parent"),
    CHILD_STOPPED("GracefulShutdownIT",
            "SIGTERM a child (TTL 30 s)",
            "signal → the child and its services gone at the parent");

    private final String test;
    private final String description;
    private final String convergence;

    Fault(String test, String description, String convergence) {
        this.test = test;
        this.description = description;
        this.convergence = convergence;
    }

    /** The simple name of the test class that injects it. */
    public String test() {
        return test;
    }

    public String description() {
        return description;
    }

    /** What "converged" means for this fault, and from when it is timed. */
    public String convergence() {
        return convergence;
    }
}
