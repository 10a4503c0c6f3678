package dev.canopy.core.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.function.Supplier;

/**
 * The caller of the request a resource is serving, for resources to pass to the registries. The
 * guard of an operation that takes a key sets it once the key passed, and it is cleared when the
 * answer leaves; Jersey serves a request's filters and resource method on one thread.
 *
 * <p>Dropwizard binds resource instances as constants, which Jersey does not inject {@code @Context}
 * fields into, and the resources implement generated interfaces whose methods take no extra
 * parameters: hence this, handed to each resource's constructor.
 */
public final class RequestCaller implements Supplier<Caller> {
    private final ThreadLocal<Caller> current = new ThreadLocal<>();

    /**
     * @throws IllegalStateException (a 500) outside an operation that takes a key: a change must
     *                               never be made on nobody's behalf
     */
    @Override
    public Caller get() {
        Caller caller = current.get();
        if (caller == null) {
            throw new IllegalStateException("No caller: this operation is not guarded by a key");
        }
        return caller;
    }

    void set(Caller caller) {
        current.set(caller);
    }

    void clear() {
        current.remove();
    }

    /** Forgets the caller once the answer is on its way. */
    ContainerResponseFilter clearing() {
        return new Clearing(this);
    }

    @Priority(Priorities.AUTHENTICATION)
    private record Clearing(RequestCaller caller) implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            caller.clear();
        }
    }
}
